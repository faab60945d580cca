"""Settings for the test suite: the real settings, with what only slows tests down replaced.

pytest points here (``DJANGO_SETTINGS_MODULE`` in pyproject.toml), and the servers and
workers the process tests start inherit it through ``tests.processes.service_env``: a
user the test creates must log in to a child process, which can verify the hash only
with a hasher it lists. E-mail is left alone: pytest-django already swaps in the locmem
backend in the test process, and the worker tests count deliveries over real SMTP.
"""

import atexit
import os
import shutil
import tempfile
from pathlib import Path

from config.settings import *  # noqa: F403
from config.settings import REDIS_URL

# PBKDF2's million iterations cost about a second of CPU for every user a factory creates.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "exchanges.pure.card_passwords.CardPasswordHasher",  # login cards, as in settings.py
]

# Without Redis the broker is a folder, by default `make run`'s (var/celery): a task a
# test queues would wait there for the demo's worker, which would run it against the
# demo database (e-mailing its teachers, say). The suite queues into a folder of its
# own; processes it starts inherit it, unless they are given a var folder of their own
# (a journey's platform).
if not REDIS_URL and not os.environ.get("JUMELAGE_VAR_DIR"):
    if "JUMELAGE_TEST_BROKER_DIR" not in os.environ:
        os.environ["JUMELAGE_TEST_BROKER_DIR"] = tempfile.mkdtemp(prefix="jumelage-broker-")
        atexit.register(shutil.rmtree, os.environ["JUMELAGE_TEST_BROKER_DIR"], True)
    _broker = Path(os.environ["JUMELAGE_TEST_BROKER_DIR"])
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker / "out"),
        "data_folder_out": str(_broker / "out"),
        "processed_folder": str(_broker / "processed"),
        "control_folder": str(_broker / "control"),
        "store_processed": False,
    }
