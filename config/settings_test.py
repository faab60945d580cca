"""Settings for the test suite: the real settings, with what only slows tests down replaced.

pytest points here (``DJANGO_SETTINGS_MODULE`` in pyproject.toml), and the servers and
workers the process tests start inherit it through ``tests.processes.service_env``: a
user the test creates must log in to a child process, which can verify the hash only
with a hasher it lists. E-mail is left alone: pytest-django already swaps in the locmem
backend in the test process, and the worker tests count deliveries over real SMTP.
"""

from config.settings import *  # noqa: F403

# PBKDF2's million iterations cost about a second of CPU for every user a factory creates.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
