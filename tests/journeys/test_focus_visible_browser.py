"""The keyboard's place is always visible (WCAG 2.4.7), in real Chromium: each control
the Tab key reaches on the sign-up page shows the focus ring, and so does what a script
moves the focus to when a keyboard user's control goes away (a hidden room message, a
"Reported" mark: room.js gives them tabindex=-1). Only <main>, the skip link's target,
takes the focus without a ring around the whole page."""

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.timeout(180)]

RING = """el => { const s = getComputedStyle(el);
  return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2; }"""


def test_every_tab_stop_and_a_scripted_focus_show_the_ring(live_platform, browser):
    page = browser.new_page()
    page.goto(f"{live_platform.url}/accounts/signup/")
    seen, missing = set(), []
    for _ in range(60):
        page.keyboard.press("Tab")
        where = page.evaluate("() => document.activeElement.outerHTML.slice(0, 80)")
        if where in seen or where.startswith("<body"):  # round the page once
            break
        seen.add(where)
        if not page.evaluate(f"() => ({RING})(document.activeElement)"):
            missing.append(where)
    assert len(seen) > 10 and missing == [], missing

    # As room.js does after the keyboard's button went away under it.
    page.evaluate("""() => { const p = document.createElement('p');
      p.textContent = 'a hidden message'; p.tabIndex = -1;
      document.querySelector('main').append(p); p.focus(); }""")
    assert page.evaluate(f"() => ({RING})(document.activeElement)")

    page.goto(f"{live_platform.url}/accounts/signup/")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the skip link
    assert page.evaluate("() => document.activeElement.id") == "main"
    assert not page.evaluate(f"() => ({RING})(document.activeElement)")
