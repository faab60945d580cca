"""A partner's first name may be 40 letters without a space (the sign-up form allows it):
on a phone's 360 px the participant's pages wrap it instead of growing wider than the
window (the dashboard's button and explanation, the schedule's slots, the room's members
and block button did)."""

import pytest

from tests.journeys.live import run_script, signed_in_context

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.timeout(300)]

LONG_NAME = "Maximilianbartholomäusfriedrichwilhelmus"  # 40 letters

SETUP = f"""
import json
from django.conf import settings
from tests.exchanges.scheduling_fixtures import scheduled_match

match, _ = scheduled_match()
nora, bruno = match.participant_a.user, match.participant_b.user
bruno.display_name = "{LONG_NAME}"
bruno.save(update_fields=["display_name"])
print(json.dumps({{"match": match.pk, "room": match.room.pk,
                  "cookie": settings.SESSION_COOKIE_NAME, "nora": session(nora)}}))
"""


def test_a_partners_long_name_never_widens_the_page_on_a_phone(live_platform, browser):
    base = live_platform.url
    made = run_script(live_platform.env, SETUP)
    context = signed_in_context(browser, base, made["cookie"], made["nora"],
                                viewport={"width": 360, "height": 740})
    page = context.new_page()
    too_wide = []
    for path in ["/dashboard/", f"/matches/{made['match']}/schedule/", f"/rooms/{made['room']}/"]:
        page.goto(base + path)
        assert LONG_NAME in page.content()
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 360:
            too_wide.append(f"{path}: {width} px")
    assert too_wide == []
