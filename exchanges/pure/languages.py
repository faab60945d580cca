"""Language and country codes, with names in the reader's language (the active one by
default): langcodes names languages, pycountry's ISO 3166-1 catalogues name countries."""

import gettext
from functools import cache

import langcodes
import pycountry
from django.utils import translation


@cache
def iso639_1_codes() -> frozenset[str]:
    return frozenset(lang.alpha_2 for lang in pycountry.languages if hasattr(lang, "alpha_2"))


def is_language_code(code: str) -> bool:
    return code in iso639_1_codes()


def is_country_code(code: str) -> bool:
    return len(code) == 2 and pycountry.countries.get(alpha_2=code) is not None


@cache
def _name(code: str, in_language: str) -> str:
    try:
        return langcodes.Language.get(code).display_name(in_language)
    except (ValueError, LookupError):
        return code


def language_name(code: str, in_language: str | None = None) -> str:
    """The language's name, written in ``in_language`` (default: the active one)."""
    return _name(code, _reader(in_language))


def _reader(in_language: str | None) -> str:
    return (in_language or translation.get_language() or "en").split("-")[0]


def language_choices(in_language: str | None = None) -> list[tuple[str, str]]:
    """(code, name) for every ISO 639-1 language, by name; built per call (per request), so
    the names follow the page's language. A list starts with a capital, in French too."""
    return list(_language_choices(_reader(in_language)))  # a copy: the cached list stays as is


@cache
def _language_choices(in_language: str) -> tuple[tuple[str, str], ...]:
    names = [(code, _capitalized(language_name(code, in_language))) for code in iso639_1_codes()]
    return tuple(sorted(names, key=lambda item: item[1].casefold()))


def _capitalized(name: str) -> str:
    return name[:1].upper() + name[1:]


@cache
def _country_catalogue(in_language: str) -> gettext.NullTranslations:
    return gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=[in_language], fallback=True
    )


# Names the language uses now where pycountry's catalogue has an older one: Japan's
# government writes ジョージア since 2015, the catalogue グルジア.
NAMES_NOW = {("ja", "GE"): "ジョージア"}


@cache
def _country_name(code: str, in_language: str) -> str:
    country = pycountry.countries.get(alpha_2=code.upper()) if code else None
    if country is None:
        return code
    if (in_language, country.alpha_2) in NAMES_NOW:
        return NAMES_NOW[in_language, country.alpha_2]
    # "South Korea" rather than "Korea, Republic of" where ISO has a common name, in every
    # language: the catalogues translate the common names too ("Corée du Sud", "韓国").
    return _country_catalogue(in_language).gettext(
        getattr(country, "common_name", None) or country.name)


def country_name(code: str, in_language: str | None = None) -> str:
    """The country's name (ISO 3166-1 alpha-2 code), written in ``in_language`` (default:
    the active one); the code itself when ISO does not know it."""
    return _country_name(code, _reader(in_language))
