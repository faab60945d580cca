"""Messages still "sending…" when the room closes under the page, in real Chromium: the
page asks the room which of them it saved. One the server saved (its acknowledgement
lost on the way) is shown sent; one that never reached it is "not sent"; when the room
cannot be asked, "may not have been sent". None stays "sending…", and each unsent text
stays on the page with a button that copies it.

Playwright's WebSocket route stands between the page and the real server: it keeps one
send from the server, and the server's acknowledgement of another from the page."""

import json
import re

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.timeout(240)]

WS = re.compile(r".*/ws/rooms/\d+/.*")


def _context(browser, base, made, who):
    context = browser.new_context()
    context.add_cookies([{"name": made["cookie"], "value": made[who], "url": base}])
    return context


def _open(context, base, made, route=None):
    page = context.new_page()
    if route:
        page.route_web_socket(WS, route)
    page.goto(f"{base}/rooms/{made['room']}/")
    page.wait_for_selector("#room-connection[data-state=connected]")
    return page


def _route(kept_back: str, unacknowledged: str, seen: list):
    """Keeps the send of ``kept_back`` from the server, and the server's acknowledgement
    of ``unacknowledged`` from the page."""
    ack_of = []

    def route(ws):
        server = ws.connect_to_server()

        def from_page(text):
            frame = json.loads(text)
            if frame.get("type") == "message.send":
                seen.append(frame["body"])
                if frame["body"] == kept_back:
                    return
                if frame["body"] == unacknowledged:
                    ack_of.append(frame["client_id"])
            server.send(text)

        def from_server(text):
            frame = json.loads(text)
            if frame.get("type") == "message" and frame.get("client_id") in ack_of:
                return
            ws.send(text)

        ws.on_message(from_page)
        server.on_message(from_server)

    return route


def _close_room(teacher):
    teacher.on("dialog", lambda dialog: dialog.accept())
    teacher.fill("#close-reason", "end of the lesson")
    teacher.click("form.room-moderate button.danger")
    teacher.wait_for_load_state()


def test_pending_messages_of_a_room_that_closed_end_sent_or_not_sent(live_platform, browser):
    base = live_platform.url
    made = live_platform.call("class_room", pupil_a="Amelia K.", pupil_b="Lena S.")
    seen = []
    context = _context(browser, base, made, "pupil_a")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
    amelia = _open(context, base, made, _route("kept back", "saved quietly", seen))
    teacher = _open(_context(browser, base, made, "teacher"), base, made)
    for text in ("saved quietly", "kept back"):
        amelia.fill("#room-body", text)
        amelia.press("#room-body", "Enter")
    teacher.wait_for_selector(".room-message:has-text('saved quietly')")
    assert seen == ["saved quietly", "kept back"]
    assert amelia.locator(".room-message.pending").count() == 2

    _close_room(teacher)
    amelia.wait_for_selector("#room-closed-banner:not([hidden])")
    amelia.wait_for_selector(".room-message.failed:has-text('kept back')", timeout=5000)
    saved = ".room-message:has-text('saved quietly')"
    amelia.wait_for_selector(f"{saved}[data-message-id]:not([data-message-id=''])")
    assert amelia.locator(".room-message.pending").count() == 0
    assert amelia.locator(f"{saved}.failed, {saved}.unknown").count() == 0
    assert "not sent" in amelia.locator(".room-message.failed .message-time").evaluate(
        "el => getComputedStyle(el, '::after').content")

    amelia.click(".room-message.failed button[data-action=copy]")
    amelia.wait_for_selector(".room-message.failed button[data-action=copy]:has-text('Copied')")
    assert amelia.evaluate("navigator.clipboard.readText()") == "kept back"


def test_pending_messages_the_room_cannot_be_asked_about_may_not_have_been_sent(
    live_platform, browser
):
    base = live_platform.url
    made = live_platform.call("class_room", pupil_a="Amelia K.", pupil_b="Lena S.")
    context = _context(browser, base, made, "pupil_a")
    amelia = _open(context, base, made, _route("kept back", "", []))
    amelia.route("**/sent/**", lambda route: route.abort())  # offline by then
    teacher = _open(_context(browser, base, made, "teacher"), base, made)
    amelia.fill("#room-body", "kept back")
    amelia.press("#room-body", "Enter")
    amelia.wait_for_selector(".room-message.pending:has-text('kept back')")

    _close_room(teacher)
    unknown = ".room-message.unknown:has-text('kept back')"
    amelia.wait_for_selector(unknown, timeout=5000)
    assert "may not have been sent" in amelia.locator(f"{unknown} .message-time").evaluate(
        "el => getComputedStyle(el, '::after').content")
    assert amelia.locator(f"{unknown} button[data-action=copy]").count() == 1


def test_text_typed_after_the_socket_ended_for_good_stays_in_the_box(live_platform, browser):
    """Logged out in another tab (4401, and again at the reconnect): a message typed then
    is not left "sending…" under a socket that will never come back."""
    base = live_platform.url
    made = live_platform.call("class_room", pupil_a="Amelia K.", pupil_b="Lena S.")
    context = _context(browser, base, made, "pupil_a")
    amelia = _open(context, base, made)
    other_tab = _open(context, base, made)
    other_tab.click("form[action='/accounts/logout/'] button")
    other_tab.wait_for_load_state()
    amelia.wait_for_selector("#room-connection:has-text('log in again')", timeout=10000)
    amelia.fill("#room-body", "are you still there?")
    amelia.press("#room-body", "Enter")
    amelia.wait_for_selector("#room-error:has-text('log in again')")
    assert amelia.input_value("#room-body") == "are you still there?"
    assert amelia.locator(".room-message.pending").count() == 0


def test_text_typed_but_not_sent_when_the_room_closes_stays_readable(live_platform, browser):
    base = live_platform.url
    made = live_platform.call("class_room", pupil_a="Amelia K.", pupil_b="Lena S.")
    amelia = _open(_context(browser, base, made, "pupil_a"), base, made)
    teacher = _open(_context(browser, base, made, "teacher"), base, made)
    amelia.fill("#room-body", "a long answer I was still writing")
    _close_room(teacher)
    amelia.wait_for_selector("#room-closed-banner:not([hidden])")
    assert amelia.locator("#room-body").is_visible()
    assert amelia.input_value("#room-body") == "a long answer I was still writing"
    assert not amelia.locator("#room-body").is_editable()
    assert amelia.locator("#room-composer button[type=submit]").is_disabled()
