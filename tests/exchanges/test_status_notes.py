"""Reading a data note: its source link and the city that acted."""

import pytest

from exchanges.pure.status_notes import side_from_note, source_from_note


@pytest.mark.parametrize(
    ("note", "expected"),
    [
        ("ended by Osaka over a statue", "city_a"),
        ("cancelled by Shanghai after Prague twinned with Taipei", "city_b"),
        ("ended by Osaka and by San Francisco", "both"),
        ("ended by Turkey", "unknown"),
        ("", "unknown"),
        ("ended by Osakan officials", "unknown"),  # a whole name, not a prefix
    ],
)
def test_side_from_note(note, expected):
    assert side_from_note(note, "Osaka" if "Osaka" in note else "Prague",
                          "San Francisco" if "Osaka" in note else "Shanghai") == expected


def test_source_from_note_takes_the_first_link_without_trailing_punctuation():
    note = "paused; source: https://example.org/a?b=1. see also https://example.org/c"
    assert source_from_note(note) == "https://example.org/a?b=1"
    assert source_from_note("no link here") == ""
