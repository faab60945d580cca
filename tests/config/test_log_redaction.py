"""Server logs at INFO carry no calendar token nor reset key: uvicorn's access line and
Django's "Not Found" line name the path, and the secret in it is redacted."""

import logging
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

from config.log_redaction import RedactSecrets
from tests.processes import free_port

ROOT = Path(settings.BASE_DIR)
TOKEN = "Zq8cVb3NmL0kJh7GfD2sA9pO1iU4yT6r"
SECRET_PATHS = (
    f"/calendar/{TOKEN}.ics",
    f"/classes/calendar/{TOKEN}.ics",
    f"/accounts/password/reset/key/3-{TOKEN}/",
    f"/accounts/confirm-email/{TOKEN}/",
)


def _record(logger: str, msg: str, args: tuple) -> logging.LogRecord:
    return logging.LogRecord(logger, logging.INFO, __file__, 1, msg, args, None)


def test_the_filter_redacts_secrets_in_the_message_and_its_arguments():
    access = _record("uvicorn.access", '%s - "%s %s HTTP/%s" %d',
                     ("127.0.0.1:5000", "GET", f"/calendar/{TOKEN}.ics", "1.1", 200))
    assert RedactSecrets().filter(access)
    assert TOKEN not in access.getMessage()
    assert access.getMessage() == '127.0.0.1:5000 - "GET /calendar/….ics HTTP/1.1" 200'
    not_found = _record("django.request", f"Not Found: /accounts/confirm-email/{TOKEN}/", ())
    RedactSecrets().filter(not_found)
    assert not_found.getMessage() == "Not Found: /accounts/confirm-email/…/"
    other = _record("django.request", "Not Found: %s", ("/rooms/12/",))
    RedactSecrets().filter(other)
    assert other.getMessage() == "Not Found: /rooms/12/"


@pytest.mark.slow
@pytest.mark.timeout(180)
def test_a_production_server_logs_requests_without_their_secrets(tmp_path, migrated_sqlite):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_", "EMAIL_", "JUMELAGE_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_SECRET_KEY="x7#kP2!vQ9zL4mN8@rT1wY6eU3iO5aS0dF7gH2jK9lZ4xC8vB1nM6qW3eR5tY0uI",
        DJANGO_ALLOWED_HOSTS="127.0.0.1", DJANGO_SECURE_SSL_REDIRECT="0",
        SQLITE_PATH=str(migrated_sqlite), JUMELAGE_VAR_DIR=str(tmp_path),
        JUMELAGE_MANIFEST_STATIC="0",
    )
    port = free_port()
    log = tmp_path / "server.log"
    with open(log, "w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "config.asgi:application", "--host", "127.0.0.1",
             "--port", str(port)], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while "/calendar/…" not in log.read_text() and time.monotonic() < deadline:
            for path in SECRET_PATHS:
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5)
                except urllib.error.HTTPError:
                    pass  # unknown tokens and keys: 404 or a page saying so
                except OSError:
                    time.sleep(0.3)  # not listening yet
                    break
            time.sleep(0.5)
    finally:
        server.terminate()
        server.wait(30)
    text = log.read_text()
    assert 'GET /calendar/….ics' in text and "GET /classes/calendar/….ics" in text, text
    assert "Not Found: /calendar/….ics" in text, text
    assert TOKEN not in text, text
