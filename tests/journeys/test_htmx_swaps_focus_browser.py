"""What htmx swaps into a page keeps the keyboard's place and is heard: the reminder
e-mail switch on the profile page keeps the focus on its button after the swap (not the
page's <body>), and its new state lands in a live region that was there before it."""

import pytest

from tests.journeys.live import run_script, signed_in_context

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.timeout(180)]

PARTICIPANT = """
import json
from django.conf import settings
from tests.factories import ParticipantFactory

participant = ParticipantFactory()
print(json.dumps({"cookie": settings.SESSION_COOKIE_NAME, "session": session(participant.user)}))
"""

SWITCH = "#reminders-email-toggle"


def test_the_reminder_switch_keeps_focus_and_announces(live_platform, browser):
    made = run_script(live_platform.env, PARTICIPANT)
    page = signed_in_context(browser, live_platform.url, made["cookie"],
                             made["session"]).new_page()
    page.goto(f"{live_platform.url}/profile/")
    switch = page.locator(SWITCH)
    before = switch.inner_text()
    # The region a screen reader listens to, held across the swap.
    region = page.evaluate_handle(
        "() => document.querySelector(SWITCH).closest('[aria-live], [role=status]')"
        .replace("SWITCH", repr(SWITCH))
    )
    assert region.evaluate("r => r !== null")

    switch.locator("button").focus()
    page.keyboard.press("Enter")
    page.wait_for_function(
        "([switch_, before]) => document.querySelector(switch_).innerText !== before",
        arg=[SWITCH, before],
    )

    assert page.evaluate("s => document.activeElement.closest(s) !== null", SWITCH)
    assert page.evaluate("() => document.activeElement.tagName") == "BUTTON"
    assert region.evaluate("r => r.isConnected")
    assert region.evaluate("r => r.contains(document.activeElement)")

    # The swapped-in form asks for the other state: a second press turns it back.
    page.keyboard.press("Enter")
    page.wait_for_function(
        "([switch_, before]) => document.querySelector(switch_).innerText === before",
        arg=[SWITCH, before],
    )
    assert page.evaluate("() => document.activeElement.tagName") == "BUTTON"
