"""Buttons that end or replace something for someone else ask first, in real Chromium:
dismissing the question leaves everything as it was, accepting it does what the button
says. The world is the authorization matrix's (a proposed match beside an active one with
scheduled sessions), built in the live platform's database."""

import pytest

from tests.journeys.live import run_script, signed_in_context

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.timeout(300)]

WORLD = """
import json
from django.conf import settings
from tests.authorization_world import build_world

world = build_world()
print(json.dumps({"cookie": settings.SESSION_COOKIE_NAME,
                  "session": session(world.users["participant"]), "ids": world.ids},
                 default=str))
"""

STATUS = """
import json
from exchanges.models import Match, Session
print(json.dumps({"match": Match.objects.get(pk=%(proposed_match)s).status,
                  "session": Session.objects.get(pk=%(session)s).status}))
"""


def _answering(page, accept: bool, asked: list[str]):
    def answer(dialog):
        asked.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()
    page.once("dialog", answer)


def test_declining_a_match_and_cancelling_a_session_ask_first(live_platform, browser):
    base, env = live_platform.url, live_platform.env
    made = run_script(env, WORLD)
    ids = made["ids"]
    page = signed_in_context(browser, base, made["cookie"], made["session"]).new_page()
    status = lambda: run_script(env, STATUS % ids)  # noqa: E731
    asked: list[str] = []

    page.goto(f"{base}/dashboard/")
    decline = f"form[action$='/matches/{ids['proposed_match']}/decline/'] button"
    _answering(page, False, asked)
    page.click(decline)
    page.wait_for_timeout(500)  # a form that sent would be loading its answer by now
    assert "You will not be proposed to each other again" in asked[-1]
    assert page.url == f"{base}/dashboard/" and page.is_visible(decline)
    assert status()["match"] == "proposed"
    _answering(page, True, asked)
    with page.expect_navigation():
        page.click(decline)
    assert status()["match"] == "declined"
    assert not page.is_visible(decline)

    page.goto(f"{base}/matches/{ids['match']}/schedule/")
    cancel = f"#session-{ids['session']} form[action$='/cancel/'] button"
    _answering(page, False, asked)
    page.click(cancel)
    page.wait_for_timeout(500)
    assert "Cancel this session?" in asked[-1]
    assert status()["session"] == "scheduled"
    _answering(page, True, asked)
    with page.expect_navigation():
        page.click(cancel)
    assert status()["session"] == "cancelled"


TEACHER_WORLD = """
import json
from django.conf import settings
from tests.authorization_world import build_world

world = build_world()
print(json.dumps({"cookie": settings.SESSION_COOKIE_NAME,
                  "session": session(world.users["teacher"]), "ids": world.ids},
                 default=str))
"""

REQUEST_STATUS = """
import json
from exchanges.models import PartnerRequest
print(json.dumps(PartnerRequest.objects.get(pk=%(incoming_request)s).status))
"""


def test_declining_a_partner_request_asks_first(live_platform, browser):
    """The Decline button shares its form (and the reply) with Accept: the button asks
    its own question."""
    base, env = live_platform.url, live_platform.env
    made = run_script(env, TEACHER_WORLD)
    ids = made["ids"]
    page = signed_in_context(browser, base, made["cookie"], made["session"]).new_page()
    status = lambda: run_script(env, REQUEST_STATUS % ids)  # noqa: E731
    asked: list[str] = []

    page.goto(f"{base}/classes/")
    decline = f"button[formaction$='/partner-requests/{ids['incoming_request']}/decline/']"
    _answering(page, False, asked)
    page.click(decline)
    page.wait_for_timeout(500)  # a form that sent would be loading its answer by now
    assert "cannot ask yours again" in asked[-1]
    assert page.url == f"{base}/classes/" and page.is_visible(decline)
    assert status() == "pending"
    _answering(page, True, asked)
    with page.expect_navigation():
        page.click(decline)
    assert status() == "declined"
    assert not page.is_visible(decline)
