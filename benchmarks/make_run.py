"""Benchmark: a newcomer's `make run`, from a fresh clone to a page served.

    python -m benchmarks.make_run                       # HEAD against the named baseline
    python -m benchmarks.make_run --baseline 1df6261    # another baseline commit

For each of HEAD and the baseline commit: clone this repository into a scratch folder,
check that commit out, and run `make run PORT=<free port>` with nothing installed and
cold installer caches (a fresh `UV_CACHE_DIR`, `PIP_NO_CACHE_DIR=1`), the environment a
newcomer has (no DATABASE_URL / REDIS_URL: SQLite and in-process layers). It records

* ``serving_seconds``: from `make run` starting to the home page answering 200;
* ``demo_seconds``: to the demo logins printed (the demo is seeded in full);
* ``install_seconds``: to the first line `make` prints after installing (migrate).

then stops the platform. Both runs share the machine's network and disk, one after the
other; `uptime`'s load averages before and after are in the JSON. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_BASELINE = "1df6261"  # before uv and the background demo: pip installs [dev]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _load() -> list[float]:
    return [round(value, 2) for value in os.getloadavg()]


def _answers(port: int) -> bool:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        connection.request("GET", "/")
        return connection.getresponse().status == 200
    except OSError:
        return False
    finally:
        connection.close()


def measure(commit: str, timeout: float) -> dict:
    with tempfile.TemporaryDirectory(prefix="jumelage-make-run-") as scratch:
        checkout = Path(scratch) / "jumelage"
        subprocess.run(["git", "clone", "-q", str(ROOT), str(checkout)], check=True)
        subprocess.run(["git", "-C", str(checkout), "checkout", "-q", commit], check=True)
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("DATABASE_", "REDIS_", "VIRTUAL_ENV", "DJANGO_"))}
        env.update(UV_CACHE_DIR=str(Path(scratch) / "uv-cache"), PIP_NO_CACHE_DIR="1")
        port = _free_port()
        marks: dict[str, float] = {}
        started = time.monotonic()
        make = subprocess.Popen(
            ["make", "run", f"PORT={port}"], cwd=checkout, env=env, text=True,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
        )
        lines: list[str] = []

        def read() -> None:
            for line in make.stdout:
                lines.append(line)
                if "manage.py migrate" in line:
                    marks.setdefault("install_seconds", time.monotonic() - started)
                if "alice@demo.test" in line:
                    marks.setdefault("demo_seconds", time.monotonic() - started)

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        try:
            deadline = started + timeout
            while time.monotonic() < deadline and make.poll() is None:
                if "serving_seconds" not in marks and _answers(port):
                    marks["serving_seconds"] = time.monotonic() - started
                if "serving_seconds" in marks and "demo_seconds" in marks:
                    break
                time.sleep(0.25)
        finally:
            if make.poll() is None:
                os.killpg(make.pid, signal.SIGTERM)
            try:
                make.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(make.pid, signal.SIGKILL)
        result = {key: round(value, 1) for key, value in marks.items()}
        result["commit"] = subprocess.run(
            ["git", "-C", str(checkout), "rev-parse", "--short", "HEAD"],
            capture_output=True, text=True, check=True,
        ).stdout.strip()
        if "serving_seconds" not in marks:
            result["error"] = "never served; last lines: " + "".join(lines[-5:]).strip()
        return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default=DEFAULT_BASELINE, metavar="COMMIT")
    parser.add_argument("--timeout", type=float, default=600, metavar="SECONDS")
    parser.add_argument("--skip-baseline", action="store_true")
    args = parser.parse_args(argv)
    load_before = _load()
    report = {"head": measure("HEAD", args.timeout)}
    if not args.skip_baseline:
        report["baseline"] = measure(args.baseline, args.timeout)
    report["load_before"] = load_before
    report["load_after"] = _load()
    report["cores"] = os.cpu_count()
    print(json.dumps(report, indent=2))
    return 0 if "error" not in report["head"] else 1


if __name__ == "__main__":
    sys.exit(main())
