"""Every session-change e-mail says which zone its time is in: the reader's, as the
other change e-mails do."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from exchanges.services.sessions import (
    session_change_email_send,
    session_move_answer,
    session_move_propose,
)
from tests.exchanges.scheduling_fixtures import NOW, scheduled_match

pytestmark = pytest.mark.django_db


def test_a_declined_move_email_gives_the_time_in_the_readers_zone_and_says_which(mailoutbox):
    match, sessions = scheduled_match()  # Nora in New York, Bruno in London
    session = sessions[1]
    session_move_propose(session=session, by=match.participant_a,
                         new_start=session.starts_at + dt.timedelta(days=1), now=NOW)
    session_move_answer(session=session, by=match.participant_b, accept=False, now=NOW)
    nora = match.participant_a
    assert session_change_email_send(session_id=session.pk, recipient_id=nora.pk,
                                     change="move_declined") == 1
    local = session.starts_at.astimezone(ZoneInfo("America/New_York"))
    first_line = mailoutbox[0].body.splitlines()[0]
    assert f"{local:%H:%M} (America/New_York)" in first_line
