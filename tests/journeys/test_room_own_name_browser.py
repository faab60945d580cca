"""One's own messages are named alike in every state, in real Chromium: "sending…" (not
acknowledged yet), acknowledged, and as the page renders them after a reload; so are
one's own corrections, pending and stored."""

import pytest

from tests.journeys.steps import SocketLine, room_page, wait_connected

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.timeout(180)]

SENT = ".room-message[data-message-id]:not([data-message-id=''])"  # stored, not pending


def test_ones_own_messages_and_corrections_keep_one_name_in_every_state(live_platform,
                                                                         browser):
    base = live_platform.url
    made = live_platform.call("class_room", pupil_a="Amelia K.", pupil_b="Lena S.")
    amelia = room_page(browser, base, made, "pupil_a")
    amelia.fill("#room-body", "I goed to school")
    amelia.press("#room-body", "Enter")
    context = browser.new_context()
    context.add_cookies([{"name": made["cookie"], "value": made["pupil_b"], "url": base}])
    lena = context.new_page()
    line = SocketLine(lena)
    lena.goto(f"{base}/rooms/{made['room']}/")
    wait_connected(lena)
    theirs = f"{SENT}:has-text('I goed to school')"
    lena.wait_for_selector(theirs)

    # Offline: the message and the correction wait, "sending…".
    line.cut(offline=True)
    lena.wait_for_timeout(1500)  # past the page's first reconnect delay (at most 0.5 s)
    lena.fill("#room-body", "Hello Amelia")
    lena.press("#room-body", "Enter")
    lena.click(f"{theirs} button[data-action=correct]")
    lena.fill("form[data-form=correct] [name=corrected]", "I went to school")
    lena.press("form[data-form=correct] [name=corrected]", "Enter")
    pending = lena.locator(".room-message.pending:has-text('Hello Amelia')")
    assert pending.locator(".message-author").inner_text() == "Lena S."
    pending_correction = lena.locator(f"{theirs} .correction.pending")
    assert pending_correction.locator(".correction-author").inner_text() == "Lena S."

    # Back: acknowledged, the same name.
    line.cut(offline=False)
    mine = f"{SENT}:has-text('Hello Amelia')"
    lena.wait_for_selector(mine, timeout=5000)
    lena.wait_for_selector(f"{theirs} .correction[data-correction-id]", timeout=5000)
    assert lena.locator(f"{mine} .message-author").inner_text() == "Lena S."
    assert lena.locator(f"{theirs} .correction-author").inner_text() == "Lena S."

    # As the page renders them.
    lena.reload()
    wait_connected(lena)
    assert lena.locator(f"{mine} .message-author").inner_text() == "Lena S."
    assert lena.locator(f"{theirs} .correction-author").inner_text() == "Lena S."
    context.close()
