from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from exchanges.pure.adult_age import is_adult, this_year
from exchanges.services.interface_language import user_language_remember_if_unset
from exchanges.services.participants import participant_create
from exchanges.services.typed_text import name_checked

# A first name, perhaps with an initial: long enough for every real one, short enough
# for a partner's card and the chat header.
DISPLAY_NAME_MAX_LENGTH = 40

MINORS_NOTE = _(
    "You must be 18 or older to register yourself. Younger pupils join their teacher's "
    "class at /join/ with its class code, and need no e-mail address."
)


def birth_year_field(help_text=MINORS_NOTE) -> forms.IntegerField:
    """Bounds of today's year: forms build it in ``__init__`` (a field made at import
    would keep the year the server started in past New Year), in the viewer's zone. The
    minors' note is sign-up help: the profile passes none."""
    year = this_year()
    return forms.IntegerField(
        label=_("Year of birth"),
        min_value=year - 110,
        max_value=year,
        help_text=help_text,
    )


def validate_adult(birth_year: int, message=MINORS_NOTE, *, zone: str | None = None) -> None:
    """Sign-up says how to register; the profile passes words for someone registered,
    and the zone of the city they chose (the viewer's zone counts without one)."""
    if not is_adult(birth_year, zone=zone):
        raise forms.ValidationError(message)


class SignupExtraForm(forms.Form):
    """Extra sign-up fields that allauth adds to its own form."""

    display_name = forms.CharField(
        label=_("Your first name (shown to partners)"), max_length=DISPLAY_NAME_MAX_LENGTH
    )
    birth_year = birth_year_field()  # its place in the form; rebuilt for each form

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["birth_year"] = birth_year_field()

    def clean_display_name(self) -> str:
        # Partners see this name: it must show something, and show it as typed.
        return name_checked(self.cleaned_data["display_name"])

    def clean_birth_year(self):
        year = self.cleaned_data["birth_year"]
        validate_adult(year)
        return year

    def signup(self, request, user):
        # allauth calls this after it saved the user; the adapter creates the profile.
        user.display_name = self.cleaned_data["display_name"]
        user.save(update_fields=["display_name"])
        # Their e-mails (the address's confirmation first) speak the language they sign up in.
        user_language_remember_if_unset(user=user, language=translation.get_language())
        participant_create(user=user, birth_year=self.cleaned_data["birth_year"])


class AccountDeleteForm(forms.Form):
    """The password again: deleting an account is for its owner, not for a borrowed
    signed-in browser."""

    password = forms.CharField(
        label=_("Your password"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
