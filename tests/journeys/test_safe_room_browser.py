"""A safe room in real Chromium: a pupil's message disappears from the partner's screen
the moment a teacher hides it, and a phone number is refused with the reason shown.

The server is the journeys' live platform (its own database, PostgreSQL in CI); the
exchange and the signed-in sessions are made in that database by ``world.class_room``, as
teachers and pupils would have.
"""

import pytest

from tests.journeys.steps import room_page

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.timeout(180)]


def test_a_hidden_message_disappears_live_and_a_phone_number_is_refused(
    live_platform, browser
):
    base = live_platform.url
    made = live_platform.call("class_room", pupil_a="Amelia K.", pupil_b="Lena S.")
    amelia = room_page(browser, base, made, "pupil_a")
    lena = room_page(browser, base, made, "pupil_b")
    teacher = room_page(browser, base, made, "teacher")
    assert "Your teachers can read this room" in lena.content()
    assert teacher.query_selector("#room-composer") is None  # teachers read only

    amelia.fill("#room-body", "call me on 07700 900123")
    amelia.press("#room-body", "Enter")
    amelia.wait_for_selector("#room-error:has-text('phone number')")
    # The bubble that was not sent keeps its text, nothing to correct or report, and a
    # button to copy the text.
    failed = ".room-message.failed:has-text('07700 900123')"
    amelia.wait_for_selector(failed)
    assert amelia.locator(f"{failed} button[data-action]").count() == 1
    assert amelia.locator(f"{failed} button[data-action=copy]").count() == 1

    amelia.fill("#room-body", "you are silly")
    amelia.press("#room-body", "Enter")
    lena.wait_for_selector(".room-message:has-text('you are silly')")
    teacher.wait_for_selector(".room-message:has-text('you are silly')")
    # A pupil neither reports nor corrects her own message; her partner may.
    sent = ".room-message:has-text('you are silly')"
    amelia.wait_for_selector(f"{sent}[data-message-id]:not([data-message-id=''])")
    assert amelia.locator(f"{sent} button[data-action]").count() == 0
    assert lena.locator(f"{sent} button[data-action=report]").count() == 1
    amelia.reload()
    amelia.wait_for_selector(sent)
    assert amelia.locator(f"{sent} button[data-action]").count() == 0

    teacher.on("dialog", lambda dialog: dialog.accept())
    teacher.click(".room-message:has-text('you are silly') button[data-action=hide]")

    lena.wait_for_selector(".room-message.hidden-message:has-text('hidden by a teacher')")
    assert "you are silly" not in lena.inner_text("#room-messages")
    amelia.wait_for_selector(".room-message.hidden-message")
    lena.reload()
    lena.wait_for_selector(".room-message.hidden-message:has-text('hidden by a teacher')")
    assert "you are silly" not in lena.content()
    assert "07700" not in lena.content()
