"""``{{ when|ago }}``: "just now" under a minute (timesince alone says "0 minutes"),
else "3 hours ago", in the active language."""

import datetime as dt

from django import template
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext as _

register = template.Library()

JUST_NOW = dt.timedelta(minutes=1)


@register.filter
def ago(value: dt.datetime | None, now: dt.datetime | None = None) -> str:
    if not value:
        return ""
    now = now or timezone.now()
    # A moment in the future (clocks a little apart) is "just now" too.
    if now - value < JUST_NOW:
        return _("just now")
    return _("%(since)s ago") % {"since": timesince(value, now)}
