"""A message flashed before a redirect is announced in real Chromium: the page it lands on
moves the focus to it (static/js/messages.js), as a live region present from page load is
often not read. Here the signup's "confirmation e-mail sent", then the confirmation's
"you have confirmed" on the welcome form, which sets no focus of its own."""

import re

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.timeout(180)]

FOCUSED_MESSAGE = "document.activeElement.id === 'messages'"


def test_the_message_after_a_redirect_takes_the_focus(live_platform, browser):
    base = live_platform.url
    page = browser.new_page()
    page.goto(f"{base}/accounts/signup/")
    page.fill("#id_email", "nia@example.test")
    page.fill("#id_display_name", "Nia")
    page.fill("#id_birth_year", "1999")
    page.fill("#id_password1", "a-long-and-unusual-passphrase")
    page.fill("#id_password2", "a-long-and-unusual-passphrase")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()

    page.wait_for_function(FOCUSED_MESSAGE, timeout=5000)
    region = page.locator("#messages")
    assert "nia@example.test" in region.inner_text()
    assert region.get_attribute("role") == "alert"
    named = page.evaluate("document.getElementById(document.activeElement"
                          ".getAttribute('aria-labelledby')).textContent.trim()")
    assert named == "Messages"
    # The next Tab goes on from the message, not back to the top of the page.
    page.keyboard.press("Tab")
    assert page.evaluate("document.getElementById('messages').compareDocumentPosition("
                         "document.activeElement) & Node.DOCUMENT_POSITION_FOLLOWING")

    page.goto(base + live_platform.wait_for_log(r"(/accounts/confirm-email/[^\s]+/)").group(1))
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/onboarding/$"))
    page.wait_for_function(FOCUSED_MESSAGE, timeout=5000)
    assert "confirmed" in page.locator("#messages").inner_text()
    page.close()
