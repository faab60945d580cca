"""Removing an e-mail address asks first, in real Chromium: allauth's page carries the
question in its ``extra_body`` block, which the site's layout never rendered, so "Remove"
took the address away at once."""

import pytest

from tests.journeys.live import run_script, signed_in_context
from tests.journeys.steps import answer_next_dialog

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.timeout(240)]

WORLD = """
import json
from allauth.account.models import EmailAddress
from django.conf import settings
from tests.factories import ParticipantFactory

user = ParticipantFactory().user
EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
EmailAddress.objects.create(user=user, email="second@example.test", verified=True)
print(json.dumps({"cookie": settings.SESSION_COOKIE_NAME, "session": session(user)}))
"""

ADDRESSES = """
import json
from allauth.account.models import EmailAddress
print(json.dumps(sorted(EmailAddress.objects.values_list("email", flat=True))))
"""


def test_removing_an_address_asks_first(live_platform, browser):
    base, env = live_platform.url, live_platform.env
    made = run_script(env, WORLD)
    page = signed_in_context(browser, base, made["cookie"], made["session"]).new_page()
    asked: list[str] = []

    page.goto(f"{base}/accounts/email/")
    page.check("input[type=radio][value='second@example.test']")
    answer_next_dialog(page, accept=False, asked=asked)
    page.click("button[name=action_remove]")
    page.wait_for_timeout(500)  # a form that sent would be loading its answer by now
    assert asked and "remove the selected email address" in asked[-1]
    assert "second@example.test" in run_script(env, ADDRESSES)

    answer_next_dialog(page, accept=True, asked=asked)
    with page.expect_navigation():
        page.click("button[name=action_remove]")
    assert "second@example.test" not in run_script(env, ADDRESSES)
