"""A newcomer signs up, verifies the e-mail and completes onboarding in real Chromium.

The server is the journeys' live platform (tests/journeys/conftest.py: its own database,
PostgreSQL in CI); the verification e-mail goes to its console, where the test reads the
link, as a person would read their inbox.
"""

import re

import pytest

from tests.journeys.steps import onboarding_fill

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.timeout(180)]


def test_signup_verify_and_onboard_in_a_browser(live_platform, browser):
    base = live_platform.url
    page = browser.new_page()
    page.goto(f"{base}/")
    assert "Coventry" in page.content()
    page.click("text=Find a partner in a twin city")

    page.fill("#id_email", "nia@example.test")
    page.fill("#id_display_name", "Nia")
    page.fill("#id_birth_year", "1999")
    page.fill("#id_password1", "a-long-and-unusual-passphrase")
    page.fill("#id_password2", "a-long-and-unusual-passphrase")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert "verify" in page.content().lower() or "confirm" in page.content().lower()

    page.goto(base + live_platform.wait_for_log(r"(/accounts/confirm-email/[^\s]+/)").group(1))
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/onboarding/$"))

    onboarding_fill(page)
    page.click("text=Finish and find me a partner")
    page.wait_for_url(re.compile(r"/dashboard/$"))
    dashboard = page.content()
    assert "100% complete" in dashboard
    assert "Coventry" in dashboard
    assert "Europe/London" in dashboard
    page.close()
