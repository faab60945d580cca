"""A pupil muted while the room is open, in real Chromium: the composer is disabled at
once with a sentence saying why and until when (not at the pupil's next send), what was
typed stays in the box, and lifting the mute enables it again with a sentence."""

import pytest

from tests.journeys.steps import room_page

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.timeout(180)]


def _mute(teacher, minutes: str):
    teacher.select_option("#mute-user", label="Lena S.")
    teacher.select_option("#mute-minutes", minutes)
    teacher.click("#room-mute button[type=submit]")
    teacher.wait_for_load_state()


def test_a_pupil_muted_while_connected_sees_the_composer_disabled_at_once(
    live_platform, browser
):
    base = live_platform.url
    made = live_platform.call("class_room", pupil_a="Amelia K.", pupil_b="Lena S.")
    lena = room_page(browser, base, made, "pupil_b")
    teacher = room_page(browser, base, made, "teacher")
    amelia = room_page(browser, base, made, "pupil_a")
    amelia.fill("#room-body", "Hallo Lena, wie gehts?")
    amelia.press("#room-body", "Enter")
    correct = lena.locator(".room-message:has-text('wie gehts') [data-action=correct]")
    correct.wait_for(state="visible", timeout=5000)
    lena.fill("#room-body", "half a sentence")

    _mute(teacher, "10")
    lena.wait_for_selector("#room-body:disabled", timeout=5000)
    assert correct.is_hidden()  # nor can she correct Amelia while muted
    assert lena.locator("#room-composer button[type=submit]").is_disabled()
    muted = lena.locator("#room-muted")
    assert muted.is_visible() and "muted you until" in muted.inner_text()
    assert lena.input_value("#room-body") == "half a sentence"  # nothing typed is lost

    # Reloaded while muted, the page says so from its first frame.
    lena.reload()
    lena.wait_for_selector("#room-body:disabled", timeout=5000)
    assert "muted you until" in lena.inner_text("#room-muted")

    _mute(teacher, "0")
    lena.wait_for_selector("#room-body:enabled", timeout=5000)
    assert "lifted your mute" in lena.inner_text("#room-muted")
    assert correct.is_visible()
    lena.fill("#room-body", "I am back")
    lena.press("#room-body", "Enter")
    teacher.wait_for_selector(".room-message:has-text('I am back')")
