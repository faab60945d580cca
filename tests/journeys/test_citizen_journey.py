"""A citizen's whole journey in real Chromium, in English, French and Japanese.

Nia signs up in her browser's language, follows the e-mail link, completes her profile in
Coventry; the program's officer launches a matching run that a real Celery worker carries
out; Nia and Bruno (Dresden, already in the pool) both accept; they chat live in two
browser contexts and Bruno corrects Nia's German; Nia proposes the weekly slot, Bruno
confirms it, and the session's .ics link downloads a calendar with the session at the
confirmed instant.
"""

import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from tests.journeys.conftest import PASSWORD
from tests.journeys.steps import (
    assert_in_language,
    onboarding_fill,
    person,
    submit,
    wait_connected,
)

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.timeout(420)]

NIA = "nia@example.test"
WRONG = "Gestern ich bin ins Kino gegangen."
RIGHT = "Gestern bin ich ins Kino gegangen."


def _choose_language(page, lang):
    """The header's language switcher, as someone whose browser speaks another language."""
    page.select_option("#interface-language", lang)
    page.locator("form.language-switcher button").click()
    page.wait_for_function("lang => document.documentElement.lang === lang", arg=lang)


def _sign_up_and_onboard(platform, page, lang, shot):
    page.goto(f"{platform.url}/")
    if page.get_attribute("html", "lang") != lang:
        _choose_language(page, lang)
    assert page.get_attribute("html", "lang") == lang
    shot(page, "home")
    page.locator('a[href="/accounts/signup/"]').first.click()
    page.fill("#id_email", NIA)
    page.fill("#id_display_name", "Nia")
    page.fill("#id_birth_year", "1999")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    shot(page, "signup")
    submit(page, "main form:has(#id_email)")
    page.wait_for_url(re.compile(r"/accounts/confirm-email/$"))

    link = platform.wait_for_log(r"(/accounts/confirm-email/[^\s]+/)").group(1)
    page.goto(platform.url + link)
    shot(page, "confirm-email")
    submit(page)
    page.wait_for_url(re.compile(r"/onboarding/$"))
    assert_in_language(page, lang, "Welcome to Jumelage", "Finish and find me a partner")

    onboarding_fill(page)
    shot(page, "onboarding")
    submit(page, "main form.profile-form")
    page.wait_for_url(re.compile(r"/dashboard/$"))
    assert page.get_attribute("#profile-card progress", "value") == "100"
    assert "Coventry" in page.inner_text("#profile-card")
    assert_in_language(page, lang, "Matching", "Edit your profile")
    shot(page, "dashboard-in-the-pool")


def _matching_run(platform, browser, made, shot):
    """The officer launches a run; the worker, not the web process, does it."""
    officer = platform.login(person(browser), made["officer"])
    officer.goto(f"{platform.url}/programs/{made['program']}/")
    officer.click(f"form[action$='/programs/{made['program']}/run/'] button")
    officer.wait_for_selector("#runs tr[data-run-status=done]", timeout=60_000)
    shot(officer, "officer-run-done")
    # The worker ran it, and e-mailed both people their proposed partner.
    platform.wait_for_log(r"exchanges\.tasks\.matching_run\[[-\w]+\] succeeded",
                          source="worker.log")
    for email in (NIA, made["partner"]):
        platform.wait_for_log(rf"To: {re.escape(email)}", source="worker.log")
    officer.context.close()


def _accept(page, partner_name):
    page.goto(page.url.split("/dashboard/")[0] + "/dashboard/")
    match = page.locator("#matches-card article.match-proposed")
    assert partner_name in match.inner_text()
    match.locator("form[action$='/accept/'] button").click()
    page.wait_for_url(re.compile(r"/dashboard/$"))


def _chat_with_a_correction(nia, bruno, lang, shot):
    for page in (nia, bruno):
        page.click("#matches-card a[href^='/rooms/']")
        wait_connected(page)
    assert_in_language(nia, lang, "Members", "Send")

    nia.fill("#room-body", WRONG)
    nia.press("#room-body", "Enter")
    message = bruno.locator(".room-message", has_text=WRONG)
    message.wait_for()
    message.locator("button[data-action=correct]").click()
    message.locator("form[data-form=correct] [name=corrected]").fill(RIGHT)
    message.locator("form[data-form=correct] [name=corrected]").press("Enter")
    nia.locator(".room-message", has_text=WRONG).locator(
        ".correction-text", has_text=RIGHT).wait_for()
    bruno.locator(".correction-text", has_text=RIGHT).wait_for()
    shot(nia, "room-correction-seen-by-nia")
    shot(bruno, "room-correction-by-bruno")
    nia.reload()  # the correction is stored, not only broadcast
    wait_connected(nia)
    assert RIGHT in nia.inner_text(".room-message .correction-text")


def _schedule_and_download_calendar(platform, nia, bruno, lang, shot):
    nia.goto(f"{platform.url}/dashboard/")
    nia.click("#sessions-card a[href$='/schedule/']")
    nia.locator("#slot-options form").first.locator("button").click()
    nia.wait_for_selector("#pending-proposal")
    shot(nia, "slot-proposed")

    bruno.goto(f"{platform.url}/dashboard/")
    bruno.click("#sessions-card a[href$='/schedule/']")
    bruno.locator("#pending-proposal form button").click()
    bruno.wait_for_selector("#upcoming-sessions li[id^=session-]")
    shot(bruno, "slot-confirmed")

    starts = platform.call("session_starts", match_partner_email=NIA)
    assert len(starts) >= 1
    nia.reload()
    first = nia.locator("#upcoming-sessions li[id^=session-]").first
    assert_in_language(nia, lang, "Upcoming sessions")
    shot(nia, "sessions")

    link = first.locator("a[href$='.ics']")
    response = nia.context.request.get(platform.url + link.get_attribute("href"))
    assert response.ok
    assert response.headers["content-type"].startswith("text/calendar")
    with nia.expect_download() as download:
        link.click()
    body = Path(download.value.path()).read_bytes()
    # The same calendar both ways, but for DTSTAMP: when each copy was written.
    assert _unstamped(body) == _unstamped(response.body()) and b"DTSTAMP:" in body
    events = [c for c in Calendar.from_ical(body).walk() if c.name == "VEVENT"]
    assert len(events) == 1
    start = events[0].decoded("dtstart")
    assert start.astimezone(dt.UTC) == dt.datetime.fromisoformat(starts[0])
    # A Monday evening in Coventry, inside the window Nia gave.
    local = start.astimezone(ZoneInfo("Europe/London"))
    assert local.weekday() == 0 and dt.time(18) <= local.time() <= dt.time(19)


def _unstamped(calendar: bytes) -> list[bytes]:
    return [line for line in calendar.split(b"\r\n") if not line.startswith(b"DTSTAMP:")]


# French through the browser's locale (Accept-Language); Japanese through the language
# switcher, from an English browser.
@pytest.mark.parametrize(("lang", "browser_lang"), [("en", "en"), ("fr", "fr"), ("ja", "en")],
                         ids=["en", "fr", "ja"])
def test_citizen_signs_up_is_matched_chats_and_schedules(
    lang, browser_lang, live_platform, celery_worker, browser, shot
):
    made = live_platform.call("tandem_program")
    nia = person(browser, browser_lang).new_page()
    _sign_up_and_onboard(live_platform, nia, lang, shot)

    _matching_run(live_platform, browser, made, shot)
    nia.reload()
    shot(nia, "match-proposed")
    _accept(nia, "Bruno")
    assert nia.locator("#matches-card article.match-proposed").count() == 1  # waits for Bruno

    bruno = live_platform.login(person(browser), made["partner"])
    _accept(bruno, "Nia")
    shot(bruno, "both-accepted")
    nia.reload()
    assert nia.locator("#matches-card article.match-active").count() == 1

    _chat_with_a_correction(nia, bruno, lang, shot)
    _schedule_and_download_calendar(live_platform, nia, bruno, lang, shot)
