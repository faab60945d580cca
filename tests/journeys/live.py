"""Helpers of the accessibility journeys, beside the shared fixtures of ``conftest.py``
(``live_platform``, ``browser``): a script run in the live platform's database, as people
would have acted, and browser contexts signed in with a session made there."""

import json
import subprocess
import sys

from django.conf import settings

ROOT = settings.BASE_DIR

# A script run with ``run_script`` may call ``session(user)``: a signed-in session's key,
# made in the platform's session store as a login would (pupils through their backend).
SESSION_HELPER = "from tests.journeys.world import session\n"


def run_script(env: dict, script: str, timeout: int = 240) -> dict:
    """Runs ``script`` in the platform's database (``manage.py shell`` with the platform's
    environment); its last printed line is JSON, returned."""
    done = subprocess.run([sys.executable, "manage.py", "shell", "-c", SESSION_HELPER + script],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    if done.returncode:
        raise AssertionError(f"setup script failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def signed_in_context(browser, base: str, cookie: str, session_key: str | None, **options):
    """A fresh browser context (``options`` as Playwright's), carrying the session cookie
    when there is one."""
    context = browser.new_context(**options)
    if session_key:
        context.add_cookies([{"name": cookie, "value": session_key, "url": base}])
    return context
