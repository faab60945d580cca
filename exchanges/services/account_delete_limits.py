"""How many wrong passwords the account-deletion page and a pupil's password page accept,
per account (one count for both).

The pages ask for the password of an account that is already signed in: without a limit,
a borrowed browser could guess it there at leisure (allauth's login limits do not see these
pages). Counted in the shared cache like /join/'s tries (``join_limits``), in fixed
windows; the window's end is stored too, so that the page can say when to try again.
Past the limit even the right password is refused until the window ends.
"""

import math
import time

from django.core.cache import cache
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, npgettext, pgettext

from exchanges.services.fixed_window import count_try

WINDOW_SECONDS = 15 * 60
MAX_WRONG_PASSWORDS = 5


def _window_key(user_id: int) -> str:
    return f"account-delete-failures:window:{user_id}"


def _count_key(user_id: int, ends: float) -> str:
    # Each window counts under its own key: a count never outlives its window's end.
    return f"account-delete-failures:count:{user_id}:{ends}"


def account_delete_wait(*, user_id: int) -> int:
    """Seconds before ``user_id`` may confirm a deletion again; 0 when tries are left."""
    ends = cache.get(_window_key(user_id))
    if ends is None or (cache.get(_count_key(user_id, ends)) or 0) < MAX_WRONG_PASSWORDS:
        return 0
    return max(1, math.ceil(ends - time.time()))


def account_delete_wait_minutes(*, user_id: int) -> int:
    return math.ceil(account_delete_wait(user_id=user_id) / 60)


def account_delete_failure_record(*, user_id: int) -> None:
    """One wrong password for ``user_id``'s account."""
    # add() starts the window once; later failures count in it without extending it.
    cache.add(_window_key(user_id), time.time() + WINDOW_SECONDS, timeout=WINDOW_SECONDS)
    ends = cache.get(_window_key(user_id))
    if ends is None:  # expired between add and get: start a new window
        ends = time.time() + WINDOW_SECONDS
        cache.set(_window_key(user_id), ends, timeout=WINDOW_SECONDS)
    count_try(_count_key(user_id, ends), WINDOW_SECONDS)


def signed_in_password_refusal(*, user, password: str) -> str | None:
    """Why ``password``, typed again by the signed-in ``user``, is refused (a wrong one is
    counted), or None when it is theirs and tries are left."""
    if not account_delete_wait(user_id=user.pk):
        if user.check_password(password):
            return None
        account_delete_failure_record(user_id=user.pk)
        if not account_delete_wait(user_id=user.pk):
            # Pupils are addressed as a child is (tu, du), adults not.
            return (pgettext("to a pupil", "That is not your password.") if user.is_pupil
                    else _("That is not your password."))
    minutes = account_delete_wait_minutes(user_id=user.pk)
    if user.is_pupil:
        return npgettext(
            "to a pupil",
            "Too many wrong passwords. You can try again in %(minutes)s minute.",
            "Too many wrong passwords. You can try again in %(minutes)s minutes.",
            minutes,
        ) % {"minutes": minutes}
    return ngettext(
        "Too many wrong passwords. You can try again in %(minutes)s minute.",
        "Too many wrong passwords. You can try again in %(minutes)s minutes.",
        minutes,
    ) % {"minutes": minutes}
