"""Motion follows the reader's setting (WCAG 2.3.3): with prefers-reduced-motion: reduce,
nothing the platform's style sheets animate or fade takes time, in real Chromium. The
one transition there today is htmx's request indicator; the rule (jumelage.css, under every
page's other sheets) covers any later one."""

import re

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.timeout(180)]

# An element in htmx's "request under way" state, as htmx marks it.
INDICATOR = """() => {
  const box = document.createElement('div');
  box.className = 'htmx-request htmx-indicator';
  box.textContent = '…';
  document.querySelector('main').append(box);
  const style = getComputedStyle(box);
  return [style.transitionDuration, style.animationDuration];
}"""


def _seconds(duration: str) -> float:
    value = float(re.match(r"[\d.]+", duration).group())
    return value / 1000 if duration.endswith("ms") else value


def test_motion_takes_no_time_when_the_reader_asks_for_less(live_platform, browser):
    moving = browser.new_page()
    moving.goto(live_platform.url)
    assert _seconds(moving.evaluate(INDICATOR)[0]) > 0.1  # the fade is there by default

    still = browser.new_page(reduced_motion="reduce")
    still.goto(live_platform.url)
    transition, animation = still.evaluate(INDICATOR)
    assert _seconds(transition) < 0.01, transition
    assert _seconds(animation) < 0.01, animation

