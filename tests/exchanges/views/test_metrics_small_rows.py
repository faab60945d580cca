"""The officer dashboard's rows by city and by twinning follow the register's small-count
rule: a class of one pupil does not show that pupil's attendance in its city's row."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from exchanges.models import Participant, Program, Session
from exchanges.selectors.metrics.definitions import KEYS, MATCH_ONLY
from exchanges.services.attendance import attendance_join, attendance_leave
from exchanges.services.class_attendance import class_sessions_settle_finished
from exchanges.services.metrics import metrics_refresh
from tests.exchanges.class_exchange_fixtures import active_exchange
from tests.exchanges.lifecycle_fixtures import make_officer
from tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db


def _row(html: str, name: str) -> str:
    found = re.search(rf'<tr><th scope="row">{re.escape(name)}</th>(.*?)</tr>', html)
    assert found, name
    return found.group(1)


def test_a_one_pupil_class_does_not_show_its_pupils_attendance_in_its_city_row(client):
    exchange, pupils_a, (only,) = active_exchange(8, 1)
    program = ProgramFactory(twinnings=[exchange.twinning], kind=Program.Kind.CLASSROOM)
    exchange.program = program
    exchange.save(update_fields=["program"])
    start = timezone.now() - dt.timedelta(days=3)
    Session.objects.create(exchange=exchange, starts_at=start, minutes=45)
    for person in (pupils_a[0], only):
        attendance_join(room=exchange.room, user_id=person.user_id, at=start)
        attendance_leave(room=exchange.room, user_id=person.user_id,
                         at=start + dt.timedelta(minutes=30))
    class_sessions_settle_finished(now=timezone.now())
    metrics_refresh(full=True)
    client.force_login(make_officer(program))
    html = client.get(reverse("program_detail", args=[program.slug])).content.decode()

    alone = _row(html, exchange.classroom_b.city.with_country)
    assert "100" not in alone  # the one pupil came: 100 % attendance, 1 active
    cells = re.findall(r"<td>(.*?)</td>", alone)
    assert cells and all("&lt;5" in cell or "—" in cell for cell in cells)
    assert "&lt;5" in cells[0]  # participants: a count from 1 to 4
    # Its complement too: the program's totals less the other city would give it away.
    assert all("—" in cell or "&lt;5" in cell
               for cell in re.findall(r"<td>(.*?)</td>",
                                      _row(html, exchange.classroom_a.city.with_country)))
    assert 'id="rows-suppression"' in html and "public register" in html


def _cells(html: str, name: str) -> list[str]:
    return re.findall(r"<td>(.*?)</td>", _row(html, name))


def test_a_row_counting_nobody_shows_no_attendance_rate(client):
    # Class B's one pupil joined before the range and never came: the city's row counts
    # 0 participants and 0 active participants, so a "0 %" would rest on someone the row
    # does not show.
    exchange, pupils_a, (only,) = active_exchange(6, 1)
    program = ProgramFactory(twinnings=[exchange.twinning], kind=Program.Kind.CLASSROOM)
    exchange.program = program
    exchange.save(update_fields=["program"])
    long_ago = timezone.now() - dt.timedelta(days=30)
    Participant.objects.filter(pk__in=[p.pk for p in (*pupils_a, only)]).update(
        onboarded_at=long_ago)
    start = timezone.now() - dt.timedelta(days=3)
    Session.objects.create(exchange=exchange, starts_at=start, minutes=45)
    for person in pupils_a[:5]:
        attendance_join(room=exchange.room, user_id=person.user_id, at=start)
        attendance_leave(room=exchange.room, user_id=person.user_id,
                         at=start + dt.timedelta(minutes=30))
    class_sessions_settle_finished(now=timezone.now())
    metrics_refresh(full=True)
    client.force_login(make_officer(program))
    first = (timezone.now() - dt.timedelta(days=10)).date().isoformat()
    html = client.get(reverse("program_detail", args=[program.slug]),
                      {"from": first, "to": timezone.now().date().isoformat()}
                      ).content.decode()
    shown = [k for k in KEYS if k not in MATCH_ONLY]
    rate, participants, active = (shown.index(k) for k in (
        "attendance_rate", "participants", "active_participants"))
    nobody = _cells(html, exchange.classroom_b.city.with_country)
    assert (nobody[participants], nobody[active]) == ("0", "0")
    assert "%" not in nobody[rate] and "—" in nobody[rate]
    # A row that counts its attendees keeps its rate (5 of 6 expected pupils came).
    counted = _cells(html, exchange.classroom_a.city.with_country)
    assert counted[active] == "5" and "83" in counted[rate]
    assert 'id="rows-no-rate"' in html


def _breakdown_cell(html: str, header: str) -> str:
    found = re.search(rf'<tr><th scope="row">{re.escape(header)}</th><td>(.*?)</td></tr>', html)
    assert found, header
    return found.group(1)


def test_who_takes_part_and_the_totals_hide_a_one_pupil_range_but_keep_the_classes(client):
    # Only class B's one pupil joined in the range: "1 in 1 class", "under 18: 1".
    exchange, pupils_a, (only,) = active_exchange(6, 1)
    program = ProgramFactory(twinnings=[exchange.twinning], kind=Program.Kind.CLASSROOM)
    exchange.program = program
    exchange.save(update_fields=["program"])
    Participant.objects.filter(pk__in=[p.pk for p in pupils_a]).update(
        onboarded_at=timezone.now() - dt.timedelta(days=30))
    metrics_refresh(full=True)
    client.force_login(make_officer(program))
    first = (timezone.now() - dt.timedelta(days=10)).date().isoformat()
    html = client.get(reverse("program_detail", args=[program.slug]),
                      {"from": first, "to": timezone.now().date().isoformat()}
                      ).content.decode()
    pupils = _breakdown_cell(html, "Pupils")
    assert "1 in 1 class" not in pupils and "&lt;5" in pupils
    assert "&lt;5" in _breakdown_cell(html, "under 18")
    assert _breakdown_cell(html, "Citizens") == "0"  # nobody: nobody to single out
    # The range holds one person: the program's totals would show that pupil too. The
    # number of classes counts no one and stays.
    assert "in 1 class" in pupils
    cards = dict(re.findall(r"<dt><abbr [^>]*>(.*?)</abbr></dt>\s*<dd>(.*?)</dd>", html))
    assert "&lt;5" in cards["Participants"]
    assert all("—" in value for label, value in cards.items()
               if label not in ("Participants", "Open reports"))
    assert 'id="breakdown-suppression"' in html and 'id="figures-suppression"' in html


def _cohort_cells(html: str, week: dt.date) -> list[str]:
    section = html.split('aria-labelledby="cohort-title"', 1)[1].split("</section>", 1)[0]
    return _cells(section, week.isoformat())


def _monday(moment: dt.datetime) -> dt.date:
    day = moment.astimezone(dt.UTC).date()
    return day - dt.timedelta(days=day.weekday())


def test_a_one_pupil_cohort_shows_no_retention_and_its_complement_is_hidden(client):
    # Six pupils of class A joined two weeks ago; class B's one pupil joined this week:
    # the cohort of one would show that pupil's figures, and the program's total of
    # participants (7) less the other week's 6 would give it away.
    exchange, pupils_a, (only,) = active_exchange(6, 1)
    program = ProgramFactory(twinnings=[exchange.twinning], kind=Program.Kind.CLASSROOM)
    exchange.program = program
    exchange.save(update_fields=["program"])
    earlier = timezone.now() - dt.timedelta(days=14)
    Participant.objects.filter(pk__in=[p.pk for p in pupils_a]).update(onboarded_at=earlier)
    only.refresh_from_db()
    metrics_refresh(full=True)
    client.force_login(make_officer(program))
    first = (timezone.now() - dt.timedelta(days=20)).date().isoformat()
    response = client.get(reverse("program_detail", args=[program.slug]),
                          {"from": first, "to": timezone.now().date().isoformat()})
    html = response.content.decode()

    alone = _cohort_cells(html, _monday(only.onboarded_at))
    assert len(alone) == 4 and "&lt;5" in alone[0]  # joined: a count from 1 to 4
    assert all("—" in cell for cell in alone[1:])  # eligible, retained, retention
    # The other week is hidden too, as the program's total would give the one away.
    other = _cohort_cells(html, _monday(earlier))
    assert len(other) == 4 and "6" not in other[0] and "—" in other[0]
    # The chart's figures in the page carry no count and no hidden retention.
    charts = response.context["charts"]["cohorts"]
    assert charts and all(set(c) == {"week", "retention"} and c["retention"] is None
                          for c in charts)
    assert 'id="cohorts-suppression"' in html


def test_cohorts_of_five_or_more_keep_their_figures():
    from exchanges.selectors.metrics.small_rows import cohorts_hidden

    def week(joined, eligible, retained=0):
        return {"joined": joined, "eligible": eligible, "retained": retained}

    assert cohorts_hidden([week(5, 5), week(9, 0), week(0, 0)]) == [None, None, None]
    # Ten joined but the retention of 2 would single them out: that week and, as the
    # eligible add up, the next smallest one are hidden; the joined stay exact.
    flags = cohorts_hidden([week(10, 2), week(6, 6), week(7, 8)])
    assert flags[0] == {"joined": "", "eligible": "small", "retained": ""}
    assert flags[1] == {"joined": "", "eligible": "complementary", "retained": ""}
    assert flags[2] is None


def test_a_cohort_with_1_to_4_retained_hides_the_count_and_its_rate():
    from exchanges.selectors.metrics.small_rows import cohorts_hidden
    from exchanges.views.metrics import _cohorts, _display

    # 2 of 20 retained: the count singles two people out, and 10 % of 20 gives it back.
    weeks = [{"week": "2026-03-02", "joined": 20, "eligible": 20, "retained": 2,
              "retention": 0.1},
             {"week": "2026-03-09", "joined": 30, "eligible": 30, "retained": 12,
              "retention": 0.4}]
    flags = cohorts_hidden(weeks)
    assert flags[0]["retained"] == "small"
    assert flags[1]["retained"] == "complementary"  # the sum of retained would give it away
    shown = _cohorts(weeks, _display)
    assert "&lt;5" in shown[0]["retained"] and "10" not in shown[0]["retention_display"]
    assert "—" in shown[1]["retained"] and "40" not in shown[1]["retention_display"]


def _figures(totals: dict, *rows: dict) -> dict:
    """metrics()'s shape for the rule: each row's figures (0 unless given) and the counts
    behind its rates."""
    def row(values):
        figures = dict.fromkeys(KEYS, 0) | {k: v for k, v in values.items() if k in KEYS}
        counts = {k: values.get(k, 0) for k in ("retained", "attended")}
        return figures, counts
    built = [row(values) for values in (totals, *rows)]
    return {"totals": built[0][0],
            "by_twinning": [],
            "by_city": [{"id": i, "name": str(i), **f} for i, (f, _c) in enumerate(built[1:])],
            "rate_counts": {"totals": built[0][1], "by_twinning": [],
                            "by_city": [c for _f, c in built[1:]]}}


def test_a_small_retained_count_hides_the_retention_that_gives_it_back():
    from exchanges.selectors.metrics.small_rows import figures_hidden

    # 40 people, 30 active, 2 of 20 eligible retained: 10 % of them gives the 2 back.
    people = {"participants": 40, "active_participants": 30, "retention": 0.1,
              "retained": 2, "attended": 60}
    hidden = figures_hidden(_figures(people, people))
    assert hidden["totals"] == {"retention": "complementary"}
    assert hidden["by_city"] == [{"retention": "complementary"}]
    hidden = figures_hidden(_figures({**people, "retained": 5}, {**people, "retained": 5}))
    assert hidden["totals"] == {} and hidden["by_city"] == [{}]


def test_small_counts_of_matched_or_completed_people_are_hidden_with_their_complement():
    from exchanges.selectors.metrics.small_rows import figures_hidden

    city = {"participants": 20, "active_participants": 10, "attended": 40}
    hidden = figures_hidden(_figures(
        {"participants": 60, "active_participants": 30, "attended": 120, "matched": 23,
         "completion": 16},
        {**city, "matched": 3, "match_rate": 0.15, "median_days_to_match": 4.0,
         "completion": 6},
        {**city, "matched": 10, "completion": 3},
        {**city, "matched": 10, "completion": 7},
    ))
    assert hidden["totals"] == {}
    assert hidden["by_city"][0] == {"matched": "small", "match_rate": "complementary",
                                    "median_days_to_match": "complementary",
                                    "completion": "complementary"}
    # The totals less the other cities would give the 3 away: the next smallest goes too.
    assert hidden["by_city"][1] == {"matched": "complementary", "match_rate": "complementary",
                                    "median_days_to_match": "complementary",
                                    "completion": "small"}
    assert hidden["by_city"][2] == {}


def test_a_small_attended_count_hides_the_attendance_rate():
    from exchanges.selectors.metrics.small_rows import figures_hidden

    totals = {"participants": 12, "active_participants": 6, "attended": 3,
              "attendance_rate": 0.25}
    assert figures_hidden(_figures(totals))["totals"] == {"attendance_rate": "complementary"}


def test_a_row_counting_nobody_hides_its_attendance_rate_but_not_a_rate_over_nothing():
    from exchanges.selectors.metrics.small_rows import NOBODY, figures_hidden

    totals = {"participants": 12, "active_participants": 6, "attended": 6}
    hidden = figures_hidden(_figures(totals, {"attendance_rate": 0.0},
                                     {"attendance_rate": None}, totals))
    assert hidden["by_city"][:2] == [{"attendance_rate": NOBODY}, {}]


def test_the_page_shows_a_hidden_rate_as_a_dash_with_its_reason():
    from exchanges.selectors.metrics.small_rows import figures_hidden
    from exchanges.views.metrics import _rows

    people = {"participants": 40, "active_participants": 30, "retention": 0.1,
              "retained": 2, "attended": 60}
    figures = _figures(people)
    cards = {row["key"]: row["value"]
             for row in _rows(figures["totals"], hidden=figures_hidden(figures)["totals"])}
    assert "—" in cards["retention"] and "%" not in cards["retention"]
    assert "cannot be worked out" in cards["retention"]
    assert cards["participants"] == "40"
