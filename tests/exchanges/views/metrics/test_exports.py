"""The dashboard's JSON and CSV exports: the exact keys, hidden counts as null / empty, bad
ranges as JSON errors, and the CSV read back with Python's csv module."""

import csv
import datetime as dt
import io
import re

import pytest

from exchanges.selectors.metrics import (
    KEYS,
)
from exchanges.services.metrics import metrics_refresh
from tests.exchanges.metrics_fixtures import at
from tests.exchanges.views.metrics.pages import MATCH_ONLY, SPRING, program_url
from tests.factories import CityFactory, TwinningFactory, officer_of

pytestmark = pytest.mark.django_db


def test_the_json_export_has_the_exact_keys_and_the_figures(officer_client, data):
    response = officer_client.get(program_url("program_metrics_json", data.program), SPRING)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"program", "from", "to", "as_of", "by_twinning", "by_city", *KEYS,
                         "hidden"}
    assert (body["from"], body["to"]) == ("2026-03-01", "2026-05-31")
    # The program's 3 active people held its sessions: their hours are hidden with them,
    # the cancelled (resting on no one's presence) show.
    assert body["participants"] == 6 and body["sessions_cancelled"] == 1
    assert body["contact_hours"] is None
    assert body["hidden"]["contact_hours"] == "complementary"
    for row in body["by_twinning"] + body["by_city"]:
        assert set(row) == {"id", "name", *KEYS, "hidden"}
    assert {row["name"] for row in body["by_city"]} == {"London", "Düsseldorf", "名古屋"}
    nagoya = next(row for row in body["by_city"] if row["name"] == "名古屋")
    assert nagoya["participants"] == 0 and nagoya["sessions_scheduled"] == 0


def test_a_count_hidden_on_the_page_is_null_in_the_json_and_empty_in_the_csv(
    officer_client, data
):
    # London's 3 participants, and the program's 3 active and 4 matched people (of 6),
    # are hidden on the page: the exports give no figure of theirs, and say why; the
    # program's 6 participants show.
    body = officer_client.get(program_url("program_metrics_json", data.program), SPRING).json()
    assert body["participants"] == 6 and "participants" not in body["hidden"]
    assert body["active_participants"] is None and body["matched"] is None
    assert body["hidden"]["active_participants"] == "small"
    assert body["hidden"]["matched"] == "small"
    assert body["hidden"]["match_rate"] == "complementary"
    london = next(row for row in body["by_city"] if row["name"] == "London")
    assert all(london[key] is None for key in KEYS)
    assert london["hidden"]["participants"] == "small"
    assert london["hidden"]["contact_hours"] == "complementary"
    nagoya = next(row for row in body["by_city"] if row["name"] == "名古屋")
    assert nagoya["hidden"] == {} and nagoya["participants"] == 0

    raw = officer_client.get(program_url("program_metrics_csv", data.program), SPRING).content
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    program, london = rows[0], next(row for row in rows if row["name"] == "London")
    assert all(london[key] == "" for key in KEYS)
    assert program["participants"] == "6" and program["active_participants"] == ""
    assert "active_participants:small" in program["hidden"].split()
    assert "participants:small" in london["hidden"].split()
    assert "contact_hours:complementary" in london["hidden"].split()
    nagoya = next(row for row in rows if row["name"] == "名古屋")
    assert nagoya["participants"] == "0" and nagoya["hidden"] == ""


@pytest.mark.parametrize(
    "query",
    [
        {"from": "2026-13-01"},
        {"from": "yesterday"},
        {"from": "2026-05-01", "to": "2026-04-01"},
        {"to": "99999-01-01"},
        {"to": "9999-12-31"},
        {"from": "2026-03-01\x00"},
        {"from": "2026-3-1"},
    ],
)
def test_a_bad_range_is_a_400_with_a_json_error(officer_client, data, query):
    for name in ("program_metrics_json", "program_metrics_csv"):
        response = officer_client.get(program_url(name, data.program), query)
        assert response.status_code == 400
        assert response["Content-Type"] == "application/json"
        assert "Bad date range" in response.json()["error"]
        assert response.json()["fields"]


def test_a_first_day_after_today_with_no_last_day_is_refused_at_the_first_day(
        officer_client, data):
    today = dt.datetime.now(dt.UTC).date()
    later = today + dt.timedelta(days=30)
    response = officer_client.get(program_url("program_metrics_json", data.program),
                                  {"from": later.isoformat()})
    assert response.status_code == 400
    # The last day nobody typed is not the field in error.
    assert response.json()["fields"] == {"from": [
        f"The first day must not be after today ({today.isoformat()}), where the range "
        "ends when no last day is given."]}


def test_no_range_means_everything_up_to_today(officer_client, data):
    body = officer_client.get(program_url("program_metrics_json", data.program)).json()
    assert body["from"] is None
    assert body["to"] == dt.datetime.now(dt.UTC).date().isoformat()


def test_the_csv_reads_back_with_names_intact_and_formulas_neutralised(officer_client, data):
    evil = CityFactory(name='=HYPERLINK("http://x.test","click")', country="FR")
    plus = CityFactory(name="+33 Lyon", country="FR")
    data.program.twinnings.add(
        TwinningFactory(city_a=evil, city_b=data.london),
        TwinningFactory(city_a=plus, city_b=CityFactory(name="@home", country="FR")),
        TwinningFactory(city_a=CityFactory(name="-1+1", country="FR"), city_b=data.london),
    )
    metrics_refresh(full=True, now=at(12, 2))
    response = officer_client.get(program_url("program_metrics_csv", data.program), SPRING)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    raw = response.content
    assert raw.startswith("\ufeff".encode())
    assert b"\r\n" in raw
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows[0] == ["level", "name", *KEYS, "countries", "hidden"]
    by_name = {row[1]: row for row in rows[1:]}
    assert by_name["Tandem London–Düsseldorf"][0] == "program"
    assert "名古屋" in by_name and "Düsseldorf" in by_name
    assert by_name["Tandem London–Düsseldorf"][2] == "6"
    assert by_name["名古屋"][KEYS.index("sessions_scheduled") + 2] == "0"
    for name in ('=HYPERLINK("http://x.test","click")', "+33 Lyon", "@home", "-1+1"):
        assert "'" + name in by_name, name
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@")), cell


def test_a_classroom_programs_exports_give_null_for_the_match_figures(client, classroom_program):
    client.force_login(officer_of(classroom_program))
    body = client.get(program_url("program_metrics_json", classroom_program)).json()
    assert set(body) == {"program", "from", "to", "as_of", "by_twinning", "by_city", *KEYS,
                         "hidden"}
    assert body["participants"] == 5
    for row in (body, *body["by_twinning"], *body["by_city"]):
        assert all(row[key] is None for key in MATCH_ONLY), row
        assert row["sessions_scheduled"] == (None if row["hidden"] else 0)
        # A figure that does not apply is null, never said to be hidden.
        assert not set(row["hidden"]) & set(MATCH_ONLY)
    lines = list(csv.DictReader(io.StringIO(
        client.get(program_url("program_metrics_csv", classroom_program)).content.decode()
    )))
    assert lines[0]["participants"] == "5"
    assert all(line[key] == "" for line in lines for key in MATCH_ONLY)


def test_the_csv_tells_twinnings_and_cities_of_the_same_name_apart(officer_client, data):
    # Birmingham (GB) and Birmingham (US), each twinned with Frankfurt: the name column
    # alone gives two rows "Birmingham – Frankfurt" and two rows "Birmingham".
    frankfurt = CityFactory(name="Frankfurt", country="DE")
    for country in ("GB", "US"):
        data.program.twinnings.add(TwinningFactory(
            city_a=CityFactory(name="Birmingham", country=country), city_b=frankfurt))
    metrics_refresh(full=True, now=at(12, 2))
    raw = officer_client.get(program_url("program_metrics_csv", data.program), SPRING).content
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows[0][:2 + len(KEYS)] == ["level", "name", *KEYS]  # the columns stay put
    named = [(row[0], row[1], row[2 + len(KEYS)]) for row in rows[1:]]
    assert len(set(named)) == len(named)
    assert ("twinning", "Birmingham – Frankfurt", "GB – DE") in named
    assert ("twinning", "Birmingham – Frankfurt", "US – DE") in named
    assert ("city", "Birmingham", "US") in named
    assert named[0] == ("program", data.program.name, "")


def test_a_rate_over_few_matches_is_hidden_with_them(officer_client, data):
    # M1 and M2 are the program's live matches in spring: 4 people, whose messages per
    # match would be theirs; 3 answered matches may be 3 or 4 people (one may have 3
    # partners), so the acceptance rate goes too.
    body = officer_client.get(program_url("program_metrics_json", data.program), SPRING).json()
    assert body["messages_per_active_match"] is None
    assert body["hidden"]["messages_per_active_match"] == "complementary"
    assert body["acceptance_rate"] is None
    assert body["hidden"]["acceptance_rate"] == "complementary"
    html = officer_client.get(program_url("program_detail", data.program), SPRING)
    shown = re.search(r">Messages per active match</abbr></dt>\s*<dd>(.*?)</dd>",
                      html.content.decode())
    assert shown and "—" in shown.group(1)


def test_a_twinning_that_left_the_program_keeps_its_rows_and_countries_in_the_csv(
    officer_client, data
):
    # Düsseldorf's people and London–Düsseldorf's sessions are still counted once that
    # twinning leaves the program: its row and its cities' rows stay, each with its
    # countries, as every row says them.
    data.program.twinnings.remove(data.twinning)
    metrics_refresh(full=True, now=at(12, 2))
    raw = officer_client.get(program_url("program_metrics_csv", data.program), SPRING).content
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    named = [(row[0], row[1], row[2 + len(KEYS)]) for row in rows[1:]]
    assert ("city", "Düsseldorf", "DE") in named
    assert ("city", "London", "GB") in named
    assert ("twinning", "London – Düsseldorf", "GB – DE") in named
    html = officer_client.get(program_url("program_detail", data.program), SPRING)
    section = html.content.decode().split('aria-labelledby="by-twinning-title"', 1)[1]
    assert "London (United Kingdom) – Düsseldorf (Germany)" in section.split("</section>")[0]
