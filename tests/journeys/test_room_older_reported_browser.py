"""Older messages the reader reported, in real Chromium: loaded over the socket by "Load
older messages", they show "Reported" as the page render does, not a second "Report"
(the server would refuse it as already_reported)."""

import pytest

from tests.journeys.live import run_script

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.timeout(180)]

MESSAGES = """
from exchanges.models import Message, Report, Room, User
room = Room.objects.get(pk={room})
author = User.objects.get(display_name="Amelia K.")
reader = User.objects.get(display_name="Lena S.")
Message.objects.bulk_create(
    [Message(room=room, author=author, body=f"old {{i}}", client_id=f"o{{i}}") for i in range(60)])
Report.objects.create(message=Message.objects.get(room=room, client_id="o0"),
                      reporter=reader, reason="rude")
print("{{}}")
"""


def test_an_older_message_the_reader_reported_shows_reported(live_platform, browser):
    base = live_platform.url
    made = live_platform.call("class_room", pupil_a="Amelia K.", pupil_b="Lena S.")
    run_script(live_platform.env, MESSAGES.format(room=made["room"]))
    context = browser.new_context()
    context.add_cookies([{"name": made["cookie"], "value": made["pupil_b"], "url": base}])
    page = context.new_page()
    page.goto(f"{base}/rooms/{made['room']}/")
    page.wait_for_selector("#room-connection[data-state=connected]")
    assert page.locator(".room-message").count() == 50
    page.click("#load-older")
    page.wait_for_function("() => document.querySelectorAll('.room-message').length === 60",
                           timeout=5000)
    oldest, next_one = page.locator(".room-message").nth(0), page.locator(".room-message").nth(1)
    assert "old 0" in oldest.inner_text()
    assert oldest.locator(".message-reported").inner_text() == "Reported"
    assert oldest.locator('[data-action="report"]').count() == 0
    assert next_one.locator('[data-action="report"]').count() == 1
    assert next_one.locator(".message-reported").count() == 0
    context.close()
