"""The interface language a person reads: pages, e-mails and notifications are written in it.

Other modules write to someone in their language with::

    with in_language_of(user):
        subject = _("Your session is cancelled")
"""

from django.conf import settings
from django.utils import translation


def interface_languages() -> frozenset[str]:
    return frozenset(code for code, _name in settings.LANGUAGES)


def supported_language(code: str | None) -> str | None:
    """code itself, or its base language ("de-AT" -> "de"), when the interface speaks it."""
    if not code:
        return None
    code = code.lower()
    languages = interface_languages()
    if code in languages:
        return code
    base = code.split("-")[0].split("_")[0]
    return base if base in languages else None


def language_of(user) -> str:
    """The user's chosen language, else the site's default (English): for what they read
    away from a page, where no browser says what they prefer."""
    stored = getattr(user, "language", "") if user is not None else ""
    return supported_language(stored) or settings.LANGUAGE_CODE


def in_language_of(user):
    """A context manager: strings translated inside it are in the user's language."""
    return translation.override(language_of(user))
