"""ISO 3166-2 subdivision codes (a city's region), checked against pycountry; named in
the reader's language by pycountry's catalogues, else by Unicode CLDR's names
(data/cldr_subdivisions.json, made by data/build_cldr_subdivisions.py), else in English."""

import gettext
import json
from functools import cache
from pathlib import Path

import pycountry
from django.core.exceptions import ValidationError
from django.utils import translation


def subdivision_country(code: str) -> str | None:
    """The ISO 3166-1 country of subdivision ``code`` (``US-IN`` -> ``US``), or None."""
    subdivision = pycountry.subdivisions.get(code=code.strip().upper()) if code else None
    return subdivision.country_code if subdivision else None


def subdivisions_of(country: str, in_language: str | None = None) -> list[tuple[str, str]]:
    """``(code, "Name (code)")`` of the country's subdivisions, named in ``in_language``
    (default: the active one) where pycountry's catalogue has them, sorted by name."""
    found = pycountry.subdivisions.get(country_code=country) or []
    return sorted(
        ((s.code, f"{subdivision_local_name(s.code, in_language)} ({s.code})") for s in found),
        key=lambda item: item[1].casefold(),
    )


def subdivision_name(code: str) -> str:
    subdivision = pycountry.subdivisions.get(code=code) if code else None
    return subdivision.name if subdivision else code


@cache
def _subdivision_catalogue(in_language: str) -> gettext.NullTranslations:
    return gettext.translation(
        "iso3166-2", pycountry.LOCALES_DIR, languages=[in_language], fallback=True
    )


@cache
def _cldr_names(language: str) -> dict[str, str]:
    # About 380 kB for three languages: read on the first name asked for, once a process.
    path = Path(__file__).resolve().parent / "data" / "cldr_subdivisions.json"
    return json.loads(path.read_text(encoding="utf-8")).get(language, {})


def subdivision_local_name(code: str, in_language: str | None = None) -> str:
    """The subdivision's name in ``in_language`` (default: the active one): pycountry's
    ISO 3166-2 catalogue's where it has one, else CLDR's (pycountry names only 67 of the
    United Kingdom's 221 subdivisions in Japanese), else its ISO name."""
    name = subdivision_name(code)
    language = (in_language or translation.get_language() or "en").split("-")[0]
    if language == "en":
        return name
    translated = _subdivision_catalogue(language).gettext(name)
    if translated != name:
        return translated
    return _cldr_names(language).get(code, name)


def validate_subdivision_code(value: str) -> None:
    """Field validator: ``value`` is an ISO 3166-2 subdivision code such as ``US-IN``."""
    if subdivision_country(value) is None:
        raise ValidationError(
            "%(value)s is not an ISO 3166-2 subdivision code (e.g. US-IN).",
            code="invalid_subdivision",
            params={"value": value},
        )
