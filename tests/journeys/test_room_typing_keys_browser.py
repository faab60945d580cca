"""Writing in a room with the keyboard, in real Chromium: the correction of a message of
several lines keeps its line breaks (Shift+Enter adds one, Enter sends), and the Enter
that ends an input method's composition (Japanese kana to kanji) picks the characters
without sending, in the composer and in the correction box alike."""

import pytest

from tests.journeys.steps import room_page

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.timeout(180)]

SENT = ".room-message[data-message-id]:not([data-message-id=''])"
FIELD = "form[data-form=correct] [name=corrected]"
# The keydown Chromium sends for the Enter that ends a composition.
COMPOSING_ENTER = """el => el.dispatchEvent(new KeyboardEvent("keydown", {
  key: "Enter", code: "Enter", keyCode: 229, isComposing: true, bubbles: true,
  cancelable: true}))"""


def test_line_breaks_survive_a_correction_and_a_composing_enter_sends_nothing(
    live_platform, browser
):
    base = live_platform.url
    made = live_platform.call("class_room", pupil_a="Amelia K.", pupil_b="Lena S.")
    amelia = room_page(browser, base, made, "pupil_a")
    lena = room_page(browser, base, made, "pupil_b")

    # Amelia's Enter mid-composition picks her kanji; the message stays in the box.
    amelia.fill("#room-body", "日本語")
    amelia.eval_on_selector("#room-body", COMPOSING_ENTER)
    amelia.wait_for_timeout(300)
    assert amelia.input_value("#room-body") == "日本語"
    assert amelia.locator(".room-message").count() == 0

    amelia.fill("#room-body", "Dear Lena,")
    amelia.press("#room-body", "Shift+Enter")
    amelia.type("#room-body", "I goed home.")
    amelia.press("#room-body", "Enter")
    message = f"{SENT}:has-text('I goed home.')"
    lena.wait_for_selector(message)

    lena.click(f"{message} button[data-action=correct]")
    assert lena.input_value(FIELD) == "Dear Lena,\nI goed home."
    lena.eval_on_selector(FIELD, COMPOSING_ENTER)
    assert lena.locator(FIELD).count() == 1  # still open: nothing sent
    lena.fill(FIELD, "Dear Lena,\nI went home.")
    lena.press(FIELD, "Enter")
    for page in (lena, amelia):
        fix = page.locator(f"{message} .correction-text")
        fix.wait_for()
        assert fix.inner_text() == "Dear Lena,\nI went home."
    lena.reload()
    assert lena.locator(f"{message} .correction-text").inner_text() == "Dear Lena,\nI went home."
