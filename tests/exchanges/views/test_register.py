"""The public transparency register: no login, every twinning with its history, and
participation per year with small counts suppressed so that none can be worked out."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape

from exchanges.models import Attendance, Match, PresenceInterval, Session, SummaryMark
from exchanges.services.metrics import session_summaries_refresh
from exchanges.services.metrics_participants import participant_summaries_refresh
from exchanges.services.twinning_lifecycle import twinning_suspend
from tests.exchanges.lifecycle_fixtures import make_officer
from tests.factories import MatchFactory, ProgramFactory, TwinningFactory

pytestmark = pytest.mark.django_db

YEAR = timezone.now().year
LAST = YEAR - 1


def _held(match: Match, start: dt.datetime, minutes_together: int = 60) -> Session:
    session = Session.objects.create(
        match=match, starts_at=start, minutes=60, status=Session.Status.HELD
    )
    for person in match.members:
        attendance = Attendance.objects.create(
            session=session, participant=person, status=Attendance.Status.ATTENDED,
            first_join=start, last_leave=start + dt.timedelta(minutes=minutes_together),
            seconds_present=minutes_together * 60,
        )
        PresenceInterval.objects.create(
            attendance=attendance, started_at=start,
            ended_at=start + dt.timedelta(minutes=minutes_together),
        )
    return session


def _missed(match: Match, start: dt.datetime) -> Session:
    session = Session.objects.create(
        match=match, starts_at=start, minutes=60, status=Session.Status.MISSED
    )
    Attendance.objects.create(session=session, participant=match.participant_a,
                              status=Attendance.Status.ATTENDED, seconds_present=3600)
    Attendance.objects.create(session=session, participant=match.participant_b,
                              status=Attendance.Status.MISSED)
    return session


def _pairs(program, twinning, year: int, pairs: int, sessions_each: int, minutes: int = 60):
    """Pairs whose profiles were completed in ``year``, with their sessions."""
    made = []
    for p in range(pairs):
        match = MatchFactory(program=program, twinning=twinning, status=Match.Status.ACTIVE)
        for person in match.members:
            person.onboarded_at = dt.datetime(year, 2, 1, 12, tzinfo=dt.UTC)
            person.save(update_fields=["onboarded_at"])
            person.programs.add(program)
        for s in range(sessions_each):
            start = dt.datetime(year, 3, 2, 18, tzinfo=dt.UTC) + dt.timedelta(days=7 * s, hours=p)
            made.append(_held(match, start, minutes))
        made.append(_missed(match, dt.datetime(year, 6, 1, 18, tzinfo=dt.UTC)))
    return made


@pytest.fixture
def register_data():
    """T1: last year 3 pairs × 2 sessions, this year 1 pair × 3; T2: last year 1 pair × 7,
    this year 3 pairs × 2 (the last pair's sessions 30 minutes together)."""
    t1, t2 = TwinningFactory(), TwinningFactory()
    program = ProgramFactory(twinnings=[t1, t2])
    sessions = (
        _pairs(program, t1, LAST, 3, 2) + _pairs(program, t1, YEAR, 1, 3)
        + _pairs(program, t2, LAST, 1, 7) + _pairs(program, t2, YEAR, 2, 2)
        + _pairs(program, t2, YEAR, 1, 2, minutes=30)
    )
    session_summaries_refresh(session_ids=[s.pk for s in sessions])
    participant_summaries_refresh(program_id=program.pk)
    officer = make_officer(program)
    twinning_suspend(twinning=t2, by=officer, reason="Council vote",
                     effective=timezone.localdate(), side="city_b",
                     source="https://example.org/vote")
    return t1, t2


def _published(json, figure):
    rows = [t for t in json["twinnings"]]
    years = [str(y) for y in json["years"]]
    cells = [[t["participation"][y][figure] for y in years] for t in rows]
    row_totals = [t["participation_all_years"][figure] for t in rows]
    col_totals = [json["totals"]["by_year"][y][figure] for y in years]
    grand = json["totals"]["all_years"][figure]
    return cells, row_totals, col_totals, grand


def _recover_by_subtraction(cells, row_totals, col_totals, grand):
    """What an attacker works out from the published JSON by subtracting from totals."""
    known = {(i, j): c["value"] for i, row in enumerate(cells) for j, c in enumerate(row)}
    lines = [(row_totals[i]["value"], [(i, j) for j in range(len(cells[0]))])
             for i in range(len(cells))]
    lines += [(col_totals[j]["value"], [(i, j) for i in range(len(cells))])
              for j in range(len(cells[0]))]
    lines.append((grand["value"], list(known)))
    recovered, progress = {}, True
    while progress:
        progress = False
        for total, line in lines:
            unknown = [c for c in line if known[c] is None]
            if total is not None and len(unknown) == 1:
                known[unknown[0]] = total - sum(known[c] for c in line if c != unknown[0])
                recovered[unknown[0]] = known[unknown[0]]
                progress = True
    return recovered


def test_json_lists_every_twinning_with_its_history_without_login(client, register_data):
    t1, t2 = register_data
    response = client.get(reverse("transparency_json"))
    assert response.status_code == 200
    data = response.json()
    by_id = {t["id"]: t for t in data["twinnings"]}
    assert set(by_id) == {t1.pk, t2.pk}
    assert by_id[t2.pk]["status"] == "suspended"
    [change] = by_id[t2.pk]["status_history"]
    assert (change["from"], change["to"], change["reason"], change["source"]) == (
        "active", "suspended", "Council vote", "https://example.org/vote",
    )
    assert change["date"] == timezone.localdate().isoformat()
    assert by_id[t1.pk]["city_a"] == {"name": t1.city_a.name, "country": "GB"}
    assert by_id[t1.pk]["status_history"] == []
    assert data["years"] == [LAST, YEAR]
    assert set(data["definitions"]) == {"participants", "sessions_held", "contact_hours"}


def test_small_counts_are_null_and_suppressed_and_nothing_published_is_small(
    client, register_data
):
    t1, _ = register_data
    data = client.get(reverse("transparency_json")).json()
    t1_row = next(t for t in data["twinnings"] if t["id"] == t1.pk)
    assert t1_row["participation"][str(YEAR)]["participants"] == {
        "value": None, "suppressed": True,
    }
    assert t1_row["participation"][str(YEAR)]["sessions_held"] == {
        "value": None, "suppressed": True,
    }
    for figure in ("participants", "sessions_held"):
        cells, row_totals, col_totals, grand = _published(data, figure)
        published = [c for row in cells for c in row] + row_totals + col_totals + [grand]
        assert all(not (1 <= (c["value"] or 0) <= 4) for c in published)
        assert all(c["suppressed"] == (c["value"] is None) for c in published)
    # Totals that give nothing away are published.
    assert data["totals"]["all_years"]["sessions_held"] == {"value": 22, "suppressed": False}
    assert data["totals"]["all_years"]["participants"] == {"value": 16, "suppressed": False}
    # 21 sessions of 60 minutes together and 2 of 30 minutes (missed sessions never count).
    assert data["totals"]["all_years"]["contact_hours"] == {"value": 21.0, "suppressed": False}


def test_no_hidden_cell_can_be_recovered_from_the_published_json(client, register_data):
    data = client.get(reverse("transparency_json")).json()
    for figure in ("participants", "sessions_held", "contact_hours"):
        cells, row_totals, col_totals, grand = _published(data, figure)
        assert any(c["suppressed"] for row in cells for c in row)  # the test has teeth
        assert _recover_by_subtraction(cells, row_totals, col_totals, grand) == {}


def test_html_page_shows_suppressed_cells_history_and_how_we_count(client, register_data):
    t1, t2 = register_data
    response = client.get(reverse("transparency"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "&lt;5" in html
    assert "How we count" in html and "both sides were present" in html
    assert "Council vote" in html and "https://example.org/vote" in html
    assert t1.city_a.name in html and t2.city_b.name in html
    assert "Suspended" in html


def test_an_empty_platform_still_answers(client):
    assert client.get(reverse("transparency")).status_code == 200
    data = client.get(reverse("transparency_json")).json()
    assert data["twinnings"] == [] and data["years"] == [YEAR]


def test_the_register_takes_a_bounded_number_of_queries(
    client, register_data, django_assert_max_num_queries
):
    t1, t2 = register_data
    for extra in range(5):  # more twinnings with history must not add queries
        twinning = TwinningFactory()
        twinning_suspend(twinning=twinning, by=make_officer(ProgramFactory(twinnings=[twinning])),
                         reason=f"vote {extra}", effective=timezone.localdate())
    # Nor more programs on a twinning, with people of their own.
    other = ProgramFactory(twinnings=[t1, t2])
    _refresh_all(_pairs(other, t1, LAST, 3, 1), other)
    # Twinnings, their history, sessions, attended people by program and the register's
    # people (one union), each program's people (against differencing with an officer's
    # own figures) and when the roll-ups were refreshed: five.
    with django_assert_max_num_queries(5):
        assert client.get(reverse("transparency_json")).status_code == 200
    with django_assert_max_num_queries(5):
        assert client.get(reverse("transparency")).status_code == 200


def _refresh_all(sessions, *programs):
    session_summaries_refresh(session_ids=[s.pk for s in sessions])
    for program in programs:
        participant_summaries_refresh(program_id=program.pk)


def test_the_home_page_links_to_the_register(client):
    html = client.get(reverse("home")).content.decode()
    assert reverse("transparency") in html


def test_the_register_says_when_its_figures_were_computed_not_only_when_it_was_generated(
    client, register_data
):
    # The figures come from roll-ups refreshed every five minutes: a visitor reading
    # "generated now" alone would take stale figures for current ones.
    refreshed = dt.datetime(YEAR, 1, 2, 3, 4, tzinfo=dt.UTC)
    SummaryMark.objects.update_or_create(
        name=SummaryMark.METRICS, defaults={"refreshed_until": refreshed}
    )
    data = client.get(reverse("transparency_json")).json()
    assert data["figures_as_of"] == refreshed.isoformat()
    html = client.get(reverse("transparency")).content.decode()
    assert 'id="figures-as-of"' in html
    assert "Figures as of" in html and date_format(refreshed, "DATETIME_FORMAT") in html


def test_a_register_never_refreshed_says_its_figures_are_not_computed_yet(client):
    SummaryMark.objects.filter(name=SummaryMark.METRICS).delete()
    assert client.get(reverse("transparency_json")).json()["figures_as_of"] is None
    assert "Not computed yet" in client.get(reverse("transparency")).content.decode()


@pytest.mark.parametrize("name", ["transparency", "transparency_json"])
def test_the_public_register_answers_head_as_get_and_refuses_writes(client, name):
    # Link checkers and uptime monitors ask HEAD of a public page.
    head = client.head(reverse(name))
    assert head.status_code == 200 and head.content == b""
    assert client.post(reverse(name)).status_code == 405


def test_the_generation_time_is_written_in_the_readers_format(client):
    page = client.get(reverse("transparency"), HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    sentence = page[page.index('<p class="muted"><small>'):page.index('id="figures-as-of"')]
    # Japanese date words, not an ISO stamp in every language.
    assert "年" in sentence and not re.search(r"\d{4}-\d{2}-\d{2}", sentence)


def test_json_says_how_precise_the_status_date_is(client):
    # "2022-03" in the data is March 2022, not the first of March.
    TwinningFactory(status="suspended", status_changed=dt.date(2022, 3, 1),
                    status_changed_precision="month")
    [twinning] = client.get(reverse("transparency_json")).json()["twinnings"]
    assert (twinning["status_changed"], twinning["status_changed_precision"]) == (
        "2022-03-01", "month",
    )


def test_the_open_data_may_be_cached_for_the_five_minutes_its_figures_last(client):
    json_cache = client.get(reverse("transparency_json")).headers["Cache-Control"]
    assert set(json_cache.replace(" ", "").split(",")) == {"public", "max-age=300"}
    # The page carries the reader's CSRF token (and, logged in, their menu): not shared.
    page_cache = client.get(reverse("transparency")).headers.get("Cache-Control", "")
    assert "public" not in page_cache


def _twinning_with(pairs: int, sessions_each: int, year: int = LAST):
    twinning = TwinningFactory()
    program = ProgramFactory(twinnings=[twinning])
    sessions = _pairs(program, twinning, year, pairs, sessions_each)
    session_summaries_refresh(session_ids=[s.pk for s in sessions])
    participant_summaries_refresh(program_id=program.pk)
    return twinning


def _figures_row(html: str, twinning) -> list[str]:
    """The twinning's cells on the page, as shown."""
    start = html.index(f'<th scope="row">{escape(str(twinning))}</th>')
    return re.findall(r"<td>(.*?)\s*</td>", html[start:html.index("</tr>", start)], re.S)


def test_a_twinning_year_where_one_pair_met_hides_its_sessions_and_one_of_many_shows_them(
    client
):
    # One pair, 7 sessions held last year: a count above 4 that still tells who met.
    # Three pairs, 6 sessions this year elsewhere: 6 people, shown.
    lone, many = _twinning_with(1, 7), _twinning_with(3, 2, YEAR)
    data = client.get(reverse("transparency_json")).json()
    by_id = {t["id"]: t for t in data["twinnings"]}
    hidden = {"value": None, "suppressed": True}
    for figure in ("sessions_held", "contact_hours"):
        assert by_id[lone.pk]["participation"][str(LAST)][figure] == hidden, figure
        assert by_id[lone.pk]["participation_all_years"][figure] == hidden, figure
        assert data["totals"]["by_year"][str(LAST)][figure] == hidden, figure
        # All years less the other twinning's would give the pair's back.
        assert data["totals"]["all_years"][figure] == hidden, figure
    shown = by_id[many.pk]["participation"][str(YEAR)]
    assert shown["sessions_held"] == {"value": 6, "suppressed": False}
    assert shown["contact_hours"] == {"value": 6.0, "suppressed": False}
    html = client.get(reverse("transparency")).content.decode()
    cells = _figures_row(html, lone)
    assert any("&lt;5" in cell for cell in cells)
    assert not {"7", "7.0"} & set(cells)
    assert {"6", "6.0"} <= set(_figures_row(html, many))


def test_a_hidden_twinning_year_cannot_be_subtracted_from_the_years_total(client):
    # One program over both twinnings: with one program each, the year's total less the
    # many's program's own 6 sessions would give the lone pair's 7 to that program's
    # officer, and it is withheld (test_register_differencing.py).
    lone, many = TwinningFactory(), TwinningFactory()
    program = ProgramFactory(twinnings=[lone, many])
    _refresh_all(_pairs(program, lone, LAST, 1, 7) + _pairs(program, many, LAST, 3, 2),
                 program)
    data = client.get(reverse("transparency_json")).json()
    by_id = {t["id"]: t for t in data["twinnings"]}
    assert by_id[lone.pk]["participation"][str(LAST)]["sessions_held"]["suppressed"]
    # Last year's total counts 8 people: published, so the other twinning goes too.
    assert data["totals"]["by_year"][str(LAST)]["sessions_held"]["value"] == 13
    assert by_id[many.pk]["participation"][str(LAST)]["sessions_held"]["suppressed"]
    for figure in ("sessions_held", "contact_hours"):
        assert _recover_by_subtraction(*_published(data, figure)) == {}
