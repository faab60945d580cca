"""Fixtures shared by the whole suite.

Service fixtures: a test that needs the real PostgreSQL or Redis uses ``postgres`` or
``redis_url``. Where the service is not configured (plain ``make test`` on a laptop) it
is skipped; where it is configured but unreachable, or where CI demands services
(``JUMELAGE_REQUIRE_SERVICES=1``), it fails.
"""

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from channels.layers import DEFAULT_CHANNEL_LAYER, channel_layers
from django.conf import settings
from django.db import connection
from django.utils import translation


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test database, whose teardown first ends the other sessions on it:
    consumers run their queries on asgiref's executor threads, each of which keeps its
    connection for CONN_MAX_AGE, and PostgreSQL refuses to drop a database in use."""
    yield
    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                       " WHERE datname = current_database() AND pid <> pg_backend_pid()")


@pytest.fixture(autouse=True)
def _fresh_channel_layer():
    """Each test gets its own channel layer: a layer's Redis pools and locks belong to
    the event loop that first used it, and every async test runs its own loop."""
    channel_layers.backends.pop(DEFAULT_CHANNEL_LAYER, None)
    yield
    channel_layers.backends.pop(DEFAULT_CHANNEL_LAYER, None)


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request through LocaleMiddleware (a
    test client sending Accept-Language: ja, say) leaves its language active in the
    thread, and the next test would read Japanese."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def password():
    return "correct-horse-battery"


def _missing(what: str) -> None:
    if settings.JUMELAGE_REQUIRE_SERVICES:
        pytest.fail(f"{what} is required here (JUMELAGE_REQUIRE_SERVICES=1) but not configured")
    pytest.skip(f"{what} not configured")


@pytest.fixture
def redis_url() -> str:
    """The real Redis, pinged: fails if configured and unreachable."""
    if not settings.REDIS_URL:
        _missing("REDIS_URL")
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=3)
    try:
        client.ping()
    except redis.RedisError as exc:
        pytest.fail(f"Redis at {settings.REDIS_URL} is unreachable: {exc}")
    finally:
        client.close()
    return settings.REDIS_URL


@pytest.fixture
def postgres(db):
    """The real PostgreSQL test database."""
    if not settings.DATABASE_URL:
        _missing("DATABASE_URL")
    if connection.vendor != "postgresql":
        pytest.fail(f"DATABASE_URL is set but the database is {connection.vendor}")
    return connection


@pytest.fixture(scope="session")
def _migrated_sqlite_template(tmp_path_factory) -> Path:
    """A SQLite file as ``manage.py migrate`` leaves it (the project's settings, debug on),
    made once per run: the migrations cost a child process some twenty seconds of CPU."""
    folder = tmp_path_factory.mktemp("migrated-sqlite")
    path = folder / "db.sqlite3"
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("DATABASE_", "REDIS_", "EMAIL_", "SQLITE_", "DJANGO_"))}
    env.update(DJANGO_DEBUG="1", SQLITE_PATH=str(path), JUMELAGE_VAR_DIR=str(folder))
    done = subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=settings.BASE_DIR,
                          env=env, capture_output=True, text=True, timeout=300)
    if done.returncode:
        raise AssertionError(f"manage.py migrate failed:\n{done.stderr[-4000:]}")
    with sqlite3.connect(path) as database:  # the write-ahead log into the file itself
        database.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


@pytest.fixture
def migrated_sqlite(_migrated_sqlite_template, tmp_path) -> Path:
    """``tmp_path/db.sqlite3``, a migrated database of this test's own (a copy of the
    run's ``manage.py migrate``), for a child process's ``SQLITE_PATH``."""
    path = tmp_path / "db.sqlite3"
    shutil.copyfile(_migrated_sqlite_template, path)
    return path
