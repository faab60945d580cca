"""A program officer's journey in real Chromium: the program's dashboard, its figures as a
CSV file, and a twinning suspended while people are in its rooms.

Across Coventry–Dresden, Nia and Bruno sit in their tandem room and Amelia and Jonas, two
pupils, in their classes' room, each in a browser of their own. The officer opens the
program's dashboard, downloads the CSV (read back with the csv module) and suspends the
twinning: every open room closes live, in the partners' and the pupils' browsers (the
closed notice shows, the composer goes), and stays closed, with the reason, after a reload.
"""

import csv
import io
import re
import time
from pathlib import Path

import pytest

from tests.journeys.steps import assert_in_language, person, submit, wait_connected

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.timeout(420)]

REASON = "The councils paused the partnership after the election."


def _pupil_in_room(platform, browser, lang, code, name, password, room):
    page = person(browser, lang).new_page()
    page.goto(f"{platform.url}/join/")
    assert_in_language(page, lang, "Already in your class? Log in", within="#pupil-login")
    page.fill("#id_login-code", code)
    page.fill("#id_login-display_name", name)
    page.fill("#id_login-password", password)
    submit(page, "#pupil-login form")
    page.wait_for_url(re.compile(r"/dashboard/$"))
    page.goto(f"{platform.url}/rooms/{room}/")
    return page


def _figures_refreshed(officer, platform, slug):
    """The beat's five-minute refresh of the officers' figures, sent to the broker as the
    beat sends it; the worker writes the summaries the dashboard reads."""
    platform.call("beat", task="exchanges.tasks.metrics_refresh")
    url = f"{platform.url}/programs/{slug}/metrics.json"
    deadline = time.monotonic() + 60
    # Nia and Bruno: a count of 2 that the small-count rule hides, saying so once the
    # worker has written their summaries (the totals then hide every figure alike).
    while officer.context.request.get(url).json()["hidden"].get("participants") != "small":
        assert time.monotonic() < deadline, "the worker never refreshed the figures"
        time.sleep(0.5)


def _csv(officer, platform, slug):
    link = officer.locator(f"a[href*='/programs/{slug}/metrics.csv']")
    with officer.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.endswith(".csv")
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")  # spreadsheets want the BOM
    response = officer.context.request.get(platform.url + link.get_attribute("href"))
    assert response.headers["content-type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize("lang", ["en", "fr", "ja"])
def test_officer_reads_the_figures_and_a_suspension_closes_the_open_rooms(
    lang, live_platform, celery_worker, browser, shot
):
    made = live_platform.call("live_twinning")
    rooms = {
        "nia": live_platform.login(person(browser, lang), made["nia"]),
        "bruno": live_platform.login(person(browser, lang), made["partner"]),
    }
    for page in rooms.values():
        page.goto(f"{live_platform.url}/rooms/{made['tandem_room']}/")
    for who, code, name in (("amelia", made["code_a"], "Amelia K."),
                            ("jonas", made["code_b"], "Jonas M.")):
        rooms[who] = _pupil_in_room(live_platform, browser, lang, code, name,
                                    made["pupil_password"], made["class_room"])
    for page in rooms.values():
        wait_connected(page)
        assert page.is_visible("#room-composer")
        assert page.is_hidden("#room-closed-banner")
    shot(rooms["amelia"], "amelia-in-the-class-room")

    officer = live_platform.login(person(browser, lang), made["officer"])
    _figures_refreshed(officer, live_platform, made["program"])
    officer.goto(f"{live_platform.url}/programs/")
    officer.click(f"main a[href='/programs/{made['program']}/']")
    officer.wait_for_url(re.compile(rf"/programs/{made['program']}/$"))
    assert "Twin Cities Tandem" in officer.inner_text("main h1")
    assert_in_language(officer, lang, "Matching runs", "Who takes part")
    shot(officer, "officer-dashboard")

    rows = _csv(officer, live_platform, made["program"])
    assert rows, "the CSV has no rows"
    assert {"level", "name", "participants", "matched"} <= set(rows[0])
    program = next(r for r in rows if r["level"] == "program")
    assert program["name"] == "Twin Cities Tandem"
    # Nia and Bruno (pupils are not counted here): 2 people, hidden as on the page.
    assert program["participants"] == program["matched"] == ""
    assert "participants:small" in program["hidden"].split()
    twinnings = [r for r in rows if r["level"] == "twinning"]
    assert len(twinnings) == 1
    assert "Coventry" in twinnings[0]["name"] and "Dresden" in twinnings[0]["name"]

    officer.goto(f"{live_platform.url}/twinnings/{made['twinning']}/")
    assert officer.get_attribute("#twinning-status", "class").split()[-1] == "status-active"
    assert_in_language(officer, lang, "Status history", "Record a decision")
    officer.select_option("#id_action", "suspend")
    officer.fill("#id_reason", REASON)
    officer.fill("#id_source", "https://example.org/council-minutes")
    shot(officer, "officer-suspends")
    submit(officer, "main form:has(#id_action)")
    officer.wait_for_selector("#twinning-status.status-suspended")
    assert REASON in officer.inner_text("main")
    shot(officer, "officer-suspended")

    for who, page in rooms.items():
        page.wait_for_selector("#room-closed-banner", state="visible")
        page.wait_for_selector("#room-composer", state="hidden")
        page.wait_for_selector("#room-connection[data-state=disconnected]")
        assert_in_language(page, lang, "This room is closed.", within="#room-closed-banner")
        shot(page, f"{who}-room-closed-live")
    for who, page in rooms.items():
        page.reload()
        assert page.locator("#room-composer").count() == 0, who
        assert page.is_visible("#room-closed-banner"), who
        assert REASON in page.inner_text("#room-closed-banner"), who
        closed = "This room is closed (%(reason)s). You can still read its history."
        if who in ("amelia", "jonas"):  # pupils are addressed as friends (tu/du)
            closed = ("to a pupil", closed)
        assert_in_language(page, lang, closed, within="#room-closed-banner")
    shot(rooms["bruno"], "bruno-room-closed-after-reload")
