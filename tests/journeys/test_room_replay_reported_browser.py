"""A message reported from the reader's other tab, in real Chromium: the page whose
socket was down when the message came replays it on reconnecting (``?after=``) and shows
"Reported", as history and a reload do, not a Report the server would refuse
(already_reported)."""

import pytest

from tests.journeys.steps import SocketLine, room_page, wait_connected

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.timeout(180)]

SENT = ".room-message[data-message-id]:not([data-message-id=''])"  # stored, not pending


def test_a_replayed_message_reported_from_another_tab_shows_reported(live_platform, browser):
    base = live_platform.url
    made = live_platform.call("class_room", pupil_a="Amelia K.", pupil_b="Lena S.")
    amelia = room_page(browser, base, made, "pupil_a")
    other_tab = room_page(browser, base, made, "pupil_b")
    context = browser.new_context()
    context.add_cookies([{"name": made["cookie"], "value": made["pupil_b"], "url": base}])
    lena = context.new_page()
    line = SocketLine(lena)
    lena.goto(f"{base}/rooms/{made['room']}/")
    wait_connected(lena)

    line.cut(offline=True)
    lena.wait_for_timeout(1500)  # past the page's first reconnect delay (at most 0.5 s)
    amelia.fill("#room-body", "Hello Lena")
    amelia.press("#room-body", "Enter")
    amelia.wait_for_selector(f"{SENT}:has-text('Hello Lena')")
    hello = f"{SENT}:has-text('Hello Lena')"
    other_tab.click(f"{hello} button[data-action=report]")
    other_tab.fill("form[data-form=report] [name=reason]", "rude")
    other_tab.press("form[data-form=report] [name=reason]", "Enter")
    other_tab.wait_for_selector(f"{hello} .message-reported")

    line.cut(offline=False)
    wait_connected(lena)
    lena.wait_for_selector(hello, timeout=5000)
    message = lena.locator(hello)
    assert message.locator(".message-reported").inner_text() == "Reported"
    assert message.locator('[data-action="report"]').count() == 0
    # Correcting it is still offered: only the second report is not.
    assert message.locator('[data-action="correct"]').count() == 1
    context.close()
