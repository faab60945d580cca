"""A message sent into a room that closed a moment before (the close still on its way to
the page), in real Chromium: the bubble says "not sent" and the page shows the room
closed, rather than "sending…" for ever under a composer that has gone; its older
history stays within reach of "Load older messages", loaded into the page without
dropping the bubble that was not sent (nor its Copy button)."""

import pytest

from tests.journeys.live import run_script

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.timeout(180)]

# Closed in the database only: the page hears of it from its own send.
CLOSE = """
from exchanges.models import Room
Room.objects.filter(pk={room}).update(status=Room.Status.CLOSED)
print("{{}}")
"""
MESSAGES = """
from exchanges.models import Message, Room, RoomMember
room = Room.objects.get(pk={room})
author = RoomMember.objects.filter(room=room, role="member").order_by("-pk")[0].user
Message.objects.bulk_create(
    [Message(room=room, author=author, body=f"old {{i}}", client_id=f"o{{i}}") for i in range(60)])
print("{{}}")
"""


def test_a_send_into_a_room_closed_meanwhile_is_marked_not_sent(live_platform, browser):
    base = live_platform.url
    made = live_platform.call("class_room", pupil_a="Amelia K.", pupil_b="Lena S.")
    context = browser.new_context()
    context.add_cookies([{"name": made["cookie"], "value": made["pupil_a"], "url": base}])
    run_script(live_platform.env, MESSAGES.format(room=made["room"]))
    page = context.new_page()
    page.goto(f"{base}/rooms/{made['room']}/")
    page.wait_for_selector("#room-connection[data-state=connected]")
    run_script(live_platform.env, CLOSE.format(room=made["room"]))
    page.fill("#room-body", "Are you there?")
    page.press("#room-body", "Enter")
    page.wait_for_selector("#room-closed-banner:not([hidden])")
    page.wait_for_selector(".room-message.failed:has-text('Are you there?')", timeout=5000)
    assert page.locator(".room-message.pending").count() == 0
    assert page.locator("#room-error").is_hidden()  # the banner says it, once

    # Its older history is still there to read: the button now loads it over HTTP, into
    # this page, where the message that was not sent stays with its Copy button.
    url = page.url
    refused = []

    def once_refused(route):  # the first request fails (the server restarting, say)
        if refused:
            route.continue_()
            return
        refused.append(route.request.url)
        route.fulfill(status=503, body="busy")

    page.route("**/rooms/*/?before=*", once_refused)
    assert page.locator(".room-message:has-text('old 9')").count() == 0
    page.click("#load-older")
    page.wait_for_selector("#room-error:not([hidden])")
    assert refused and page.locator(".room-message.failed").count() == 1
    page.click("#load-older")  # asks again
    page.wait_for_selector(".room-message:has-text('old 9')")
    assert page.locator(".room-message:has-text('old 0')").count() == 1
    assert page.url == url
    failed = page.locator(".room-message.failed:has-text('Are you there?')")
    assert failed.count() == 1
    assert failed.locator("[data-action=copy]").count() == 1
    assert page.locator(".room-message").last.inner_text().count("Are you there?") == 1
    assert page.locator(".room-message:has-text('old 59')").count() == 1
    assert page.locator("#load-older").is_hidden()  # nothing older left
    assert page.input_value("#room-body") == "" or page.locator("#room-composer").is_hidden()
