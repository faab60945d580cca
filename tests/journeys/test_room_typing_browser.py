"""The "is typing" line in real Chromium: it goes the moment the typist's message is
shown, and the moment the typist leaves, not when its 3-second timer runs out."""

import time

import pytest

from tests.journeys.steps import room_page

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.timeout(180)]

TYPING = "#room-typing"
# Well under the line's own 3-second timer, which would hide a missing clear.
QUICK_MS = 1500


def _typing_shown(page, name):
    page.wait_for_function(
        "name => document.querySelector('#room-typing').textContent.includes(name)", arg=name)


def test_the_typing_line_goes_with_the_message_and_with_the_typist(live_platform, browser):
    base = live_platform.url
    made = live_platform.call("class_room", pupil_a="Amelia K.", pupil_b="Lena S.")
    amelia = room_page(browser, base, made, "pupil_a")
    lena = room_page(browser, base, made, "pupil_b")

    lena.type("#room-body", "Hello Amelia")
    _typing_shown(amelia, "Lena S.")
    lena.press("#room-body", "Enter")
    amelia.wait_for_selector(".room-message[data-message-id]:has-text('Hello Amelia')")
    # Shown in the same step as the message: no moment with both on the screen.
    assert amelia.inner_text(TYPING) == ""

    time.sleep(2.1)  # past the page's 2-second throttle of typing frames
    lena.type("#room-body", "Bye")
    _typing_shown(amelia, "Lena S.")
    lena.context.close()  # Lena leaves mid-sentence
    amelia.wait_for_function("() => document.querySelector('#room-typing').textContent === ''",
                             timeout=QUICK_MS)
