from exchanges.pure.consent_ages import DEFAULT_AGE, consent_rule, consent_table


def test_coppa_covers_american_pupils_under_13():
    rule = consent_rule("us")
    assert (rule.age, rule.law, rule.listed) == (13, "COPPA", True)
    assert rule.needs_parental_consent(12)
    assert not rule.needs_parental_consent(13)


def test_gdpr_ages_differ_by_country():
    assert consent_rule("DE").age == 16
    assert consent_rule("FR").age == 15
    assert consent_rule("ES").age == 14
    assert consent_rule("SE").age == 13
    assert consent_rule("GB").age == 13


def test_an_unlisted_country_gets_the_strict_default_and_says_so():
    rule = consent_rule("JP")
    assert rule.age == DEFAULT_AGE == 16
    assert not rule.listed
    assert "16 assumed" in rule.sentence(11)


def test_the_sentence_shows_the_age_and_the_class_start():
    assert consent_rule("DE").sentence(11) == (
        "Pupils under 16 need their parents' consent (GDPR Art. 8 (Germany)); your class "
        "starts at 11."
    )


def test_every_eu_age_lies_between_13_and_16():
    assert all(13 <= rule.age <= 16 for rule in consent_table())
