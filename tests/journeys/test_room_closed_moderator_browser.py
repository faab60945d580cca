"""A class room closed while a teacher's page is open on it, in real Chromium: the page
stops offering what only an open room allows (muting a pupil, closing the room), as the
closed room's own page does, rather than forms that can only be refused."""

import pytest

from tests.journeys.steps import room_page

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.timeout(180)]


def test_a_room_closed_meanwhile_takes_its_moderation_forms_away(live_platform, browser):
    base = live_platform.url
    made = live_platform.call("class_room", pupil_a="Amelia K.", pupil_b="Lena S.")
    watching = room_page(browser, base, made, "teacher")
    assert watching.locator("#room-mute").is_visible()
    closing = room_page(browser, base, made, "teacher")  # the same teacher, another tab
    closing.once("dialog", lambda dialog: dialog.accept())
    closing.fill("#close-reason", "end of term")
    closing.locator("form[action$='/close/'] button[type=submit]").click()
    closing.wait_for_selector("#room-closed-banner:not([hidden])")

    watching.wait_for_selector("#room-closed-banner:not([hidden])", timeout=10_000)
    assert watching.locator(".room-moderate").count() == 2
    assert all(form.is_hidden() for form in watching.locator(".room-moderate").all())
    # Reloaded, the closed room's page has none either: the same page.
    watching.reload()
    assert watching.locator(".room-moderate").count() == 0
