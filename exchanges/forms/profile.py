from django import forms
from django.core.exceptions import ValidationError
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, ngettext_lazy

from exchanges.forms.accounts import birth_year_field, validate_adult
from exchanges.models import AvailabilityWindow, Level
from exchanges.pure.interest_list import OFFERED
from exchanges.pure.languages import language_choices
from exchanges.pure.window_ends import MIDNIGHT, end_minute, minute_of_day
from exchanges.selectors.twinnings import cities_with_active_twinning
from exchanges.services.participants import (
    MAX_INTERESTS,
    LanguageInput,
    WindowInput,
    interest_key,
)


class CityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, city):
        return f"{city.name} ({city.country_name}) · {city.tz}"


class ProfileForm(forms.Form):
    city = CityChoiceField(
        queryset=cities_with_active_twinning(),
        label=_("City"),
        help_text=_("Only cities with an active twinning are listed. Type to search."),
        empty_label=_("Choose your city"),
    )
    birth_year = birth_year_field()  # its place in the form; rebuilt for each form
    capacity = forms.TypedChoiceField(
        label=_("How many partners at once"),
        choices=[(1, "1"), (2, "2"), (3, "3")],
        coerce=int,
        initial=1,
    )
    interests_picked = forms.MultipleChoiceField(
        label=_("Pick what you enjoy"), required=False, widget=forms.CheckboxSelectMultiple,
    )
    interests = forms.CharField(
        label=_("Anything else?"),
        required=False,
        max_length=400,
        help_text=_("Your own, separated by commas, e.g. birdwatching, jazz piano"),
    )
    bio = forms.CharField(
        label=_("Bio"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("A few words for your future partner."),
    )

    def __init__(self, *args, is_pupil: bool = False, current_city_id: int | None = None,
                 **kwargs):
        super().__init__(*args, **kwargs)
        self.is_pupil = is_pupil
        # Whoever edits a profile is registered already: no sign-up help.
        self.fields["birth_year"] = birth_year_field(help_text="")
        if current_city_id is not None:
            # The person's own city stays listed when its twinning is suspended, so that
            # the page shows it and other edits save without a move.
            self.fields["city"].queryset = cities_with_active_twinning(
                also_city_id=current_city_id)
        self.fields["interests_picked"].choices = list(OFFERED.items())
        if not self.is_bound:
            # A saved list splits into the boxes it has and the free text for the rest.
            names = _split_interests(self.initial.get("interests") or "")
            self.initial["interests_picked"] = [n for n in names if n in OFFERED]
            self.initial["interests"] = ", ".join(n for n in names if n not in OFFERED)

    def clean_birth_year(self):
        year = self.cleaned_data["birth_year"]
        if not self.is_pupil:
            # The person is registered already: the sign-up text about registering
            # oneself does not fit (the same words and year as participant_update_profile's
            # check, which counts in the chosen city's zone; city is cleaned first).
            city = self.cleaned_data.get("city")
            validate_adult(year, _("People under 18 join through their teacher's class."),
                           zone=city.tz if city else None)
        return year

    def clean_interests(self) -> str:
        # Each name is measured as it will be stored (normalised, lower-cased, slugged),
        # which can be longer than what was typed.
        raw = self.cleaned_data["interests"]
        names = _split_interests(raw)
        if len(names) + len(self.cleaned_data.get("interests_picked") or []) > MAX_INTERESTS:
            raise forms.ValidationError(
                ngettext(
                    "List at most %(count)d interest.", "List at most %(count)d interests.",
                    MAX_INTERESTS,
                ) % {"count": MAX_INTERESTS}
            )
        errors = []
        for name in names:
            try:
                key = interest_key(name)
            except ValidationError as exc:
                errors.extend(exc.message_dict["interests"])
                continue
            if key is None:  # the service would leave it out; say so rather than drop it
                errors.append(
                    _("“%(interest)s” has no letters or digits, so it cannot be an interest.")
                    % {"interest": name if len(name) <= 20 else name[:20] + "…"}
                )
        if errors:
            raise forms.ValidationError(errors)
        return raw

    def interest_names(self) -> list[str]:
        picked = self.cleaned_data.get("interests_picked") or []
        typed = _split_interests(self.cleaned_data.get("interests", ""))
        return list(dict.fromkeys([*picked, *typed]))


def _split_interests(raw: str) -> list[str]:
    names = [part.strip() for part in raw.split(",")]
    return list(dict.fromkeys(name for name in names if name))


class LanguageForm(forms.Form):
    code = forms.ChoiceField(label=_("Language"), choices=())
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices)
    learning = forms.TypedChoiceField(
        label=_("I…"),
        choices=[("0", _("speak it")), ("1", _("am learning it"))],
        coerce=lambda value: value == "1",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].choices = [("", _("Choose a language")), *language_choices()]

    def has_changed(self) -> bool:
        # The page always carries one blank row whose selects submit their first option;
        # a row without a language is that blank row, which the formset then skips.
        return bool(self.data.get(self.add_prefix("code"))) if self.is_bound else False

    def clean(self):
        data = super().clean()
        if data.get("learning") and data.get("level") == Level.NATIVE:
            self.add_error("level", _("A language you are learning cannot be native."))
        return data

    def to_input(self) -> LanguageInput:
        data = self.cleaned_data
        return LanguageInput(code=data["code"], level=data["level"], learning=data["learning"])


class BaseLanguageFormSet(forms.BaseFormSet):
    default_error_messages = {
        "too_many_forms": ngettext_lazy(
            "You can list at most %(num)d language: remove the rows you need least (tick "
            "“remove”), then save.",
            "You can list at most %(num)d languages: remove the rows you need least (tick "
            "“remove”), then save.",
            "num",
        ),
    }

    def clean(self):
        if any(self.errors):
            return
        seen = set()
        for form in self.forms:
            if not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            key = (form.cleaned_data["code"], form.cleaned_data["learning"])
            if key in seen:
                form.add_error("code", _("This language is listed twice."))
            seen.add(key)
        kept = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        if not any(not f.cleaned_data["learning"] for f in kept):
            raise forms.ValidationError(_("Add at least one language you speak."))

    def inputs(self) -> list[LanguageInput]:
        return [
            form.to_input()
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]


class WindowEndField(forms.TimeField):
    """A window's end: 00:00 (what a time input gives for midnight) or 24:00 is the
    midnight that closes the day (pure.window_ends)."""

    def to_python(self, value):
        if isinstance(value, str) and value.strip() in {"24:00", "24:00:00"}:
            return MIDNIGHT
        return super().to_python(value)


class WindowForm(forms.Form):
    weekday = forms.TypedChoiceField(
        choices=AvailabilityWindow.Weekday.choices, coerce=int, label=_("Day")
    )
    start = forms.TimeField(
        label=_("Start"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    end = WindowEndField(
        label=_("End"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("00:00 means midnight, at the end of the day."),
    )

    def has_changed(self) -> bool:
        # The blank row's weekday select submits Monday; without times it is still blank.
        if not self.is_bound:
            return False
        return any(self.data.get(self.add_prefix(name)) for name in ("start", "end"))

    def clean(self):
        data = super().clean()
        if (data.get("start") is not None and data.get("end") is not None
                and end_minute(data["end"]) <= minute_of_day(data["start"])):
            self.add_error("end", _("The window must end after it starts (same day)."))
        return data

    def to_input(self) -> WindowInput:
        data = self.cleaned_data
        return WindowInput(weekday=data["weekday"], start=data["start"], end=data["end"])


class BaseWindowFormSet(forms.BaseFormSet):
    default_error_messages = {
        "too_many_forms": ngettext_lazy(
            "You can give at most %(num)d weekly time window: remove some rows or join "
            "windows that touch (tick “remove”), then save.",
            "You can give at most %(num)d weekly time windows: remove some rows or join "
            "windows that touch (tick “remove”), then save.",
            "num",
        ),
    }

    def inputs(self) -> list[WindowInput]:
        return [
            form.to_input()
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]


# max_num is what a profile may hold; absolute_max caps the rows a POST's TOTAL_FORMS can
# make Django build (and the page render): Django's default, max_num + 1000, let one
# request cost minutes of CPU. It sits well above max_num so that a person who typed too
# many rows gets every one of them back with the message, and rows ticked "remove" do not
# count against the limit.
ROWS_BUILT_AT_MOST = 100
LanguageFormSet = formset_factory(
    LanguageForm, formset=BaseLanguageFormSet, extra=1, can_delete=True, max_num=12,
    validate_max=True, absolute_max=ROWS_BUILT_AT_MOST,
)
WindowFormSet = formset_factory(
    WindowForm, formset=BaseWindowFormSet, extra=1, can_delete=True, max_num=21,
    validate_max=True, absolute_max=ROWS_BUILT_AT_MOST,
)
