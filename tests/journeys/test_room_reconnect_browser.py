"""A room page whose socket drops catches up when it reconnects, in real Chromium: the
messages written meanwhile (also in a room that was empty when the page loaded) and the
corrections made meanwhile on messages it already shows, each once; a correction made on
the page while it was down is sent once it is back.

The drop is Playwright's WebSocket route: while "offline" the page's socket reaches no
server (it hears nothing), then it closes and the page reconnects to the real one.
"""

import pytest

from tests.journeys.steps import SocketLine

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.timeout(180)]

SENT = ".room-message[data-message-id]:not([data-message-id=''])"  # stored, not pending


def _page(browser, base, made, who, *, line=False):
    context = browser.new_context()
    context.add_cookies([{"name": made["cookie"], "value": made[who], "url": base}])
    page = context.new_page()
    routed = SocketLine(page) if line else None
    page.goto(f"{base}/rooms/{made['room']}/")
    page.wait_for_selector("#room-connection[data-state=connected]")
    return page, routed


def _offline(page, line):
    line.cut(offline=True)
    page.wait_for_timeout(1500)  # past the page's first reconnect delay (at most 0.5 s)


def _back(page, line):
    line.cut(offline=False)
    page.wait_for_selector("#room-connection[data-state=connected]")


def test_a_dropped_socket_catches_up_on_messages_and_corrections(live_platform, browser):
    base = live_platform.url
    made = live_platform.call("class_room", pupil_a="Amelia K.", pupil_b="Lena S.")
    amelia, _ = _page(browser, base, made, "pupil_a")
    lena, line = _page(browser, base, made, "pupil_b", line=True)

    # The room was empty when Lena's page loaded; she misses Amelia's first words.
    _offline(lena, line)
    amelia.fill("#room-body", "Hello Lena")
    amelia.press("#room-body", "Enter")
    amelia.wait_for_selector(f"{SENT}:has-text('Hello Lena')")
    _back(lena, line)
    lena.wait_for_selector(".room-message:has-text('Hello Lena')", timeout=5000)

    lena.fill("#room-body", "I goed to school")
    lena.press("#room-body", "Enter")
    mine = ".room-message:has-text('I goed to school')"
    amelia.wait_for_selector(mine)
    lena.wait_for_selector(f"{SENT}:has-text('I goed to school')")

    # Amelia corrects it while Lena's line is down.
    _offline(lena, line)
    amelia.click(f"{mine} button[data-action=correct]")
    amelia.fill("[name=corrected]", "I went to school")
    amelia.press("[name=corrected]", "Enter")
    amelia.wait_for_selector(f"{mine} .correction-text:has-text('I went to school')")
    _back(lena, line)
    lena.wait_for_selector(f"{mine} .correction-text:has-text('I went to school')",
                           timeout=5000)

    # Lena corrects Amelia while her own line is down: it goes once she is back.
    hello = f"{SENT}:has-text('Hello Lena')"
    _offline(lena, line)
    lena.click(f"{hello} button[data-action=correct]")
    lena.fill("form[data-form=correct] [name=corrected]", "Hello, Lena!")
    lena.press("form[data-form=correct] [name=corrected]", "Enter")
    _back(lena, line)
    amelia.wait_for_selector(f"{hello} .correction-text:has-text('Hello, Lena!')",
                             timeout=5000)
    lena.wait_for_selector(f"{hello} .correction-text:has-text('Hello, Lena!')")

    # Once more through a drop: nothing shows twice.
    _offline(lena, line)
    _back(lena, line)
    lena.wait_for_timeout(500)
    assert lena.locator(f"{mine} .correction").count() == 1
    assert lena.locator(f"{hello} .correction").count() == 1
    assert lena.locator(".room-message:has-text('Hello Lena')").count() == 1
