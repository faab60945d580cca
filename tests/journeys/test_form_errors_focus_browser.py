"""A form sent back with errors puts focus on the first one in real Chromium, so keyboard
and screen-reader users land on what needs fixing (static/js/form_errors.js)."""

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.timeout(180)]


def test_a_failed_signup_focuses_the_first_invalid_field(live_platform, browser):
    page = browser.new_page()
    page.goto(f"{live_platform.url}/accounts/signup/")
    assert page.evaluate("document.activeElement === document.body")

    page.fill("#id_email", "nia@example.test")
    page.fill("#id_display_name", "Nia")
    page.fill("#id_birth_year", "1999")
    page.fill("#id_password1", "a-long-and-unusual-passphrase")
    page.fill("#id_password2", "a-long-and-unusual-passphrasf")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()

    assert page.get_attribute("#id_password2", "aria-invalid") == "true"
    page.wait_for_function("document.activeElement.id === 'id_password2'", timeout=5000)
    page.close()
