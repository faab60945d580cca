"""What the platform answers when typed text draws nothing or reorders itself; the rules
themselves are in exchanges/pure/text_safety.py (names refused, long text cleaned)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from exchanges.pure.text_safety import NameRefused, name_clean


def name_refusal(exc: NameRefused) -> str:
    """The reader's sentence for a refused name."""
    if exc.reason == NameRefused.BLANK:
        return _("Enter a name with visible letters.")
    return _(
        "The name contains an invisible character (U+%(code)s), such as a zero-width space "
        "or a text-direction control: type the name again without it."
    ) % {"code": f"{ord(exc.character):04X}"}


def name_refused(value: str, *, required: bool = True) -> str | None:
    """Why ``value`` cannot be a name, in the reader's words; None when it can (text with
    nothing visible can, when not ``required``: it is an empty field)."""
    try:
        name_clean(value)
    except NameRefused as exc:
        if exc.reason == NameRefused.BLANK and not required:
            return None
        return name_refusal(exc)
    return None


def name_checked(value: str, *, field: str | None = None, required: bool = True) -> str:
    """``value`` as a name is stored, or a ValidationError (keyed by ``field`` when given).
    When not ``required``, text with nothing visible is "" like an empty field."""
    try:
        return name_clean(value)
    except NameRefused as exc:
        if exc.reason == NameRefused.BLANK and not required:
            return ""
        message = name_refusal(exc)
        raise ValidationError({field: message} if field else message) from None
