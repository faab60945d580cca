"""Buttons that end or replace something for someone else ask first, in real Chromium:
dismissing the question leaves everything as it was, accepting it does what the button
says. The world is the authorization matrix's (a proposed match beside an active one with
scheduled sessions), built in the live platform's database."""

import pytest

from tests.journeys.live import run_script, signed_in_context
from tests.journeys.steps import answer_next_dialog

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.timeout(300)]

STATUS = """
import json
from exchanges.models import Match, Session
print(json.dumps({"match": Match.objects.get(pk=%(proposed_match)s).status,
                  "session": Session.objects.get(pk=%(session)s).status}))
"""


def _signed_in_page(live_platform, browser, role: str):
    """A page signed in as ``role`` of the authorization matrix's world, and its ids."""
    made = live_platform.call("authorization_world", roles=[role])
    context = signed_in_context(browser, live_platform.url, made["cookie"],
                                made["sessions"][role])
    return context.new_page(), made["ids"]


def test_declining_a_match_and_cancelling_a_session_ask_first(live_platform, browser):
    base, env = live_platform.url, live_platform.env
    page, ids = _signed_in_page(live_platform, browser, "participant")
    status = lambda: run_script(env, STATUS % ids)  # noqa: E731
    asked: list[str] = []

    page.goto(f"{base}/dashboard/")
    decline = f"form[action$='/matches/{ids['proposed_match']}/decline/'] button"
    answer_next_dialog(page, accept=False, asked=asked)
    page.click(decline)
    page.wait_for_timeout(500)  # a form that sent would be loading its answer by now
    assert "You will not be proposed to each other again" in asked[-1]
    assert page.url == f"{base}/dashboard/" and page.is_visible(decline)
    assert status()["match"] == "proposed"
    answer_next_dialog(page, accept=True, asked=asked)
    with page.expect_navigation():
        page.click(decline)
    assert status()["match"] == "declined"
    assert not page.is_visible(decline)

    page.goto(f"{base}/matches/{ids['match']}/schedule/")
    cancel = f"#session-{ids['session']} form[action$='/cancel/'] button"
    answer_next_dialog(page, accept=False, asked=asked)
    page.click(cancel)
    page.wait_for_timeout(500)
    assert "Cancel this session?" in asked[-1]
    assert status()["session"] == "scheduled"
    answer_next_dialog(page, accept=True, asked=asked)
    with page.expect_navigation():
        page.click(cancel)
    assert status()["session"] == "cancelled"


REQUEST_STATUS = """
import json
from exchanges.models import PartnerRequest
print(json.dumps(PartnerRequest.objects.get(pk=%(incoming_request)s).status))
"""


def test_declining_a_partner_request_asks_first(live_platform, browser):
    """The Decline button shares its form (and the reply) with Accept: the button asks
    its own question."""
    base, env = live_platform.url, live_platform.env
    page, ids = _signed_in_page(live_platform, browser, "teacher")
    status = lambda: run_script(env, REQUEST_STATUS % ids)  # noqa: E731
    asked: list[str] = []

    page.goto(f"{base}/classes/")
    decline = f"button[formaction$='/partner-requests/{ids['incoming_request']}/decline/']"
    answer_next_dialog(page, accept=False, asked=asked)
    page.click(decline)
    page.wait_for_timeout(500)  # a form that sent would be loading its answer by now
    assert "cannot ask yours again" in asked[-1]
    assert page.url == f"{base}/classes/" and page.is_visible(decline)
    assert status() == "pending"
    answer_next_dialog(page, accept=True, asked=asked)
    with page.expect_navigation():
        page.click(decline)
    assert status() == "declined"
    assert not page.is_visible(decline)
