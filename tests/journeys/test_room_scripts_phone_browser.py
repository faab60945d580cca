"""A room on a 360 px phone, in real Chromium: a Hebrew message and a Hebrew correction
run right to left (their final "!" on the left), as do the boxes they are written in,
and a very long word in a message or a correction wraps instead of making the list
scroll sideways; both as they arrive live and as the page renders them after a reload."""

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.timeout(180)]

HEBREW = "שלום עולם!"
LONG = "Donaudampfschifffahrtselektrizitätenhauptbetriebswerkbauunterbeamtengesellschaft"
DIRECTION = "el => getComputedStyle(el).direction"
SENT = ".room-message[data-message-id]:not([data-message-id=''])"

# Where the text's "!" is drawn against its first letter: left of it in a right-to-left
# run, right of it when the text is laid out left to right (the text node may sit in an
# element of its own, as a correction's <bdi>).
_BANG_LEFT_OF_FIRST_LETTER = """el => {
  let node = el;
  while (node.firstChild) node = node.firstChild;
  const text = node.textContent, range = document.createRange();
  const x = i => { range.setStart(node, i); range.setEnd(node, i + 1);
                   return range.getBoundingClientRect().left; };
  return x(text.indexOf("!")) < x(0);
}"""


def _page(browser, base, made, who, viewport):
    context = browser.new_context(viewport=viewport)
    context.add_cookies([{"name": made["cookie"], "value": made[who], "url": base}])
    page = context.new_page()
    page.goto(f"{base}/rooms/{made['room']}/")
    page.wait_for_selector("#room-connection[data-state=connected]")
    return page


def _check(page):
    body = page.locator(f"{SENT}:has-text('{HEBREW}') .message-body").first
    assert body.evaluate(_BANG_LEFT_OF_FIRST_LETTER), "the Hebrew message runs left to right"
    fix = page.locator(".correction-text", has_text="עולם").first
    assert fix.evaluate(_BANG_LEFT_OF_FIRST_LETTER), "the Hebrew correction runs left to right"
    sideways = page.evaluate(
        "() => { const l = document.getElementById('room-messages');"
        " return l.scrollWidth - l.clientWidth; }")
    assert sideways <= 0, f"the message list scrolls {sideways} px sideways"
    assert page.evaluate("() => document.documentElement.scrollWidth - innerWidth") <= 0


def test_right_to_left_text_and_long_words_on_a_phone(live_platform, browser):
    base = live_platform.url
    made = live_platform.call("class_room", pupil_a="Amelia K.", pupil_b="Lena S.")
    amelia = _page(browser, base, made, "pupil_a", {"width": 1000, "height": 800})
    lena = _page(browser, base, made, "pupil_b", {"width": 360, "height": 740})

    for text in (HEBREW, LONG):
        amelia.fill("#room-body", text)
        if text == HEBREW:  # the box itself turns right to left as she writes
            assert amelia.eval_on_selector("#room-body", DIRECTION) == "rtl"
        amelia.press("#room-body", "Enter")
        lena.wait_for_selector(f"{SENT}:has-text('{text}')")
    for text, fix in ((HEBREW, "שלום, עולם!"), (LONG, LONG + LONG)):
        lena.click(f"{SENT}:has-text('{text}') button[data-action=correct]")
        lena.fill("[name=corrected]", fix)
        direction = lena.eval_on_selector("[name=corrected]", DIRECTION)
        assert direction == ("rtl" if text == HEBREW else "ltr")
        lena.press("[name=corrected]", "Enter")
        lena.wait_for_selector(f".correction-text:has-text('{fix}')")
    _check(lena)
    lena.reload()
    lena.wait_for_selector("#room-connection[data-state=connected]")
    _check(lena)
