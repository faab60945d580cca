"""The composer measures a message as the server does, in real Chromium: characters after
NFC normalisation, not the UTF-16 units the textarea's maxlength counts.

Some characters grow under NFC (U+0958 DEVANAGARI LETTER QA becomes KA + NUKTA): a text
the textarea let through is past the server's limit. The page says so before sending,
in the server's own words, and the text stays in the box; nothing goes out to be
refused. An emoji is one character to the server but two units to the textarea: a long
line of them that the server takes is sent whole."""

import json

import pytest

from exchanges.models.rooms import MESSAGE_MAX_LENGTH
from tests.journeys.steps import room_page

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.timeout(180)]

# Half the limit plus one typed, one more than the limit after NFC.
GROWS = "\u0958" * (MESSAGE_MAX_LENGTH // 2 + 1)
# Three-quarters of the limit in characters; one and a half times it in UTF-16 units.
EMOJI = "\U0001f600" * (MESSAGE_MAX_LENGTH * 3 // 4)


def test_a_text_over_the_limit_after_nfc_is_not_sent_and_stays(live_platform, browser):
    base = live_platform.url
    made = live_platform.call("class_room", pupil_a="Amelia K.", pupil_b="Lena S.")
    page = room_page(browser, base, made, "pupil_a")
    frames = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda text: frames.append(text)))
    page.reload()
    page.wait_for_selector("#room-connection[data-state=connected]")

    page.fill("#room-body", GROWS)
    page.press("#room-body", "Enter")
    page.wait_for_selector("#room-error:not([hidden])")
    assert str(MESSAGE_MAX_LENGTH) in page.inner_text("#room-error")
    assert page.input_value("#room-body") == GROWS
    assert page.get_attribute("#room-body", "aria-invalid") == "true"
    assert page.get_attribute("#room-body", "aria-describedby") == "room-error"
    assert page.locator(".room-message").count() == 0
    assert not [f for f in frames if json.loads(f).get("type") == "message.send"]

    # Shortened to fit, the warning goes as the person types.
    page.fill("#room-body", GROWS[:-2])
    page.wait_for_selector("#room-error", state="hidden")
    assert page.get_attribute("#room-body", "aria-invalid") != "true"
    assert page.get_attribute("#room-body", "aria-describedby") is None

    # Within the server's limit, however many UTF-16 units: sent whole, and stored.
    page.fill("#room-body", EMOJI)
    page.press("#room-body", "Enter")
    page.wait_for_selector(".room-message.mine[data-message-id]:not([data-message-id=''])")
    body = page.inner_text(".room-message.mine .message-body")
    assert body == EMOJI
    assert page.locator("#room-error").is_hidden()

    # A correction is held to the same limit: its form stays open with the text in it.
    other = room_page(browser, base, made, "pupil_b")
    other.click(".room-message [data-action=correct]")
    other.fill(".message-form textarea", GROWS)
    other.click(".message-form button[type=submit]")
    other.wait_for_selector("#room-error:not([hidden])")
    assert str(MESSAGE_MAX_LENGTH) in other.inner_text("#room-error")
    assert other.input_value(".message-form textarea") == GROWS
    assert other.locator(".correction").count() == 0  # one sent shows at once, pending
