"""The admin's lists and forms read a fixed number of queries however many rows they
show: each page is counted with a few rows and with many, and must not grow."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from exchanges.models import AuditEvent, ClassroomExchange, Session, TwinningStatusChange
from tests.exchanges.classroom_fixtures import partner_pair
from tests.factories import (
    MatchFactory,
    ParticipantFactory,
    ProgramFactory,
    TwinningFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _queries(client, url: str) -> int:
    client.get(url)  # the first request may fill caches
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _at_two_sizes(client, url: str, grow) -> tuple[int, int]:
    """The page's queries with 3 rows, then with 30 (``grow(n)`` adds n rows)."""
    grow(3)
    few = _queries(client, url)
    grow(27)
    return few, _queries(client, url)


def _match_sessions(n: int) -> None:
    for _ in range(n):
        Session.objects.create(match=MatchFactory(), starts_at=timezone.now(), minutes=60)


def test_the_session_list_reads_each_sessions_match_in_the_page_query(client, root):
    few, many = _at_two_sizes(client, reverse("admin:exchanges_session_changelist"),
                              _match_sessions)
    assert many == few


def _participants(n: int) -> None:
    for _ in range(n):
        ParticipantFactory()


def test_the_session_form_names_every_participant_it_offers_without_a_query_each(
    client, root
):
    session = Session.objects.create(match=MatchFactory(), starts_at=timezone.now())
    few, many = _at_two_sizes(
        client, reverse("admin:exchanges_session_change", args=[session.pk]), _participants)
    assert many == few


def _twinnings(n: int) -> None:
    for _ in range(n):
        TwinningFactory()


def test_the_program_form_names_every_twinning_it_offers_without_a_query_each(client, root):
    program = ProgramFactory()
    few, many = _at_two_sizes(
        client, reverse("admin:exchanges_program_change", args=[program.pk]), _twinnings)
    assert many == few


def _audit_events(n: int) -> None:
    for _ in range(n):
        AuditEvent.objects.create(verb="twinning.suspend", target="twinning:1",
                                  actor=UserFactory())


def test_the_audit_list_reads_each_events_actor_in_the_page_query(client, root):
    few, many = _at_two_sizes(client, reverse("admin:exchanges_auditevent_changelist"),
                              _audit_events)
    assert many == few


def _class_exchanges(n: int) -> None:
    for _ in range(n):
        a, b, twinning = partner_pair()
        ClassroomExchange.objects.create(classroom_a=a, classroom_b=b, twinning=twinning,
                                         program=ProgramFactory(kind="classroom"))


def test_the_class_exchange_list_reads_each_exchanges_classes_and_program_at_once(
    client, root
):
    few, many = _at_two_sizes(
        client, reverse("admin:exchanges_classroomexchange_changelist"), _class_exchanges)
    assert many == few



def _status_changes(twinning):
    def grow(n: int) -> None:
        for _ in range(n):
            TwinningStatusChange.objects.create(
                twinning=twinning, from_status="active", to_status="suspended",
                effective=dt.date(2024, 3, 1), actor=UserFactory(), reason="Council vote")
    return grow


def test_the_twinning_form_lists_its_status_history_without_a_query_per_change(
    client, root
):
    twinning = TwinningFactory()
    few, many = _at_two_sizes(
        client, reverse("admin:exchanges_twinning_change", args=[twinning.pk]),
        _status_changes(twinning))
    assert many == few
