"""The class-session page's offered weekly times: on the schools' date, as the scheduling
service judges them, whatever the viewer's zone, at a term's last day and around
midnight."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from exchanges.models import Classroom, Session
from exchanges.selectors.class_sessions import schedule_page
from exchanges.services.class_sessions import class_session_propose
from tests.exchanges.class_exchange_fixtures import active_exchange

pytestmark = pytest.mark.django_db
TUESDAY = 1
# A summer Tuesday: London is UTC+1, Dresden UTC+2.
LAST_DAY = dt.date(2027, 6, 15)


def _term_ends(exchange, last_day: dt.date):
    """Class A's term ends on ``last_day`` (class B's goes on): the shared time ends then."""
    a, b = exchange.classroom_a, exchange.classroom_b
    Classroom.objects.filter(pk=a.pk).update(term_start=last_day - dt.timedelta(weeks=8),
                                             term_end=last_day)
    Classroom.objects.filter(pk=b.pk).update(term_start=last_day - dt.timedelta(weeks=8),
                                             term_end=last_day + dt.timedelta(weeks=8))
    exchange.classroom_a.refresh_from_db()
    exchange.classroom_b.refresh_from_db()


def _accepted(exchange, option, now) -> bool:
    try:
        class_session_propose(exchange=exchange, by=exchange.classroom_a.teacher,
                              weekday=option.weekday, local_start=option.local_start,
                              minutes=option.minutes, now=now)
    except ValidationError:
        return False
    return True


@pytest.mark.parametrize("viewer_zone", ["UTC", "America/Los_Angeles", "Pacific/Kiritimati"])
def test_after_midnight_at_the_schools_the_last_term_day_is_not_offered(viewer_zone):
    """23:30 UTC on the term's last Tuesday is Wednesday at both schools: the service
    refuses that Tuesday's times, so the page, read in any zone, does not offer them."""
    exchange, _, _ = active_exchange(1, 1)
    _term_ends(exchange, LAST_DAY)
    now = dt.datetime.combine(LAST_DAY, dt.time(23, 30), tzinfo=dt.UTC)
    with timezone.override(viewer_zone):
        page = schedule_page(exchange=exchange, user=exchange.classroom_a.teacher,
                             minutes=45, now=now)
    assert page["options"] == []
    # Nothing was hidden that the service would have taken.
    with pytest.raises(ValidationError):
        class_session_propose(exchange=exchange, by=exchange.classroom_a.teacher,
                              weekday=TUESDAY, local_start=dt.time(14, 0), minutes=45, now=now)


@pytest.mark.parametrize("viewer_zone", ["UTC", "Pacific/Kiritimati"])
def test_the_week_before_the_last_the_times_offered_are_the_ones_the_service_takes(viewer_zone):
    """A week before the term's end, at 23:30 UTC on a Monday (Tuesday at the schools):
    every time the page offers is one the service accepts, and the Tuesday of the last
    week (still ahead at the schools) is among them."""
    exchange, _, _ = active_exchange(1, 1)
    _term_ends(exchange, LAST_DAY)
    now = dt.datetime.combine(LAST_DAY - dt.timedelta(days=8), dt.time(23, 30), tzinfo=dt.UTC)
    with timezone.override(viewer_zone):
        page = schedule_page(exchange=exchange, user=exchange.classroom_a.teacher,
                             minutes=45, now=now)
    offered = page["options"]
    assert page["shared_time_left"]
    assert (TUESDAY, dt.time(14, 0)) in {(o.weekday, o.local_start) for o in offered}
    assert all(_accepted(exchange, option, now) for option in offered)


def test_on_the_last_term_day_after_school_its_times_are_not_offered():
    """16:00 in Coventry on the term's last Tuesday: that day's shared hour is over, no
    week is left at its times, the service refuses them and the page offers none."""
    exchange, _, _ = active_exchange(1, 1)
    _term_ends(exchange, LAST_DAY)
    now = dt.datetime.combine(LAST_DAY, dt.time(15, 0), tzinfo=dt.UTC)
    with timezone.override("Europe/London"):
        page = schedule_page(exchange=exchange, user=exchange.classroom_a.teacher,
                             minutes=45, now=now)
    assert page["options"] == [] and not page["shared_time_left"]
    with pytest.raises(ValidationError):
        class_session_propose(exchange=exchange, by=exchange.classroom_a.teacher,
                              weekday=TUESDAY, local_start=dt.time(14, 0), minutes=45, now=now)



def test_once_the_terms_are_over_the_page_says_no_shared_time_is_left(client):
    """Its advice is not a shorter session (none would fit either): the shared time is over."""
    exchange, _, _ = active_exchange(1, 1)
    _term_ends(exchange, timezone.localdate(timezone=ZoneInfo("Europe/London"))
               - dt.timedelta(days=1))
    client.force_login(exchange.classroom_a.teacher)
    html = client.get(reverse("class_sessions", args=[exchange.pk])).content.decode()
    assert "No shared school time is left in the two terms" in html
    assert "try a shorter session" not in html


def test_a_class_session_stays_among_those_to_come_until_it_ends_and_then_leaves():
    exchange, _, _ = active_exchange(1, 1)
    now = timezone.now().replace(microsecond=0)
    begun, ended = (Session.objects.create(
        exchange=exchange, starts_at=now - dt.timedelta(minutes=ago), minutes=45,
        status=Session.Status.SCHEDULED) for ago in (30, 60))
    page = schedule_page(exchange=exchange, user=exchange.classroom_a.teacher, minutes=45,
                         now=now)
    assert [session.pk for session in page["upcoming"]] == [begun.pk]
    assert ended.pk not in [session.pk for session in page["upcoming"]]
