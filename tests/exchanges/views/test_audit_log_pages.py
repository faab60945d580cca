"""The officers' audit log a page at a time: lifecycle changes and matching runs merged
newest first across pages, none dropped however many there are, in a fixed number of
queries."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from exchanges.models import AuditEvent, MatchRun
from exchanges.selectors.lifecycle import AUDIT_ENTRIES_PER_PAGE, audit_target
from tests.exchanges.lifecycle_fixtures import make_lifecycle_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_lifecycle_world()


def _log(world, pairs: int) -> None:
    """``pairs`` lifecycle events and ``pairs`` runs, alternating in time (entry 0 the
    newest: event k is entry 2k, run k entry 2k + 1)."""
    now = timezone.now()
    target = audit_target(world.twinning)
    for k in range(pairs):
        event = AuditEvent.objects.create(
            verb="twinning.suspended", target=target, actor=world.officer,
            data={"from": "active", "to": "suspended", "reason": f"entry {2 * k}."})
        run = MatchRun.objects.create(program=world.program, status="done", pairs_count=1,
                                      participants_count=100000 + 2 * k + 1)
        AuditEvent.objects.filter(pk=event.pk).update(
            created_at=now - dt.timedelta(minutes=2 * k))
        MatchRun.objects.filter(pk=run.pk).update(
            created_at=now - dt.timedelta(minutes=2 * k + 1))


def _entries(html: str) -> list[int]:
    found = re.findall(r"entry (\d+)\.|from 1(\d{5}) participants", html)
    return [int(event or run) for event, run in found]


def test_every_entry_is_on_a_page_newest_first(client, world):
    _log(world, 130)  # 260 entries: more than the 200 the page used to cut at
    client.force_login(world.officer)
    shown = []
    for number in range(1, 7):
        html = client.get(reverse("audit_log"), {"page": number}).content.decode()
        page = _entries(html)
        assert len(page) == (AUDIT_ENTRIES_PER_PAGE if number < 6 else 10)
        shown += page
    assert shown == list(range(260))
    assert "Page 6 of 6" in html


@pytest.mark.parametrize("pairs", [2, 150])
def test_the_audit_log_queries_do_not_grow_with_the_entries(client, world, pairs,
                                                            django_assert_max_num_queries):
    _log(world, pairs)
    client.force_login(world.officer)
    # 14: two of them read every run's counts and the matches by status for the
    # small-count rule (selectors/metrics/runs.py), however many runs there are.
    with django_assert_max_num_queries(14):
        html = client.get(reverse("audit_log")).content.decode()
    assert _entries(html) == list(range(min(2 * pairs, AUDIT_ENTRIES_PER_PAGE)))
