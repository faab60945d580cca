"""Who is an adult, from the year of birth alone.

Only the year is asked, so a person's age is the one they reach this calendar year, and
"this year" is the one where they are: for some hours around New Year, Tokyo is in the
new year while UTC is not, and New York still in the old one while UTC has moved on.
Where they are is their city's zone once it is known, else the viewer's active zone
(ViewerZoneMiddleware activates the profile's or the browser's).
"""

from zoneinfo import ZoneInfo

from django.utils import timezone

ADULT_AGE = 18


def this_year(zone: str | None = None) -> int:
    """The calendar year now in ``zone``, or in the active zone without one."""
    return timezone.localdate(timezone=ZoneInfo(zone) if zone else None).year


def is_adult(birth_year: int, *, zone: str | None = None) -> bool:
    return this_year(zone) - birth_year >= ADULT_AGE
