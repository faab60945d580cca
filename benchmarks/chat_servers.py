"""The chat load's servers: uvicorn processes started as production runs them, or found
by their listening port."""

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_listening(port: int, proc: subprocess.Popen | None, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server on port {port} exited with {proc.returncode}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
            return
        time.sleep(0.3)
    raise RuntimeError(f"no server listening on port {port} after {timeout} s")


def spawn_servers(count: int) -> tuple[list[str], list[subprocess.Popen]]:
    """``count`` uvicorn processes as production runs them, on free loopback ports."""
    urls, procs = [], []
    for _ in range(count):
        port = free_port()
        procs.append(subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "config.asgi:application", "--no-server-header",
             "--ws-max-size", "65536", "--ws-per-message-deflate", "false", "--lifespan", "off",
             "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
            cwd=ROOT, env=os.environ.copy()))
        urls.append(f"ws://127.0.0.1:{port}")
    for url, proc in zip(urls, procs, strict=True):
        wait_listening(urllib.parse.urlsplit(url).port, proc)
    return urls, procs


def listening_pid(port: int) -> int | None:
    """The pid of the process listening on 127.0.0.1:port (our own user's processes)."""
    import psutil

    for conn in psutil.net_connections(kind="tcp"):
        if conn.status == psutil.CONN_LISTEN and conn.laddr and conn.laddr.port == port:
            return conn.pid
    return None


def stop_servers(procs: list[subprocess.Popen]) -> None:
    for proc in procs:
        proc.terminate()
    for proc in procs:
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
