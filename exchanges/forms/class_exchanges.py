"""Forms of the pupil-pairing and class-session pages: each POST is parsed here, so a
bad value is a flashed message, never a 500."""

import datetime as dt
import re

from django import forms

from exchanges.pure.class_slots import SESSION_MINUTES
from exchanges.pure.pupil_pairs import MAX_PUPIL_INTERESTS, PUPIL_INTERESTS

_SLOT = re.compile(r"^([0-6])\|([01][0-9]|2[0-3]):([0-5][0-9])\|(30|45|60)$", re.ASCII)


class InterestsForm(forms.Form):
    interests = forms.MultipleChoiceField(
        choices=PUPIL_INTERESTS, required=False, widget=forms.CheckboxSelectMultiple,
        help_text=f"Pick up to {MAX_PUPIL_INTERESTS}.",
    )

    def clean_interests(self):
        chosen = self.cleaned_data["interests"]
        if len(chosen) > MAX_PUPIL_INTERESTS:
            raise forms.ValidationError(f"Pick at most {MAX_PUPIL_INTERESTS} interests.")
        return chosen


class SwapForm(forms.Form):
    pupil_a = forms.IntegerField(min_value=1, max_value=2**31 - 1)
    pupil_b = forms.IntegerField(min_value=1, max_value=2**31 - 1)


class ClassSlotForm(forms.Form):
    """A slot key from the options: "<weekday>|<HH:MM>|<minutes>" in class A's time."""

    slot = forms.CharField(max_length=20)

    def clean_slot(self):
        match = _SLOT.match(self.cleaned_data["slot"])
        if match is None:
            raise forms.ValidationError("Pick one of the times offered.")
        weekday, hour, minute, minutes = match.groups()
        return int(weekday), dt.time(int(hour), int(minute)), int(minutes)


class MinutesForm(forms.Form):
    minutes = forms.TypedChoiceField(
        choices=[(m, f"{m} min") for m in SESSION_MINUTES], coerce=int, required=False
    )
