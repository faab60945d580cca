"""A teacher's moderation POSTs, parsed: whom to mute for how long, why a room closes."""

from django import forms
from django.utils.translation import gettext_lazy as _

from exchanges.pure.keys import KEY_MAX

MUTE_CHOICES = [
    (10, _("10 minutes")), (60, _("1 hour")), (24 * 60, _("1 day")), (0, _("Lift the mute")),
]


class MuteForm(forms.Form):
    # An id no row can have is refused here: past KEY_MAX the database query would fail.
    user = forms.IntegerField(min_value=1, max_value=KEY_MAX, error_messages={
        "required": _("Choose a pupil."),
        "max_value": _("Only a pupil of this room can be muted."),
    })
    minutes = forms.TypedChoiceField(choices=MUTE_CHOICES, coerce=int)


class RoomCloseForm(forms.Form):
    # Its length is checked as stored (services.moderation.room_moderate_close): NFC can
    # lengthen what was typed.
    reason = forms.CharField(required=False)
