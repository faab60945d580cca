"""Restrictive-law notes: the shipped file, its validation and the rule that applies it."""

import pytest
from django.conf import settings

from exchanges.pure.restrictions import (
    Place,
    RestrictionsFileError,
    restriction_notes,
    restrictions_parse,
)

SHIPPED = (settings.BASE_DIR / "data" / "twinning_restrictions.csv").read_text(encoding="utf-8")
HEADER = "jurisdiction,law,date,countries,source,note\n"
INDIANAPOLIS = Place("Indianapolis", "US", "US-IN")
HOUSTON = Place("Houston", "US", "US-TX")
TAIPEI = Place("Taipei", "TW")
HANGZHOU = Place("Hangzhou", "CN", "CN-ZJ")
HAVANA = Place("Havana", "CU")


def test_the_shipped_file_lists_indiana_and_texas_with_their_countries():
    laws = {r.jurisdiction: r for r in restrictions_parse(SHIPPED)}
    assert laws["US-IN"].countries == {"CN", "CU", "IR", "KP", "RU", "VE"}
    assert laws["US-TX"].countries == {"CN", "IR", "KP", "RU"}
    assert "1120" in laws["US-IN"].law and laws["US-IN"].date == "2024"
    assert "128" in laws["US-TX"].law and laws["US-TX"].date == "2025"


@pytest.mark.parametrize(
    ("a", "b", "jurisdictions"),
    [
        (INDIANAPOLIS, HANGZHOU, ["US-IN"]),
        (HANGZHOU, INDIANAPOLIS, ["US-IN"]),  # either order
        (INDIANAPOLIS, HAVANA, ["US-IN"]),
        (HOUSTON, HAVANA, []),  # Texas's list has no CU
        (HOUSTON, HANGZHOU, ["US-TX"]),
        (INDIANAPOLIS, TAIPEI, []),
        (Place("Chicago", "US", "US-IL"), HANGZHOU, []),
        (Place("Somewhere", "US"), HANGZHOU, []),  # no region: nothing known
    ],
)
def test_a_note_applies_when_one_city_is_in_the_jurisdiction_and_the_other_country_listed(
    a, b, jurisdictions
):
    notes = restriction_notes(city_a=a, city_b=b, restrictions=restrictions_parse(SHIPPED))
    assert [n.restriction.jurisdiction for n in notes] == jurisdictions
    for note in notes:
        assert note.restriction.law in note.text and note.other.country in note.text


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("US-ZZ,Law,2024,CN,,", "jurisdiction"),
        ("US-IN,,2024,CN,,", "law is empty"),
        ("US-IN,Law,March 2024,CN,,", "date"),
        ("US-IN,Law,2024,CN;XX,,", "XX"),
        ("US-IN,Law,2024,CN,ftp://x,", "source"),
        ("US-IN,Law,2024", "columns"),
    ],
)
def test_a_bad_row_is_refused_with_its_line(row, message):
    with pytest.raises(RestrictionsFileError, match="line 2") as caught:
        restrictions_parse(HEADER + row + "\n")
    assert message in str(caught.value)
