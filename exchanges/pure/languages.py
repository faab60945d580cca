"""Language and country codes, with names in the reader's language."""

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
    return _name(code, in_language or translation.get_language() or "en")


def language_choices(in_language: str | None = None) -> list[tuple[str, str]]:
    names = [(code, language_name(code, in_language)) for code in iso639_1_codes()]
    return sorted(names, key=lambda item: item[1].casefold())
