"""The officer's dashboard: each figure with its definition, scoping, the range, its
query budget, classroom programs' figures, rows by twinning and by city."""

import csv
import datetime as dt
import io
import re

import pytest
from django.db import connection
from django.urls import reverse
from django.utils.html import escape

from exchanges.selectors.metrics import (
    DEFINITIONS,
    KEYS,
    LABELS,
    Period,
    Scope,
    metrics,
    people_profile,
)
from exchanges.services.metrics import metrics_refresh
from tests.exchanges.metrics_fixtures import at
from tests.exchanges.views.metrics.pages import MATCH_ONLY, SPRING, program_url
from tests.factories import ProgramFactory, TwinningFactory, officer_of

pytestmark = pytest.mark.django_db


def test_the_dashboard_shows_each_figure_with_its_definition(officer_client, data):
    response = officer_client.get(program_url("program_detail", data.program), SPRING)
    assert response.status_code == 200
    html = response.content.decode()
    for key in KEYS:
        assert escape(str(DEFINITIONS[key])) in html
    assert "How we count" in html
    assert 'id="metrics-charts"' in html and 'id="weekly-chart"' in html
    assert 'id="cohort-chart"' in html
    assert "vendor/chartjs/chart-4.6.1.umd.min.js" in html
    assert "Düsseldorf" in html and "名古屋" in html
    # The rates rest on few people here (3 answered matches may be 4 people; 3 attended):
    # hidden, the page saying why.
    accepted = re.search(r">Acceptance rate</abbr></dt>\s*<dd>(.*?)</dd>", html, re.S)
    assert accepted and "hidden so that a small count" in accepted.group(1)
    assert 'id="figures-suppression"' in html
    assert "Matching runs" in html  # the runs stay on the page


def test_the_dashboard_has_nothing_inline_for_the_strict_policy(officer_client, data):
    html = officer_client.get(program_url("program_detail", data.program), SPRING).content.decode()
    scripts = re.findall(r"<script([^>]*)>", html)
    assert scripts and all("src=" in attrs or 'type="application/json"' in attrs
                           for attrs in scripts)
    assert not re.search(r"\sstyle=|\son[a-z]+=|<style", html)


def test_the_dashboard_never_shows_messages_or_pupils(officer_client, data):
    html = officer_client.get(program_url("program_detail", data.program), SPRING).content.decode()
    assert "hallo" not in html
    assert "Pia" not in html
    # Pupils as counts only, and one pupil's count hidden like a small row's.
    assert "1 in 1 class" not in html and "&lt;5</abbr> in 1 class" in html


def test_the_dashboard_refreshes_only_the_runs_for_htmx(officer_client, data):
    html = officer_client.get(
        program_url("program_detail", data.program), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert html.lstrip().startswith('<div id="runs"')


def test_the_dashboard_says_what_was_wrong_with_the_range(officer_client, data):
    response = officer_client.get(program_url("program_detail", data.program),
                                  {"from": "2026-02-30"})
    assert response.status_code == 400
    assert "A date as YYYY-MM-DD" in response.content.decode()


@pytest.mark.parametrize("name", ["program_detail", "program_metrics_json", "program_metrics_csv"])
def test_an_officer_of_another_program_is_refused(client, data, name):
    client.force_login(officer_of(data.other_program))
    assert client.get(program_url(name, data.program), SPRING).status_code == 404


@pytest.mark.parametrize("name", ["program_detail", "program_metrics_json", "program_metrics_csv"])
def test_a_participant_is_refused_and_an_unknown_program_is_not_found(client, data, name):
    client.force_login(data.people["alice"].user)
    assert client.get(program_url(name, data.program), SPRING).status_code == 404
    client.force_login(officer_of(data.program))
    assert client.get(reverse(name, args=["no-such-program"])).status_code == 404


def test_the_figures_say_when_they_were_computed(officer_client, data):
    refreshed = dt.datetime(2026, 6, 1, 9, 30, tzinfo=dt.UTC)
    metrics_refresh(full=True, now=refreshed)
    body = officer_client.get(program_url("program_metrics_json", data.program), SPRING).json()
    assert dt.datetime.fromisoformat(body["as_of"]) == refreshed
    html = officer_client.get(program_url("program_detail", data.program), SPRING).content.decode()
    assert "Figures as of " in html and "(UTC); they are brought up to date every" in html


def test_figures_never_computed_say_so_and_rates_over_nothing_are_blank(client):
    """A program seeded a moment ago, before the first refresh: no time to give, and no
    rate over zero people or zero answered matches shown as a percentage."""
    program = ProgramFactory(twinnings=[TwinningFactory()])
    client.force_login(officer_of(program))
    body = client.get(program_url("program_metrics_json", program)).json()
    assert body["as_of"] is None
    assert body["participants"] == 0
    for rate in ("match_rate", "acceptance_rate", "attendance_rate", "retention"):
        assert body[rate] is None, rate
    html = client.get(program_url("program_detail", program)).content.decode()
    assert "Not computed yet: the figures are brought up to date every five minutes" in html
    for label in ("Match rate", "Acceptance rate", "Attendance rate", "Retention"):
        shown = re.search(rf">{label}</abbr></dt>\s*<dd>([^<]*)</dd>", html)
        assert shown and shown.group(1) == "—", label


def test_the_figures_keep_their_query_budget(data, django_assert_num_queries):
    """The figures read a fixed number of grouped queries, however big the program; on
    PostgreSQL the reads after the twinnings go as one statement (selectors/metrics/batch)
    (tests/exchanges/views/test_metrics_queries.py counts whole requests)."""
    scope = Scope(program_ids=(data.program.pk,))
    period = Period(dt.date(2026, 3, 1), dt.date(2026, 5, 31))
    one_trip = connection.vendor == "postgresql"
    # Twinnings; then people by city and days to match (and those who reached a milestone
    # after the range, and matched after it; the same of the counts kept for people whose
    # data was deleted), sessions by twinning/cities/week, active people, matches by
    # twinning, messages by twinning, when they were refreshed.
    with django_assert_num_queries(2 if one_trip else 11):
        metrics(scope=scope, period=period)
    # Cohorts and breakdown (and milestones after the range, of the summaries and of the
    # kept counts), languages.
    with django_assert_num_queries(1 if one_trip else 4):
        people_profile(scope=scope, period=period, twinnings=[])


@pytest.mark.parametrize(("value", "language", "shown"), [
    (1234567.89, "en", "1234567.9"),
    (165318.57, "en", "165318.6"),
    (2.0, "en", "2"),
    (12.25, "fr", "12,2"),
    (7, "en", "7"),
])
def test_the_dashboard_writes_decimals_with_one_place_and_no_exponent(value, language, shown):
    from django.utils import translation

    from exchanges.views.metrics import _display

    with translation.override(language):
        assert _display("contact_hours", value) == shown


@pytest.mark.parametrize(("language", "shown"), [
    ("en", "Figures, 1 Mar 2026 to 31 May 2026"),
    ("fr", "1 mars 2026"),
    ("ja", "2026/05/31"),
])
def test_the_dashboard_heading_writes_the_range_in_the_readers_date_format(
    officer_client, data, language, shown
):
    html = officer_client.get(program_url("program_detail", data.program), SPRING,
                              HTTP_ACCEPT_LANGUAGE=language).content.decode()
    heading = html[html.index('id="figures-title"'):]
    heading = heading[:heading.index("</h2>")]
    assert shown in heading
    assert "2026-05-31" not in heading


def test_a_classroom_programs_dashboard_leaves_out_the_match_figures_and_says_why(
    client, classroom_program
):
    client.force_login(officer_of(classroom_program))
    html = client.get(program_url("program_detail", classroom_program)).content.decode()
    figures = html.split('<dl class="figures">')[1].split("</dl>")[0]
    tables = html.split('id="by-twinning-title"')[1].split('id="how-title"')[0]
    definitions = html.split('<dl class="definitions">')[1].split("</dl>")[0]
    for key in MATCH_ONLY:
        label = escape(str(LABELS[key]))
        assert f">{label}</abbr>" not in figures
        assert f">{label}</th>" not in tables
        assert f"<dt>{label}</dt>" not in definitions
    # What does apply stays: a card, a column of both tables, a definition.
    assert ">Participants</abbr>" in figures and ">Sessions held</abbr>" in figures
    assert tables.count('<th scope="col">Sessions held</th>') == 2
    assert "<dt>Attendance rate</dt>" in definitions
    # No matching runs for a program that has none.
    assert 'id="runs"' not in html
    # Said on the page, with the figures it leaves out.
    note = re.search(r'<p class="muted" id="figures-not-applicable">([^<]*)</p>', html)
    assert "Match rate" in note.group(1) and "class exchanges" in note.group(1)
    assert 'id="figures-not-counted"' not in html  # pupils' attendance is counted now


def test_a_classroom_programs_halted_twinning_says_no_new_class_exchanges(
    client, classroom_program
):
    from exchanges.models import Twinning

    Twinning.objects.filter(programs=classroom_program).update(status=Twinning.Status.SUSPENDED)
    client.force_login(officer_of(classroom_program))
    html = client.get(program_url("program_detail", classroom_program)).content.decode()
    assert "no new class exchanges" in html and "no new matches" not in html


def test_a_tandem_programs_dashboard_shows_every_figure_and_its_runs(officer_client, data):
    html = officer_client.get(program_url("program_detail", data.program), SPRING).content.decode()
    figures = html.split('<dl class="figures">')[1].split("</dl>")[0]
    assert all(f">{escape(str(LABELS[key]))}</abbr>" in figures for key in KEYS)
    assert 'id="runs"' in html and 'id="figures-not-applicable"' not in html


def test_a_classroom_programs_pages_and_exports_count_pupils_never_naming_one(client):
    # tests/exchanges/pupil_attendance_fixtures.py: 8 of 14 pupils expected came; 6 came.
    from tests.exchanges.pupil_attendance_fixtures import classes_with_attendance

    classes = classes_with_attendance()
    metrics_refresh(full=True)
    client.force_login(officer_of(classes.program))
    html = client.get(program_url("program_detail", classes.program)).content.decode()
    shown = re.search(r'<abbr title="([^"]*)">Attendance rate</abbr></dt>\s*<dd>([^<]*)</dd>', html)
    assert shown.group(2) == "57.1 %"
    assert escape("expects the pupils of both classes who had joined") in shown.group(1)
    active = re.search(r'>Active participants</abbr></dt>\s*<dd>([^<]*)</dd>', html)
    assert active.group(1) == "6"
    body = client.get(program_url("program_metrics_json", classes.program)).json()
    assert (body["attendance_rate"], body["active_participants"]) == (0.5714, 6)
    # Each class's city counts 3 active pupils: hidden on the page, so in the exports too.
    assert [row["active_participants"] for row in body["by_city"]] == [None, None]
    assert [row["hidden"]["active_participants"] for row in body["by_city"]] == ["small"] * 2
    csv_text = client.get(program_url("program_metrics_csv", classes.program)).content.decode(
        "utf-8-sig")
    lines = list(csv.DictReader(io.StringIO(csv_text)))
    total = lines[0]
    assert (total["attendance_rate"], total["active_participants"]) == ("0.5714", "6")
    assert total["hidden"] == ""
    cities = [line for line in lines if line["level"] == "city"]
    assert [line["active_participants"] for line in cities] == ["", ""]
    assert all("active_participants:small" in line["hidden"].split() for line in cities)
    names = [p.user.display_name for p in classes.pupils.values()]
    for text in (html, csv_text, str(body)):
        assert not [name for name in names if name in text]


def test_the_by_twinning_rows_name_each_twinning_with_its_countries(officer_client, data):
    # Two cities may share a name (Birmingham): the officer's pages name the countries.
    html = officer_client.get(program_url("program_detail", data.program), SPRING).content.decode()
    section = html.split('aria-labelledby="by-twinning-title"', 1)[1].split("</section>", 1)[0]
    names = re.findall(r'<tr><th scope="row">(.*?)</th>', section)
    assert names == [escape("London (United Kingdom) – Düsseldorf (Germany)"),
                     escape("London (United Kingdom) – 名古屋 (Japan)")]


def test_the_by_city_rows_name_each_city_with_its_country_in_the_readers_language(
    officer_client, data
):
    # Two cities may share a name (Birmingham): the rows say which country, as the
    # by-twinning rows do.
    for language, names in (
        ("en", ["Düsseldorf (Germany)", "London (United Kingdom)", "名古屋 (Japan)"]),
        ("fr", ["Düsseldorf (Allemagne)", "London (Royaume-Uni)", "名古屋 (Japon)"]),
    ):
        html = officer_client.get(program_url("program_detail", data.program), SPRING,
                                  HTTP_ACCEPT_LANGUAGE=language).content.decode()
        section = html.split('aria-labelledby="by-city-title"', 1)[1].split("</section>", 1)[0]
        assert re.findall(r'<tr><th scope="row">(.*?)</th>', section) == [
            escape(name) for name in names]


def test_a_city_whose_twinning_left_the_program_is_named_with_its_country(
    officer_client, data
):
    # Düsseldorf's people are still counted once London–Düsseldorf leaves the program.
    data.program.twinnings.remove(data.twinning)
    metrics_refresh(full=True, now=at(12, 2))
    html = officer_client.get(program_url("program_detail", data.program), SPRING).content.decode()
    section = html.split('aria-labelledby="by-city-title"', 1)[1].split("</section>", 1)[0]
    assert re.findall(r'<tr><th scope="row">(.*?)</th>', section) == [
        escape(name) for name in ("Düsseldorf (Germany)", "London (United Kingdom)",
                                  "名古屋 (Japan)")]
