"""Real ``uvicorn`` processes for the chat's process tests, and the clients that talk to
them: a user logs in through the real allauth login page; the WebSocket clients are the
``websockets`` library with the session cookie and an Origin header."""

import http.client
import json
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from websockets.sync.client import connect as ws_connect

from tests.processes import free_port

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory's password


class Server:
    """One ``uvicorn config.asgi:application`` process on a free port."""

    def __init__(self, env: dict, port: int | None = None, args: tuple[str, ...] = ()):
        self.env = env
        self.port = port or free_port()
        self.args = args
        self.log = tempfile.NamedTemporaryFile("w+", prefix="uvicorn-", suffix=".log")  # noqa: SIM115
        self.proc = None

    def start(self) -> "Server":
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "config.asgi:application",
             "--host", "127.0.0.1", "--port", str(self.port), "--log-level", "warning",
             *self.args],
            cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 40
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: {self.output()}")
            try:
                status, _, _ = self.request("GET", "/healthz")
                if status < 500:
                    return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"server did not start: {self.output()}")

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read()[-3000:]

    def request(self, method, path, body=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, response.getheaders(), response.read().decode()
        finally:
            conn.close()

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()
        self.log.close()

    @property
    def ws_base(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def _cookies(headers) -> dict[str, str]:
    jar = {}
    for name, value in headers:
        if name.lower() == "set-cookie":
            key, _, rest = value.partition("=")
            jar[key] = rest.split(";", 1)[0]
    return jar


def login(server: Server, email: str) -> str:
    """Log in through allauth's real login form; returns the session cookie value."""
    status, headers, html = server.request("GET", "/accounts/login/")
    assert status == 200, html[:500]
    csrf_cookie = _cookies(headers)["csrftoken"]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    body = urllib.parse.urlencode(
        {"login": email, "password": PASSWORD, "csrfmiddlewaretoken": token}
    )
    status, headers, html = server.request(
        "POST", "/accounts/login/", body=body,
        headers={"Content-Type": "application/x-www-form-urlencoded",
                 "Cookie": f"csrftoken={csrf_cookie}", "Referer": server.origin + "/"},
    )
    assert status == 302, f"login failed ({status}): {html[:500]}"
    return _cookies(headers)[settings.SESSION_COOKIE_NAME]


@contextmanager
def room_socket(server: Server, room_id: int, cookie: str, query: str = ""):
    with ws_connect(
        f"{server.ws_base}/ws/rooms/{room_id}/{query}",
        additional_headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}"},
        origin=server.origin,
        open_timeout=10,
        close_timeout=5,
    ) as ws:
        joined = json.loads(ws.recv(timeout=10))
        assert joined["type"] == "room.joined", joined
        yield ws


def next_of_type(ws, event_type: str, timeout: float = 10) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        event = json.loads(ws.recv(timeout=max(0.1, deadline - time.monotonic())))
        if event["type"] == event_type:
            return event



def logout(server: Server, cookie: str) -> None:
    """Log out through allauth's real logout form (a POST with its CSRF token)."""
    session = f"{settings.SESSION_COOKIE_NAME}={cookie}"
    status, headers, html = server.request("GET", "/accounts/logout/",
                                           headers={"Cookie": session})
    assert status == 200, html[:500]
    csrf_cookie = _cookies(headers)["csrftoken"]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    status, _, html = server.request(
        "POST", "/accounts/logout/", body=urllib.parse.urlencode({"csrfmiddlewaretoken": token}),
        headers={"Content-Type": "application/x-www-form-urlencoded",
                 "Cookie": f"{session}; csrftoken={csrf_cookie}",
                 "Referer": server.origin + "/"},
    )
    assert status == 302, f"logout failed ({status}): {html[:500]}"
