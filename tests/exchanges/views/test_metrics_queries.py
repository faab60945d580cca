"""Query budget of the officers' pages and the public register on PostgreSQL (issue 12:
at most 10 queries each), counted over whole requests, session and header included; more
twinnings, people and sessions must not add any."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from exchanges.models import Match, Room, Session
from exchanges.services.metrics import metrics_refresh
from tests.exchanges.metrics_fixtures import _present, _settle, at, build_dataset
from tests.factories import (
    MatchFactory,
    ParticipantFactory,
    TwinningFactory,
    officer_of,
)

BUDGET = 10
SPRING = {"from": "2026-03-01", "to": "2026-05-31"}


def _officer_client(client, program):
    client.force_login(officer_of(program))
    return client


def _counts(client, program) -> dict[str, int]:
    pages = {
        "dashboard": (reverse("program_detail", args=[program.slug]), SPRING),
        "metrics_json": (reverse("program_metrics_json", args=[program.slug]), SPRING),
        "transparency": (reverse("transparency"), {}),
        "transparency_json": (reverse("transparency_json"), {}),
    }
    counts = {}
    for name, (url, query) in pages.items():
        client.get(url, query)  # the first request may fill caches
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, query).status_code == 200
        counts[name] = len(queries)
    return counts


def _grow(data):
    """Another twinning of the program with a pair and a held session."""
    twinning = TwinningFactory(city_a=data.london)
    data.program.twinnings.add(twinning)
    a = ParticipantFactory(city=data.london, onboarded_at=at(3, 3))
    b = ParticipantFactory(city=twinning.city_b, onboarded_at=at(3, 4))
    for person in (a, b):
        person.programs.add(data.program)
    match = MatchFactory(program=data.program, twinning=twinning, participant_a=a,
                         participant_b=b, status=Match.Status.ACTIVE, activated_at=at(3, 12))
    room = Room.objects.create(match=match)
    session = Session.objects.create(match=match, starts_at=at(4, 2, 18), minutes=60)
    _present(room, a, (at(4, 2, 18), at(4, 2, 19)))
    _present(room, b, (at(4, 2, 18), at(4, 2, 19)))
    _settle(session)


def test_each_page_keeps_within_ten_queries(postgres, client):
    data = build_dataset()
    client = _officer_client(client, data.program)
    before = _counts(client, data.program)
    assert all(count <= BUDGET for count in before.values()), before
    for _ in range(3):
        _grow(data)
    metrics_refresh(full=True, now=dt.datetime(2026, 6, 1, tzinfo=dt.UTC))
    after = _counts(client, data.program)
    assert after == before


def test_an_open_programs_dashboard_keeps_within_ten_queries(postgres, client):
    """A program still taking matching runs asks whether any twinning is active: the
    dashboard answers it from the twinnings it reads anyway."""
    data = build_dataset()
    program = data.program
    program.start_date, program.weeks = dt.date.today() - dt.timedelta(weeks=2), 40
    program.save(update_fields=["start_date", "weeks"])
    client = _officer_client(client, program)
    html = client.get(reverse("program_detail", args=[program.slug])).content.decode()
    assert "No matching run" not in html  # the run is open: every check was made
    assert _counts(client, program)["dashboard"] <= BUDGET
