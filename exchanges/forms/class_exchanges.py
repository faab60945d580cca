"""Forms of the pupil-pairing and class-session pages: each POST is parsed here, so a
bad value is a flashed message, never a 500."""

import datetime as dt
import re

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from exchanges.pure.class_slots import SESSION_MINUTES
from exchanges.pure.pupil_pairs import INTEREST_LABELS, MAX_PUPIL_INTERESTS, PUPIL_INTERESTS
from exchanges.services.class_session_changes import REASON_MAX

_SLOT = re.compile(r"^([0-6])\|([01][0-9]|2[0-3]):([0-5][0-9])\|(30|45|60)$", re.ASCII)


class InterestsForm(forms.Form):
    interests = forms.MultipleChoiceField(
        choices=[(slug, INTEREST_LABELS.get(slug, name)) for slug, name in PUPIL_INTERESTS],
        required=False, widget=forms.CheckboxSelectMultiple,
        label=_("Interests"),
        help_text=format_lazy(_("Pick up to {max}."), max=MAX_PUPIL_INTERESTS),
    )

    def clean_interests(self):
        chosen = self.cleaned_data["interests"]
        if len(chosen) > MAX_PUPIL_INTERESTS:
            raise forms.ValidationError(
                ngettext("Pick at most %(max)d interest.", "Pick at most %(max)d interests.",
                         MAX_PUPIL_INTERESTS) % {"max": MAX_PUPIL_INTERESTS}
            )
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
            raise forms.ValidationError(_("Pick one of the times offered."))
        weekday, hour, minute, minutes = match.groups()
        return int(weekday), dt.time(int(hour), int(minute)), int(minutes)


class MinutesForm(forms.Form):
    minutes = forms.TypedChoiceField(
        choices=[(m, format_lazy(_("{minutes} min"), minutes=m)) for m in SESSION_MINUTES],
        coerce=int, required=False, label=_("Minutes"),
    )


class ClassSessionCancelForm(forms.Form):
    # The other teacher's notice holds REASON_MAX: a longer reason is refused, not cut.
    reason = forms.CharField(required=False, max_length=REASON_MAX, label=_("Reason (optional)"))


class ClassSessionAnswerForm(forms.Form):
    """The proposed time the page showed, so a stale page answers nothing."""

    move_to = forms.DateTimeField(required=False)
