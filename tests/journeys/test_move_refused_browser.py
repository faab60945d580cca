"""A move refused (a tandem session's, a class session's) comes back in real Chromium with
the time as typed in its field, the reason beside it, and the focus on the field; the
session keeps its time."""

import pytest

from tests.journeys.live import run_script, signed_in_context

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.timeout(300)]

MOVES = """
import json
from exchanges.models import Session
print(json.dumps([Session.objects.get(pk=pk).move_to for pk in (%(session)s, %(class_session)s)],
                 default=str))
"""


def _refused_field(page, action: str) -> dict:
    form = f"form[action='{action}']"
    field = page.locator(f"{form} input[name=new_start]")
    page.wait_for_function(
        "a => document.activeElement && document.activeElement.form"
        " && document.activeElement.form.getAttribute('action') === a", arg=action,
        timeout=5000)
    return {"value": field.input_value(), "invalid": field.get_attribute("aria-invalid"),
            "error": page.locator(f"{form} .error").inner_text(),
            "visible": page.locator(f"{form} .error").is_visible()}


def test_a_refused_move_keeps_what_was_typed_beside_its_reason(live_platform, browser):
    base, env = live_platform.url, live_platform.env
    made = live_platform.call("authorization_world", roles=["participant", "teacher"])
    ids, sessions = made["ids"], made["sessions"]

    nora = signed_in_context(browser, base, made["cookie"], sessions["participant"]).new_page()
    nora.goto(f"{base}/matches/{ids['match']}/schedule/")
    action = f"/sessions/{ids['session']}/move/"
    nora.fill(f"form[action='{action}'] input[name=new_start]", "2027-03-10T04:30")
    nora.click(f"form[action='{action}'] button")
    nora.wait_for_load_state()
    assert _refused_field(nora, action) == {
        "value": "2027-03-10T04:30", "invalid": "true", "visible": True,
        "error": "That is Wednesday 04:30–05:30 for you (America/New_York): a session "
                 "starts and ends between 07:00 and 23:00 for both of you.",
    }

    teacher = signed_in_context(browser, base, made["cookie"], sessions["teacher"]).new_page()
    teacher.goto(f"{base}/exchanges/{ids['exchange']}/sessions/")
    action = f"/class-sessions/{ids['class_session']}/move/"
    teacher.locator(f"details:has(form[action='{action}']) summary").click()
    start = teacher.input_value(f"form[action='{action}'] input[name=new_start]")
    typed = start[:11] + "21:00"  # the same day, after both schools' hours
    teacher.fill(f"form[action='{action}'] input[name=new_start]", typed)
    teacher.click(f"form[action='{action}'] button")
    teacher.wait_for_load_state()
    assert _refused_field(teacher, action) == {
        "value": typed, "invalid": "true", "visible": True,
        "error": "That time is not inside both schools' shared school time: pick one the "
                 "sessions page lists as shared.",
    }
    assert run_script(env, MOVES % ids) == [None, None]
