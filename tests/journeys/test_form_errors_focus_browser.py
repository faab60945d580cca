"""A form sent back with errors puts focus on its error summary in real Chromium, so
keyboard and screen-reader users hear how many problems there are and what each is; each
of the summary's links takes the focus to its field (static/js/form_errors.js)."""

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.timeout(180)]


def test_a_failed_signup_focuses_the_summary_whose_links_focus_each_field(live_platform, browser):
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
    page.wait_for_function(
        "document.activeElement.classList.contains('error-summary')", timeout=5000)
    assert page.evaluate("document.activeElement.getAttribute('role')") == "alert"
    assert page.evaluate(
        "document.getElementById(document.activeElement.getAttribute('aria-labelledby'))"
        ".textContent.trim()") == "There is a problem"

    page.click(".error-summary a[href='#id_password2']")
    page.wait_for_function("document.activeElement.id === 'id_password2'", timeout=5000)
    # The field's label is scrolled into view with it, not left above the top edge.
    assert page.evaluate(
        "document.querySelector('label[for=id_password2]').getBoundingClientRect().top >= 0")
    page.close()

