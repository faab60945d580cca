"""On a wide screen a profile row's inputs stand on one line: the end time's help under its
input ("00:00 means midnight…") lifted that input above the row's day and start (the row
lined its fields up at their bottoms), and the "remove" box sits beside the inputs."""

import pytest

from tests.journeys.live import run_script, signed_in_context

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.timeout(240)]

WORLD = """
import json
from django.conf import settings
from tests.factories import UserFactory

print(json.dumps({"cookie": settings.SESSION_COOKIE_NAME, "session": session(UserFactory())}))
"""

ROWS = {
    "win": ["#id_win-0-weekday", "#id_win-0-start", "#id_win-0-end"],
    "lang": ["#id_lang-0-learning", "#id_lang-0-code", "#id_lang-0-level"],
}


def test_a_rows_inputs_and_remove_box_line_up_on_a_wide_screen(live_platform, browser):
    base = live_platform.url
    made = run_script(live_platform.env, WORLD)
    page = signed_in_context(browser, base, made["cookie"], made["session"],
                             viewport={"width": 1280, "height": 900}).new_page()
    page.goto(f"{base}/onboarding/")
    for formset, inputs in ROWS.items():
        boxes = [page.locator(selector).bounding_box() for selector in inputs]
        tops = [round(box["y"]) for box in boxes]
        assert max(tops) - min(tops) <= 1, (formset, tops)
        remove = page.locator(f"#id_{formset}-0-DELETE").bounding_box()
        middle = remove["y"] + remove["height"] / 2
        assert boxes[0]["y"] <= middle <= boxes[0]["y"] + boxes[0]["height"], (
            formset, remove, boxes[0])
