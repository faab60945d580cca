"""A correction is shown under its message as it is sent, in real Chromium, and is never
silently lost: one the server refuses stays with its text, "not sent" and the reason; one
still unanswered when the room closes stays "may not have been sent"; each with a button
that copies its text. Playwright's WebSocket route keeps chosen frames from the server."""

import json
import re

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.timeout(240)]

WS = re.compile(r".*/ws/rooms/\d+/.*")


def _page(browser, base, made, who, route=None):
    context = browser.new_context()
    context.add_cookies([{"name": made["cookie"], "value": made[who], "url": base}])
    page = context.new_page()
    if route:
        page.route_web_socket(WS, route)
    page.goto(f"{base}/rooms/{made['room']}/")
    page.wait_for_selector("#room-connection[data-state=connected]")
    return page


def _keep_back(text: str):
    def route(ws):
        server = ws.connect_to_server()

        def from_page(frame_text):
            frame = json.loads(frame_text)
            if frame.get("type") == "correction.send" and frame.get("corrected") == text:
                return
            server.send(frame_text)

        ws.on_message(from_page)

    return route


def _correct(page, message: str, corrected: str):
    page.click(f".room-message:has-text('{message}') button[data-action=correct]")
    page.fill(".message-form textarea", corrected)
    page.press(".message-form textarea", "Enter")


def test_a_correction_refused_or_unanswered_keeps_its_text(live_platform, browser):
    base = live_platform.url
    made = live_platform.call("class_room", pupil_a="Amelia K.", pupil_b="Lena S.")
    amelia = _page(browser, base, made, "pupil_a")
    lena = _page(browser, base, made, "pupil_b", _keep_back("I goes home"))
    teacher = _page(browser, base, made, "teacher")
    for text in ("I go to home", "I has a dog"):
        amelia.fill("#room-body", text)
        amelia.press("#room-body", "Enter")
        lena.wait_for_selector(f".room-message[data-message-id]:has-text('{text}')")

    # Accepted: shown once, as the room has it.
    _correct(lena, "I go to home", "I go home")
    amelia.wait_for_selector(".correction:has-text('I go home')")
    lena.wait_for_selector(".correction:not(.pending):has-text('I go home')")
    assert lena.locator(".correction:has-text('I go home')").count() == 1

    # Refused (a pupil's phone number): the text stays, "not sent", the reason shown.
    _correct(lena, "I has a dog", "call 07700 900123")
    refused = ".correction.failed:has-text('07700 900123')"
    lena.wait_for_selector(refused, timeout=5000)
    lena.wait_for_selector("#room-error:has-text('phone number')")
    assert lena.locator(f"{refused} button[data-action=copy]").count() == 1

    # Never answered (kept back on the way), then the room closes: not lost either.
    _correct(lena, "I go to home", "I goes home")
    lena.wait_for_selector(".correction.pending:has-text('I goes home')")
    teacher.on("dialog", lambda dialog: dialog.accept())
    teacher.click("form.room-moderate button.danger")
    lena.wait_for_selector("#room-closed-banner:not([hidden])")
    unanswered = ".correction.unknown:has-text('I goes home')"
    lena.wait_for_selector(unanswered, timeout=5000)
    assert "may not have been sent" in lena.inner_text(unanswered)
    assert lena.locator(f"{unanswered} button[data-action=copy]").count() == 1
    assert lena.locator(".correction.pending").count() == 0
