"""A class session cancelled with others (a new weekly time confirmed, a class edit that
leaves it out) loses the move proposed for it: the old proposal cannot be accepted later."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from exchanges.models import Notification, Session
from exchanges.services.class_session_changes import (
    class_session_move_answer,
    class_session_move_propose,
)
from exchanges.services.class_sessions import (
    class_session_confirm,
    class_session_propose,
    class_sessions_refit,
)
from tests.exchanges.class_exchange_fixtures import active_exchange

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
TUESDAY, THURSDAY = 1, 3


@pytest.fixture
def moving():
    """(exchange, session, proposed start): Tuesdays 14:00 London, the third session's
    move to the Thursday after proposed by class A's teacher."""
    exchange, _pupils_a, _pupils_b = active_exchange(2, 2)
    a, b = exchange.classroom_a, exchange.classroom_b
    proposal = class_session_propose(exchange=exchange, by=a.teacher, weekday=TUESDAY,
                                     local_start=dt.time(14, 0), minutes=45)
    session = class_session_confirm(proposal=proposal, by=b.teacher)[2]
    day = session.starts_at.astimezone(LONDON).date() + dt.timedelta(days=2)
    new_start = dt.datetime.combine(day, dt.time(14, 0), tzinfo=LONDON)
    class_session_move_propose(session=session, by=a.teacher, new_start=new_start)
    session.refresh_from_db()
    assert session.move_to == new_start
    return exchange, session, new_start


def _old_proposal_refused(exchange, session, new_start):
    before = Session.objects.get(pk=session.pk)
    assert before.status == Session.Status.CANCELLED
    assert before.move_to is None and before.move_proposed_by_teacher_id is None
    with pytest.raises(ValidationError, match="no longer scheduled"):
        class_session_move_answer(session=before, by=exchange.classroom_b.teacher, accept=True,
                                  move_to=new_start.astimezone(dt.UTC))
    after = Session.objects.get(pk=session.pk)
    assert (after.status, after.starts_at, after.sequence, after.move_to) == (
        before.status, before.starts_at, before.sequence, None)
    assert not Notification.objects.filter(kind="class_session.move_confirmed").exists()


def test_a_new_weekly_time_drops_the_moves_proposed_for_the_old_sessions(moving):
    exchange, session, new_start = moving
    a, b = exchange.classroom_a, exchange.classroom_b
    thursdays = class_session_propose(exchange=exchange, by=b.teacher, weekday=THURSDAY,
                                      local_start=dt.time(14, 0), minutes=45)
    class_session_confirm(proposal=thursdays, by=a.teacher)
    _old_proposal_refused(exchange, session, new_start)


def test_a_class_edit_that_cancels_the_session_drops_its_move(moving):
    exchange, session, new_start = moving
    assert class_sessions_refit(classroom=exchange.classroom_b, sessions=[session]) == 1
    _old_proposal_refused(exchange, session, new_start)
