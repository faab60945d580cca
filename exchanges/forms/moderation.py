"""A teacher's moderation POSTs, parsed: whom to mute for how long, why a room closes."""

from django import forms

MUTE_CHOICES = [(10, "10 minutes"), (60, "1 hour"), (24 * 60, "1 day"), (0, "Lift the mute")]


class MuteForm(forms.Form):
    user = forms.IntegerField(min_value=1, error_messages={"required": "Choose a pupil."})
    minutes = forms.TypedChoiceField(choices=MUTE_CHOICES, coerce=int)


class RoomCloseForm(forms.Form):
    reason = forms.CharField(max_length=200, required=False)
