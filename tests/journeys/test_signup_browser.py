"""A newcomer signs up, verifies the e-mail and completes onboarding in real Chromium.

The server is a real ASGI process on its own SQLite file (the embedded default); the
verification e-mail goes to its console, where the test reads the link, as a person
would read their inbox.
"""

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from tests.processes import free_port

ROOT = Path(settings.BASE_DIR)
CHROMIUM = "/usr/bin/chromium"

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.timeout(180)]


@pytest.fixture
def live_server_process(tmp_path):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("DATABASE_", "REDIS_", "EMAIL_"))}
    env.update(DJANGO_DEBUG="1", SQLITE_PATH=str(tmp_path / "db.sqlite3"),
               JUMELAGE_VAR_DIR=str(tmp_path), JUMELAGE_DISABLE_RATE_LIMITS="1")
    for command in (["migrate", "-v0"], ["load_twinnings"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True,
                       capture_output=True, timeout=120)
    port = free_port()
    log_path = tmp_path / "server.log"
    with open(log_path, "w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "config.asgi:application",
             "--host", "127.0.0.1", "--port", str(port)],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.2)
        yield f"http://127.0.0.1:{port}", log_path
    finally:
        server.terminate()
        server.wait(15)


@pytest.fixture
def browser():
    if not Path(CHROMIUM).exists():
        if settings.JUMELAGE_REQUIRE_SERVICES:
            pytest.fail(f"{CHROMIUM} is required here but missing")
        pytest.skip("Debian's chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            yield launched
        finally:
            launched.close()


def _confirmation_link(log_path: Path) -> str:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        found = re.search(r"(/accounts/confirm-email/[^\s]+/)", log_path.read_text())
        if found:
            return found.group(1)
        time.sleep(0.2)
    raise AssertionError("no confirmation e-mail in the server's console")


def test_signup_verify_and_onboard_in_a_browser(live_server_process, browser):
    base, log_path = live_server_process
    page = browser.new_page()
    page.goto(f"{base}/")
    assert "Coventry" in page.content()
    page.click("text=Find a partner in a twin city")

    page.fill("#id_email", "nia@example.test")
    page.fill("#id_display_name", "Nia")
    page.fill("#id_birth_year", "1999")
    page.fill("#id_password1", "a-long-and-unusual-passphrase")
    page.fill("#id_password2", "a-long-and-unusual-passphrase")
    page.click("button[type=submit]")
    page.wait_for_load_state()
    assert "verify" in page.content().lower() or "confirm" in page.content().lower()

    page.goto(base + _confirmation_link(log_path))
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/onboarding/$"))

    page.fill("#city-filter", "Coventry")
    assert "Coventry" in page.eval_on_selector("#id_city", "s => s.selectedOptions[0].text")
    page.select_option("#id_capacity", "1")
    page.select_option("#id_lang-0-learning", "0")
    page.select_option("#id_lang-0-code", "en")
    page.select_option("#id_lang-0-level", "native")
    page.click("text=Add a language")
    page.select_option("#id_lang-1-learning", "1")
    page.select_option("#id_lang-1-code", "de")
    page.select_option("#id_lang-1-level", "B1")
    page.fill("#id_interests", "hiking, jazz")
    page.fill("#id_bio", "Hello from Coventry")
    page.select_option("#id_win-0-weekday", "0")
    page.fill("#id_win-0-start", "18:00")
    page.fill("#id_win-0-end", "20:00")
    page.click("text=Finish and find me a partner")
    page.wait_for_url(re.compile(r"/dashboard/$"))
    dashboard = page.content()
    assert "100% complete" in dashboard
    assert "Coventry" in dashboard
    assert "Europe/London" in dashboard
    page.close()
