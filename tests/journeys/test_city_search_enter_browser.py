"""Enter in the profile's city search filters, it does not send the form, in real
Chromium: the search picks the first matching city, so Enter there saved a move to it
that the person had not asked for."""

import pytest

from tests.journeys.live import run_script, signed_in_context

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.timeout(240)]

WORLD = """
import json
from django.conf import settings
from exchanges.models import User
from tests.journeys import world

made = world.tandem_program()
bruno = User.objects.get(email=made["partner"])
print(json.dumps({"cookie": settings.SESSION_COOKIE_NAME, "session": session(bruno)}))
"""

CITY = """
import json
from exchanges.models import Participant
print(json.dumps(Participant.objects.get(user__email="bruno@journeys.test").city.name))
"""


def test_enter_in_the_city_search_does_not_save_the_profile(live_platform, browser):
    base, env = live_platform.url, live_platform.env
    made = run_script(env, WORLD)
    page = signed_in_context(browser, base, made["cookie"], made["session"]).new_page()
    page.goto(f"{base}/profile/")
    page.fill("#city-filter", "Coventry")
    page.press("#city-filter", "Enter")
    page.wait_for_timeout(1000)  # a form that sent would have loaded its answer by now
    assert page.url == f"{base}/profile/"
    assert "Coventry" in page.eval_on_selector("#id_city", "s => s.selectedOptions[0].text")
    assert run_script(env, CITY) == "Dresden"
