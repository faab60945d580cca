"""Every session-change e-mail says which zone its time is in: the reader's, as the
other change e-mails do."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import formats

from exchanges.services.sessions import (
    session_change_email_send,
    session_move,
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


def _emails_after(callbacks, mailoutbox) -> list[str]:
    """Run the e-mail tasks the changes enqueued, as a queue that gets to them only now
    would, and return the subjects sent."""
    for callback in callbacks:
        callback()
    return [mail.subject for mail in mailoutbox]


def _short(instant: dt.datetime, zone: str) -> str:
    return formats.date_format(instant.astimezone(ZoneInfo(zone)), "SHORT_DATETIME_FORMAT")


def test_two_quick_proposals_are_each_mailed_with_the_time_they_proposed(
    mailoutbox, tasks_run_locally, django_capture_on_commit_callbacks
):
    match, sessions = scheduled_match()  # Nora proposes, Bruno (London) reads
    session = sessions[1]
    first, second = (session.starts_at + dt.timedelta(days=d) for d in (1, 2))
    with django_capture_on_commit_callbacks() as callbacks:
        for new_start in (first, second):
            session_move_propose(session=session, by=match.participant_a,
                                 new_start=new_start, now=NOW)
    subjects = _emails_after(callbacks, mailoutbox)
    assert len(subjects) == 2
    assert _short(first, "Europe/London") in subjects[0]
    assert _short(second, "Europe/London") in subjects[1]
    assert _short(second, "Europe/London") not in subjects[0]


def test_two_quick_moves_are_each_mailed_with_the_start_they_set(
    mailoutbox, tasks_run_locally, django_capture_on_commit_callbacks
):
    match, sessions = scheduled_match()
    session = sessions[1]
    first, second = (session.starts_at + dt.timedelta(days=d) for d in (1, 2))
    with django_capture_on_commit_callbacks() as callbacks:
        for new_start in (first, second):
            session_move(session=session, by=match.participant_a, new_start=new_start, now=NOW)
    subjects = _emails_after(callbacks, mailoutbox)
    assert subjects == [f"Session moved to {_short(first, 'Europe/London')}",
                        f"Session moved to {_short(second, 'Europe/London')}"]
