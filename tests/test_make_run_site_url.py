"""`make run PORT=N` points links in e-mails at port N unless JUMELAGE_SITE_URL is set,
and so does `manage.py serve_platform --port N` for the processes it starts."""

import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from exchanges.management.commands import serve_platform

ROOT = Path(settings.BASE_DIR)


def _dry_run(*args: str, **env: str) -> str:
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    clean = {k: v for k, v in os.environ.items() if k != "JUMELAGE_SITE_URL"}
    done = subprocess.run(["make", "-n", "run", *args], cwd=ROOT, env={**clean, **env},
                          capture_output=True, text=True, timeout=60, check=True)
    (line,) = [line for line in done.stdout.splitlines() if "serve_platform" in line]
    return line


def test_make_run_passes_its_port_to_the_site_url():
    assert "JUMELAGE_SITE_URL='http://127.0.0.1:8123'" in _dry_run("PORT=8123")
    assert "--port 8123" in _dry_run("PORT=8123")


def test_make_run_keeps_a_site_url_the_user_set():
    line = _dry_run("PORT=8123", JUMELAGE_SITE_URL="https://jumelage.example")
    assert "JUMELAGE_SITE_URL='https://jumelage.example'" in line
    line = _dry_run("PORT=8123", "JUMELAGE_SITE_URL=https://other.example")
    assert "JUMELAGE_SITE_URL='https://other.example'" in line


class _Exited:
    returncode = 0

    def poll(self):
        return 0

    def wait(self, timeout=None):
        return 0

    def send_signal(self, signum):
        pass


@pytest.fixture
def started(monkeypatch, tmp_path, settings):
    settings.VAR_DIR = tmp_path
    envs = []

    def popen(command, **kwargs):
        envs.append(kwargs.get("env"))
        return _Exited()

    monkeypatch.setattr(serve_platform.subprocess, "Popen", popen)
    monkeypatch.setattr(serve_platform.signal, "signal", lambda *args: None)
    return envs


def test_serve_platform_points_its_processes_at_its_port(started, settings):
    settings.JUMELAGE_SITE_URL_GIVEN = False
    call_command("serve_platform", "--port", "8124", stdout=io.StringIO())
    assert len(started) == 2  # the worker and the web server
    assert all(env["JUMELAGE_SITE_URL"] == "http://127.0.0.1:8124" for env in started)


def test_serve_platform_leaves_a_given_site_url_alone(started, settings):
    settings.JUMELAGE_SITE_URL_GIVEN = True
    call_command("serve_platform", "--port", "8124", stdout=io.StringIO())
    assert started == [None, None]
