"""The zone a signed-in person's pages show times in, read without a query of its own.

The auth backends load the signed-in user with their participant and its city joined
(:func:`users_with_zone`), in the one query the auth middleware makes on every request
anyway; so the zone is read fresh on every request, on every device, for free. Caching it
in the session instead would keep a second device on the old zone after a move.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import QuerySet


def users_with_zone() -> QuerySet:
    return get_user_model()._default_manager.select_related("participant__city")


def viewer_zone(*, user) -> str | None:
    """The profile's zone, else its city's; None for people without a profile (staff,
    teachers, newcomers). Spends no query on a user from :func:`users_with_zone`."""
    try:
        participant = user.participant
    except ObjectDoesNotExist:
        return None
    if participant.tz:
        return participant.tz
    return participant.city.tz if participant.city_id else None
