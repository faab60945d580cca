"""The admin's autocomplete boxes are named by their field's label (static/js/
admin_names.js) even when the page's load event comes before the boxes are built, in real
Chromium: jQuery runs its ready callbacks, where Django's autocomplete.js builds them, from
a timer, which can fire after load; the every-page walk then found the twinning add page's
city boxes without a name now and then (axe's aria-input-field-name)."""

import pytest

from tests.journeys.live import run_script, signed_in_context

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.timeout(240)]

WORLD = """
import json
from django.conf import settings
from tests.factories import UserFactory

root = UserFactory(is_staff=True, is_superuser=True)
print(json.dumps({"cookie": settings.SESSION_COOKIE_NAME, "session": session(root)}))
"""

# Every timer fires 300 ms late, in the order it was set: jQuery's ready callbacks, set at
# DOMContentLoaded, come after the load event.
LATE_TIMERS = """
(() => {
  const later = window.setTimeout;
  window.setTimeout = function (fn, ms, ...rest) {
    return later.call(window, fn, (ms || 0) + 300, ...rest);
  };
})();
"""

NAMES = """() => [...document.querySelectorAll('.select2-selection[role=combobox]')].map(box =>
  (box.getAttribute('aria-labelledby') || '').split(' ').map(id => {
    const named = document.getElementById(id);
    return named ? named.textContent.trim() : '';
  }).join(' | '))"""


@pytest.mark.parametrize("late", [False, True], ids=["timers as they come", "late ready"])
def test_the_twinning_add_page_names_its_city_boxes(live_platform, browser, late):
    base = live_platform.url
    made = run_script(live_platform.env, WORLD)
    context = signed_in_context(browser, base, made["cookie"], made["session"])
    if late:
        context.add_init_script(LATE_TIMERS)
    page = context.new_page()
    page.goto(f"{base}/admin/exchanges/twinning/add/")
    page.wait_for_selector(".select2-selection[role=combobox]", state="attached")
    page.wait_for_timeout(1000)  # past the late timers
    names = page.evaluate(NAMES)
    assert len(names) == 2
    assert [name.split(" | ")[0] for name in names] == ["City A:", "City B:"], names
