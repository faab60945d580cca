"""Subdivision names in the reader's language: pycountry's catalogues first, Unicode CLDR's
names where they have none (most of the United Kingdom in Japanese), English last."""

import gettext
from pathlib import Path

import pycountry

from exchanges.pure import regions


def _pycountry(language: str, name: str) -> str:
    return gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=[language],
                               fallback=True).gettext(name)


def test_a_subdivision_pycountry_does_not_name_in_japanese_gets_cldrs_name():
    assert _pycountry("ja", "Oxfordshire") == "Oxfordshire"  # why the fallback exists
    assert regions.subdivision_local_name("GB-OXF", "ja") == "オックスフォードシャー"
    assert regions.subdivision_local_name("GB-SOM", "ja") == "サマセット"


def test_pycountrys_own_translation_is_kept_and_english_is_the_iso_name():
    indiana = pycountry.subdivisions.get(code="US-IN").name
    assert regions.subdivision_local_name("US-IN", "ja") == _pycountry("ja", indiana)
    assert regions.subdivision_local_name("US-IN", "ja") != indiana
    assert regions.subdivision_local_name("GB-OXF", "en") == "Oxfordshire"
    assert regions.subdivision_local_name("GB-OXF", "xx") == "Oxfordshire"


def test_the_uk_and_french_region_lists_are_japanese_in_japanese():
    for country, at_least in (("GB", 0.95), ("FR", 0.5)):
        options = regions.subdivisions_of(country, "ja")
        japanese = [label for _code, label in options
                    if not label.split(" (")[0].isascii()]
        assert len(japanese) >= at_least * len(options), (country, len(japanese), len(options))


def test_the_cldr_names_carry_their_licence():
    data = Path(regions.__file__).parent / "data"
    assert "Unicode, Inc." in (data / "CLDR-LICENSE.txt").read_text(encoding="utf-8")
