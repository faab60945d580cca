"""Every notice the services write keeps a msgid and params that read in each interface
language: no placeholder without its value, and no sentence left in English."""

import datetime as dt

import pytest
from django.utils import timezone, translation

from exchanges.models import ClassroomExchange, Match, MatchRun, Notification, Report, Twinning
from exchanges.selectors.notification_text import Message, message_render
from exchanges.services.accounts import account_delete
from exchanges.services.class_exchange_end import class_exchange_end
from exchanges.services.matches import match_accept, match_decline, match_end
from exchanges.services.matching import matching_run_execute
from exchanges.services.moderation import report_notify_teachers
from exchanges.services.reminders import reminders_send_batch
from exchanges.services.retention import retention_warn
from exchanges.services.sessions import session_cancel, session_move
from exchanges.services.twinning_lifecycle import twinning_suspend
from tests.authorization_world import build_world
from tests.exchanges.lifecycle_fixtures import make_lifecycle_world
from tests.exchanges.matching_fixtures import (
    coventry_dresden,
    english_speaker,
    german_speaker,
    program_next_monday,
)
from tests.exchanges.scheduling_fixtures import NOW, beat_materializes, scheduled_match, z
from tests.factories import MatchFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"  # the factories' password
LANGUAGES = ("en", "fr", "de", "ja")
CLASSROOM_KINDS = {
    "teacher.approved", "classroom.request", "classroom.accepted", "pairing.proposed",
    "class_session.proposed", "class_session.confirmed", "wall.pending", "room.report",
    "classroom.exchange_ended", "retention.warning",
}
TANDEM_KINDS = {
    "slot.proposed", "slot.confirmed", "session.reminder", "session.cancelled",
    "session.moved", "match.ended", "match.accepted_by_partner", "match.active",
    "match.declined", "match.left",
}
RUN_KINDS = {"match.proposed", "twinning.suspended"}


def _classroom_notices() -> None:
    """Teacher approval, a partner request and its acceptance, pupil pairs, class sessions
    and a wall post (the authorization world), then a report, the exchange's end and the
    retention warning."""
    world = build_world()
    exchange = ClassroomExchange.objects.get(pk=world.ids["exchange"])
    report_notify_teachers(report=Report.objects.get(pk=world.ids["class_report"]))
    class_exchange_end(exchange=exchange, by=exchange.classroom_a.teacher)
    retention_warn(exchange_id=exchange.pk, now=timezone.now())


def _tandem_notices() -> None:
    match, sessions = scheduled_match()  # slot proposed and confirmed
    beat_materializes(sessions)
    first = sessions[0].reminders.order_by("send_at").first()
    reminders_send_batch(now=first.send_at + dt.timedelta(seconds=1))
    session_cancel(session=sessions[2], by=match.participant_a, now=NOW)
    session_move(session=sessions[1], by=match.participant_b, new_start=z(2027, 3, 10, 19),
                 now=NOW)
    match_end(match=match, by=match.participant_b)
    accepted = MatchFactory(status=Match.Status.PROPOSED,
                            twinning__status=Twinning.Status.ACTIVE)
    match_accept(match=accepted, by=accepted.participant_a)
    match_accept(match=accepted, by=accepted.participant_b)
    declined = MatchFactory(status=Match.Status.PROPOSED)
    match_decline(match=declined, by=declined.participant_a)
    left, _sessions = scheduled_match()
    account_delete(user=left.participant_a.user, password=PASSWORD)


def _run_and_suspension_notices() -> None:
    coventry, dresden, twinning = coventry_dresden()
    program = program_next_monday([twinning])
    english_speaker(coventry, program)
    german_speaker(dresden, program)
    run = matching_run_execute(run_id=MatchRun.objects.create(program=program).pk)
    assert run.status == "done", run.error
    world = make_lifecycle_world()
    twinning_suspend(twinning=world.twinning, by=world.officer, reason="Council vote",
                     effective=timezone.localdate(), side="city_a",
                     source="https://example.org/minutes")


def _read_in_every_language(kinds: set[str]) -> None:
    # The authorization world's hand-made "match" row stands for a notice from before
    # notices kept their msgid.
    notices = list(Notification.objects.exclude(kind="match"))
    assert kinds <= {n.kind for n in notices}
    for notice in notices:
        assert notice.message, notice.kind  # every new notice keeps its msgid
        message = Message(msgid=notice.message, plural=notice.message_plural,
                          count=notice.message_count, context=notice.message_context)
        written = {}
        for language in LANGUAGES:
            with translation.override(language):
                written[language] = message_render(message, notice.params)  # no KeyError
            assert "%(" not in written[language], (notice.kind, language)
        for language in ("fr", "de", "ja"):
            assert written[language] != written["en"], (notice.kind, language)


def test_the_classroom_notices_read_in_each_language():
    _classroom_notices()
    _read_in_every_language(CLASSROOM_KINDS)


def test_the_tandem_notices_read_in_each_language():
    _tandem_notices()
    _read_in_every_language(TANDEM_KINDS)


def test_the_matching_run_and_suspension_notices_read_in_each_language():
    _run_and_suspension_notices()
    _read_in_every_language(RUN_KINDS)
