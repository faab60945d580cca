"""On a 360 px phone the profile's language and time-window rows stack their fields; a
line between rows shows where one ends, so a "remove" box reads as its own row's (they
ran together: row two's "I…" sat right under row one's "remove")."""

import pytest

from tests.journeys.live import run_script, signed_in_context

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.timeout(240)]

WORLD = """
import json
from django.conf import settings
from tests.factories import UserFactory

print(json.dumps({"cookie": settings.SESSION_COOKIE_NAME, "session": session(UserFactory())}))
"""


def test_stacked_rows_are_divided_on_a_phone(live_platform, browser):
    base = live_platform.url
    made = run_script(live_platform.env, WORLD)
    page = signed_in_context(browser, base, made["cookie"], made["session"],
                             viewport={"width": 360, "height": 740}).new_page()
    page.goto(f"{base}/onboarding/")
    for formset in ("lang", "win"):
        page.click(f"button[data-add-form={formset}]")
        rows = page.locator(f"[data-formset={formset}] .formset-row")
        assert rows.count() == 2
        first, second = rows.nth(0).bounding_box(), rows.nth(1).bounding_box()
        assert second["y"] >= first["y"] + first["height"]  # stacked, not side by side
        line = rows.nth(1).evaluate(
            "row => [getComputedStyle(row).borderTopStyle, getComputedStyle(row).borderTopWidth]"
        )
        assert line[0] == "solid" and line[1] != "0px", line
