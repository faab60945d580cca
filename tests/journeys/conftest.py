"""Shared fixtures for whole journeys in real Chromium against a live platform.

``live_platform``: a real ASGI process (uvicorn ``config.asgi:application``) on a database
of its own. Where ``DATABASE_URL`` and ``REDIS_URL`` are set (CI), each test gets a fresh
PostgreSQL database, cloned from a template migrated once per run and dropped afterwards,
and the Redis database of ``REDIS_URL``, emptied before and after (a task queued for a
dropped database must not reach the next test's worker). Otherwise each test gets its own
SQLite file, the in-memory channel layer and a file-system Celery broker in its folder.

``celery_worker``: a real Celery worker on the platform's broker and database, for the
journeys where the queue is the point (a matching run).

``browser``: Debian's Chromium through Playwright (missing: skipped, or failed when
``JUMELAGE_REQUIRE_SERVICES=1``). ``shot``: screenshots into
``var/test-output/<test name>/NN-step.png``, whose folder the run's summary lists.

``live_platform.call("function", **kwargs)`` runs a function of ``tests/journeys/world.py``
inside the platform's database (a child process on the same settings) and returns what it
returns (JSON): how a journey sets up what people did before it starts.
"""

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings

from tests.processes import celery_worker_command, free_port

ROOT = Path(settings.BASE_DIR)
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
OUTPUT_ROOT = ROOT / "var" / "test-output"
PASSWORD = "a-long-and-unusual-passphrase"

_CALL = """
import json, sys
import django
django.setup()
from tests.journeys import world
kwargs = json.loads(sys.argv[2])
print("@@RESULT@@" + json.dumps(getattr(world, sys.argv[1])(**kwargs), default=str))
"""


def _services() -> bool:
    return bool(settings.DATABASE_URL and settings.REDIS_URL)


def _base_env(var_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("DATABASE_", "REDIS_", "EMAIL_", "SQLITE_"))}
    env.update(
        DJANGO_SETTINGS_MODULE=settings.SETTINGS_MODULE, DJANGO_DEBUG="1",
        JUMELAGE_VAR_DIR=str(var_dir), SQLITE_PATH=str(var_dir / "db.sqlite3"),
        JUMELAGE_DISABLE_RATE_LIMITS="1", DATABASE_CONN_MAX_AGE="0", PYTHONUNBUFFERED="1",
    )
    return env


def _manage(env: dict[str, str], *command: str) -> None:
    done = subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    if done.returncode:
        raise AssertionError(f"manage.py {' '.join(command)} failed:\n{done.stderr[-4000:]}")


def _postgres_admin():
    import psycopg

    parts = urllib.parse.urlsplit(settings.DATABASE_URL)
    return psycopg.connect(
        urllib.parse.urlunsplit(parts._replace(path="/postgres")), autocommit=True
    )


def _database_url(name: str) -> str:
    parts = urllib.parse.urlsplit(settings.DATABASE_URL)
    return urllib.parse.urlunsplit(parts._replace(path="/" + name))


def _database_prefix() -> str:
    return urllib.parse.urlsplit(settings.DATABASE_URL).path.lstrip("/") or "jumelage"


def _flush_redis() -> None:
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=3)
    try:
        client.flushdb()
    finally:
        client.close()


@pytest.fixture(scope="session")
def platform_template(request, tmp_path_factory):
    """A migrated database with the real twinnings, made once per run and copied per test:
    a PostgreSQL template database, or a SQLite file."""
    if settings.JUMELAGE_REQUIRE_SERVICES and not _services():
        pytest.fail("DATABASE_URL and REDIS_URL are required here (JUMELAGE_REQUIRE_SERVICES=1)")
    folder = tmp_path_factory.mktemp("platform-template")
    env = _base_env(folder)
    if not _services():
        migrated = request.getfixturevalue("_migrated_sqlite_template")
        shutil.copyfile(migrated, folder / "db.sqlite3")
        _manage(env, "load_twinnings")
        yield {"sqlite": folder / "db.sqlite3"}
        return
    name = f"{_database_prefix()}_tpl_{uuid.uuid4().hex[:8]}"
    with _postgres_admin() as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        env["DATABASE_URL"] = _database_url(name)
        for command in (["migrate", "-v0"], ["load_twinnings"]):
            _manage(env, *command)
        yield {"postgres": name}
    finally:
        with _postgres_admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass
class Platform:
    url: str
    env: dict[str, str]
    folder: Path
    output: Path
    logs: list[Path] = field(default_factory=list)

    def call(self, function: str, **kwargs):
        """Run ``tests.journeys.world.<function>(**kwargs)`` on the platform's database."""
        done = subprocess.run(
            [sys.executable, "-c", _CALL, function, json.dumps(kwargs)], cwd=ROOT, env=self.env,
            capture_output=True, text=True, timeout=120,
        )
        if done.returncode:
            raise AssertionError(f"world.{function} failed:\n{done.stderr[-4000:]}")
        return json.loads(done.stdout.split("@@RESULT@@")[-1])

    def log_text(self, source: str | None = None) -> str:
        """The output of the server and the workers, or of the one log named ``source``
        ("server.log", "worker.log")."""
        return "".join(path.read_text(errors="replace") for path in self.logs
                       if path.exists() and source in (None, path.name))

    def wait_for_log(self, pattern: str, timeout: float = 20,
                     source: str | None = None) -> re.Match:
        """The first match of ``pattern`` in the platform's output (where the console
        e-mail backend writes), waiting for it to appear."""
        deadline = time.monotonic() + timeout
        while True:
            found = re.search(pattern, self.log_text(source))
            if found:
                return found
            if time.monotonic() > deadline:
                raise AssertionError(f"{pattern!r} never appeared in {source or 'the logs'}")
            time.sleep(0.2)

    def login(self, context, email: str, password: str = PASSWORD):
        """Sign in as a person does, on allauth's login page; returns the page."""
        page = context.new_page()
        page.goto(f"{self.url}/accounts/login/")
        page.fill("#id_login", email)
        page.fill("#id_password", password)
        page.locator("main form:has(#id_login) button[type=submit]").click()
        try:
            page.wait_for_url(lambda url: "/accounts/login/" not in url)
        except Exception:
            page.screenshot(path=str(self.output / "login-failed.png"), full_page=True)
            raise
        return page


def _wait_for_port(port: int, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server stopped:\n{log.read_text()[-4000:]}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise AssertionError(f"the server did not listen within 60 s:\n{log.read_text()[-4000:]}")


@pytest.fixture
def live_platform(platform_template, tmp_path, journey_output):
    """A live platform process on a database of this test's own (see the module's doc)."""
    env = _base_env(tmp_path)
    database = None
    if "sqlite" in platform_template:
        shutil.copyfile(platform_template["sqlite"], tmp_path / "db.sqlite3")
    else:
        database = f"{_database_prefix()}_{uuid.uuid4().hex[:10]}"
        with _postgres_admin() as admin:
            template = platform_template["postgres"]
            admin.execute(f'CREATE DATABASE "{database}" TEMPLATE "{template}"')
        env.update(DATABASE_URL=_database_url(database), REDIS_URL=settings.REDIS_URL)
        _flush_redis()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env.update(JUMELAGE_SITE_URL=url)
    log = tmp_path / "server.log"
    platform = Platform(url=url, env=env, folder=tmp_path, output=journey_output, logs=[log])
    with open(log, "w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "config.asgi:application",
             "--host", "127.0.0.1", "--port", str(port)],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )
    try:
        _wait_for_port(port, server, log)
        yield platform
    finally:
        server.terminate()
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(5)
        for path in platform.logs:
            if path.exists():
                shutil.copyfile(path, journey_output / path.name)
        if database:
            _flush_redis()
            with _postgres_admin() as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


@pytest.fixture
def celery_worker(live_platform):
    """A real Celery worker on the platform's broker and database, ready when yielded."""
    log = live_platform.folder / "worker.log"
    live_platform.logs.append(log)
    with open(log, "w") as out:
        worker = subprocess.Popen(
            celery_worker_command("journeys"), cwd=ROOT, env=live_platform.env,
            stdout=out, stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while "ready." not in log.read_text(errors="replace"):
            if worker.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"the worker did not start:\n{log.read_text()[-4000:]}")
            time.sleep(0.2)
        yield worker
    finally:
        worker.terminate()
        try:
            worker.wait(15)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(5)


@pytest.fixture
def browser():
    """Debian's Chromium, headless, one per test."""
    if not Path(CHROMIUM).exists():
        if settings.JUMELAGE_REQUIRE_SERVICES:
            pytest.fail(f"{CHROMIUM} is required here but missing")
        pytest.skip("Debian's chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


_OUTPUT_FOLDERS: list[Path] = []


@pytest.fixture
def journey_output(request) -> Path:
    """var/test-output/<test name>/, emptied: the screenshots and the platform's logs this
    test leaves to look at (the run's summary lists it)."""
    name = re.sub(r"[^\w.-]+", "_", request.node.name).strip("_")
    folder = OUTPUT_ROOT / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    _OUTPUT_FOLDERS.append(folder)
    return folder


@pytest.fixture
def shot(journey_output):
    """``shot(page, "step")`` saves a full-page screenshot as NN-step.png, numbered in order."""
    taken = []

    def take(page, step: str) -> Path:
        taken.append(step)
        slug = re.sub(r"[^\w-]+", "-", step)
        path = journey_output / f"{len(taken):02d}-{slug}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    take.folder = journey_output
    return take


def pytest_terminal_summary(terminalreporter):
    if _OUTPUT_FOLDERS:
        terminalreporter.section("journey screenshots")
        for folder in _OUTPUT_FOLDERS:
            terminalreporter.write_line(str(folder))
