import datetime as dt

from exchanges.pure.partner_classes import ClassRecord, suggest
from tests.exchanges.pure.test_class_overlap import COVENTRY, DRESDEN, TODAY, calendar

NERIMA = calendar(3, "Asia/Tokyo", [(d, "08:30", "15:30") for d in range(5)])


def record(key, city, speaks, learns, cal, ages=(11, 12), size=24):
    return ClassRecord(
        key=key, name=f"Class {key}", city_name=city, age_min=ages[0], age_max=ages[1],
        size=size, speaks=frozenset(speaks), learns=frozenset(learns), calendar=cal,
    )


MINE = record(1, "Coventry", {"en"}, {"de", "ja"}, COVENTRY)


def test_reciprocal_languages_and_live_overlap_rank_first_with_an_explanation():
    dresden = record(2, "Dresden", {"de"}, {"en"}, DRESDEN)
    nerima = record(3, "Nerima", {"ja"}, {"en"}, NERIMA)
    one_way = record(4, "Dresden", {"de"}, {"fr"}, DRESDEN)
    ranked = suggest(MINE, [nerima, one_way, dresden], today=TODAY)
    # Live time counts: a one-way language class with school time together outranks a
    # reciprocal one with none.
    assert [s.key for s in ranked] == [2, 4, 3]
    best = ranked[0]
    assert best.reciprocity == "both" and best.is_live
    assert best.explanation.startswith("Both learn each other's language (German ↔ English)")
    assert ("2 h 30 of shared school time a week, Tue and Thu 14:00–15:15 in Coventry = "
            "15:00–16:15 in Dresden") in best.explanation


def test_no_live_overlap_is_listed_with_an_asynchronous_suggestion():
    nerima = record(3, "Nerima", {"ja"}, {"en"}, NERIMA)
    (suggestion,) = suggest(MINE, [nerima], today=TODAY)
    assert suggestion.suggest_async
    assert "Coventry and Nerima share no school hour" in suggestion.explanation
    assert "asynchronous exchange" in suggestion.explanation


def test_age_bands_more_than_two_years_apart_are_left_out():
    older = record(2, "Dresden", {"de"}, {"en"}, DRESDEN, ages=(15, 16))
    near = record(3, "Dresden", {"de"}, {"en"}, DRESDEN, ages=(14, 15))
    assert [s.key for s in suggest(MINE, [older, near], today=TODAY)] == [3]


def test_closer_ages_and_sizes_score_higher():
    same = record(2, "Dresden", {"de"}, {"en"}, DRESDEN)
    apart = record(3, "Dresden", {"de"}, {"en"}, DRESDEN, ages=(13, 14), size=8)
    ranked = suggest(MINE, [apart, same], today=TODAY)
    assert [s.key for s in ranked] == [2, 3]
    assert ranked[0].score > ranked[1].score


def test_a_class_without_hours_is_still_suggested_and_says_what_is_missing():
    bare = record(2, "Dresden", {"de"}, {"en"}, None)
    (suggestion,) = suggest(MINE, [bare], today=dt.date(2027, 1, 4))
    assert "school hours or term dates are missing" in suggestion.explanation
