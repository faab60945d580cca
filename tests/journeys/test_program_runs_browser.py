"""The program page polls its matching runs while one is queued, in real Chromium, without
taking a keyboard user's focus or a phone's sideways scroll of the runs table."""

import re

import pytest

from tests.journeys.steps import person

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.timeout(180)]


def test_polling_the_runs_keeps_focus_and_scroll_in_the_runs_table(live_platform, browser):
    made = live_platform.call("tandem_program")
    context = person(browser, "en", viewport={"width": 360, "height": 740})
    officer = live_platform.login(context, made["officer"])
    officer.goto(f"{live_platform.url}/programs/{made['program']}/")
    officer.locator(f"form[action='/programs/{made['program']}/run/'] button").click()
    officer.wait_for_url(re.compile(rf"/programs/{made['program']}/$"))
    # No worker here: the run stays queued and the page keeps polling.
    assert officer.locator("#runs tr[data-run-status=queued]").count() == 1
    polls = []
    officer.on("request", lambda r: polls.append(r) if r.headers.get("hx-request") else None)

    table = "#runs .wide"  # the runs table's scrolling, focusable region
    officer.focus(table)
    officer.eval_on_selector(table, "region => { region.scrollLeft = 80; }")
    officer.wait_for_timeout(5000)  # two polls at least

    assert len(polls) >= 2, "the page did not poll the queued run"
    assert officer.evaluate(f"document.activeElement.matches('{table}')")
    assert officer.eval_on_selector(table, "region => region.scrollLeft") == 80
    assert officer.locator("#runs tr[data-run-status=queued]").count() == 1
    context.close()


def test_the_end_of_a_run_is_announced_in_a_live_region_that_was_there(
        live_platform, browser, request):
    """When the polled run ends, a status region present from the first load (a region
    added with its words is not reliably read) says so: the officer need not watch."""
    made = live_platform.call("tandem_program")
    officer = live_platform.login(person(browser, "en"), made["officer"])
    officer.goto(f"{live_platform.url}/programs/{made['program']}/")
    officer.locator(f"form[action='/programs/{made['program']}/run/'] button").click()
    officer.wait_for_url(re.compile(rf"/programs/{made['program']}/$"))
    assert officer.locator("#runs tr[data-run-status=queued]").count() == 1
    region = officer.evaluate_handle("() => document.querySelector('[role=status]#run-news')")
    assert region.evaluate("r => r !== null"), "no status region for the run's news"
    before = region.evaluate("r => r.innerText")

    request.getfixturevalue("celery_worker")  # now the queued run is carried out
    officer.wait_for_selector("#runs tr[data-run-status=done]", timeout=60_000)
    officer.wait_for_function("([r, before]) => r.innerText !== before", arg=[region, before],
                              timeout=5000)

    assert region.evaluate("r => r.isConnected")
    news = region.evaluate("r => r.innerText").strip()
    assert news and news != before.strip()
    assert officer.locator("#runs-body[hx-trigger]").count() == 0  # polling stopped
