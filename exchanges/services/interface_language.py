"""Writes of a person's interface language (chosen with the switcher, or the one they
signed up or first signed in with)."""

from exchanges.models import User
from exchanges.selectors.interface_language import supported_language


def user_language_set(*, user: User, language: str) -> bool:
    """Remember the language on the account; False when the interface does not speak it."""
    language = supported_language(language)
    if language is None:
        return False
    if user.language != language:
        user.language = language
        User.objects.filter(pk=user.pk).update(language=language)
    return True


def user_language_remember_if_unset(*, user: User, language: str | None) -> None:
    """A first language for an account that has none yet (e-mails need one)."""
    if not user.language and language:
        user_language_set(user=user, language=language)
