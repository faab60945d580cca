"""The weekly sessions and hours under the small-count rule: a week whose sessions 1 to 4
people attended shows no exact figure on the dashboard (table and chart) nor in the
exports' totals that equal it, another week goes with it where the totals would give it
back, and a week of many people shows its figures."""

import csv
import datetime as dt
import io
import json
import re

import pytest

from exchanges.models import Attendance, Match, PresenceInterval, Session
from exchanges.services.metrics import metrics_refresh
from tests.exchanges.views.metrics.pages import SPRING, program_url
from tests.factories import MatchFactory, ProgramFactory, TwinningFactory, officer_of

pytestmark = pytest.mark.django_db

WEEK_ROW = re.compile(
    r'<tr><th scope="row">(\d{4}-\d\d-\d\d)</th><td>(.*?)</td><td>(.*?)</td></tr>')


def _held(match: Match, start: dt.datetime, minutes: int = 60) -> None:
    """A held hour-long session both partners attended for ``minutes`` together."""
    session = Session.objects.create(match=match, starts_at=start, minutes=60,
                                     status=Session.Status.HELD)
    end = start + dt.timedelta(minutes=minutes)
    for person in match.members:
        attendance = Attendance.objects.create(
            session=session, participant=person, status=Attendance.Status.ATTENDED,
            first_join=start, last_leave=end, seconds_present=minutes * 60)
        PresenceInterval.objects.create(attendance=attendance, started_at=start, ended_at=end)


def _program(*, lone_week: bool, first_minutes: int = 60):
    """Six pairs in spring 2026: three meet in the week of 2 March, three in the week of
    9 March (6 people each week); with ``lone_week``, the first pair alone meets again in
    the week of 16 March (2 people). The first pair's first session lasts
    ``first_minutes`` together."""
    twinning = TwinningFactory()
    program = ProgramFactory(twinnings=[twinning], start_date=dt.date(2026, 3, 1))
    pairs = []
    for _ in range(6):
        match = MatchFactory(program=program, twinning=twinning, status=Match.Status.ACTIVE)
        for person in match.members:
            person.onboarded_at = dt.datetime(2026, 2, 20, 12, tzinfo=dt.UTC)
            person.save(update_fields=["onboarded_at"])
            person.programs.add(program)
        pairs.append(match)
    for n, match in enumerate(pairs):
        _held(match, dt.datetime(2026, 3, 3 if n < 3 else 10, 18 + n % 3, tzinfo=dt.UTC),
              minutes=first_minutes if n == 0 else 60)
    if lone_week:
        _held(pairs[0], dt.datetime(2026, 3, 17, 18, tzinfo=dt.UTC))
    metrics_refresh(full=True)
    return program


def _dashboard(client, program) -> tuple[dict, dict, str]:
    """The weekly table's rows {week: (sessions, hours)}, the chart's weeks and the page."""
    client.force_login(officer_of(program))
    html = client.get(program_url("program_detail", program), SPRING).content.decode()
    section = html.split('id="weekly-title"')[1].split("</section>")[0]
    table = {week: (held, hours) for week, held, hours in WEEK_ROW.findall(section)}
    island = re.search(r'<script id="metrics-charts" type="application/json">(.*?)</script>',
                       html, re.S)
    chart = {w["week"]: w for w in json.loads(island.group(1))["weekly"]}
    return table, chart, section


def test_a_week_a_single_pair_met_in_shows_no_exact_figure_anywhere(client, data):
    # Alice and Bruno meet alone in the weeks of 16 March and 4 May; Carla comes too in
    # the week of 23 March: 3 people at most, and the program's 3 active people in all.
    table, chart, section = _dashboard(client, data.program)
    for week in ("2026-03-16", "2026-03-23", "2026-05-04"):
        assert "&lt;5" in table[week][0] and "&lt;5" in table[week][1], week
        assert chart[week]["sessions_held"] is None and chart[week]["contact_hours"] is None
        assert chart[week]["hidden"] == "<5"
        assert "active_participants" not in chart[week]
    caption = section.split('id="weekly-hidden"')[1].split("</figcaption>")[0]
    assert "2026-03-16" in caption and "2026-05-04" in caption and "&lt;5" in caption
    # The totals (the sum of the weeks) are hidden alike in the exports.
    body = client.get(program_url("program_metrics_json", data.program), SPRING).json()
    for key in ("sessions_held", "contact_hours", "sessions_scheduled", "sessions_missed"):
        assert body[key] is None and body["hidden"][key] == "complementary", key
    raw = client.get(program_url("program_metrics_csv", data.program), SPRING).content
    program = next(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert program["sessions_held"] == "" and program["contact_hours"] == ""
    assert "sessions_held:complementary" in program["hidden"].split()


def test_weeks_of_many_people_show_their_figures(client):
    program = _program(lone_week=False)
    table, chart, _section = _dashboard(client, program)
    assert table["2026-03-02"] == ("3", "3") and table["2026-03-09"] == ("3", "3")
    assert chart["2026-03-09"]["sessions_held"] == 3 and chart["2026-03-09"]["hidden"] is None
    body = client.get(program_url("program_metrics_json", program), SPRING).json()
    assert body["sessions_held"] == 6 and body["contact_hours"] == 6.0
    assert body["hidden"] == {}


def test_the_totals_cannot_give_a_hidden_week_back(client):
    program = _program(lone_week=True)
    table, chart, _section = _dashboard(client, program)
    assert "&lt;5" in table["2026-03-16"][0]
    body = client.get(program_url("program_metrics_json", program), SPRING).json()
    assert body["sessions_held"] == 7 and body["contact_hours"] == 7.0  # 12 people active
    hidden = [week for week, w in chart.items() if w["hidden"]]
    shown = sum(w["sessions_held"] for w in chart.values() if not w["hidden"])
    # The total less the weeks shown is shared by two weeks, so neither is known.
    assert len(hidden) == 2 and "2026-03-16" in hidden
    assert body["sessions_held"] - shown == 4
    other = next(week for week in hidden if week != "2026-03-16")
    assert chart[other]["hidden"] == "—" and "—" in table[other][0]


def test_a_weeks_hours_show_one_decimal_as_the_totals_beside_them_do(client):
    # 40 + 60 + 60 minutes together in the week of 2 March: 2.67 hours, 5.67 in all.
    program = _program(lone_week=False, first_minutes=40)
    table, chart, _section = _dashboard(client, program)
    assert table["2026-03-02"] == ("3", "2.7") and table["2026-03-09"] == ("3", "3")
    assert chart["2026-03-02"]["contact_hours"] == 2.7  # the chart draws what the table says
    html = client.get(program_url("program_detail", program), SPRING).content.decode()
    total = re.search(r">Contact hours</abbr></dt>\s*<dd>([^<]*)</dd>", html)
    assert total and total.group(1) == "5.7"
    french = client.get(program_url("program_detail", program), SPRING,
                        headers={"accept-language": "fr"}).content.decode()
    section = french.split('id="weekly-title"')[1].split("</section>")[0]
    assert ("2026-03-02", "3", "2,7") in WEEK_ROW.findall(section)



def test_the_charts_weeks_write_each_series_as_one_number_type(client):
    # Weeks without sessions wrote 0 hours beside the others' 3.0 (ints and floats in one
    # series of the chart's JSON).
    program = _program(lone_week=False)
    _table, chart, _section = _dashboard(client, program)
    assert chart["2026-03-23"]["contact_hours"] == 0 and chart["2026-03-09"]["contact_hours"]
    for key, kind in (("sessions_held", int), ("contact_hours", float)):
        assert {type(week[key]) for week in chart.values() if not week["hidden"]} == {kind}
