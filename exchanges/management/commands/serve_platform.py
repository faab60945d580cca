import ipaddress
import signal
import socket
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from config.env import environ_with

SERVER_START_SECONDS = 60


class Command(BaseCommand):
    help = "Serve the whole platform: the ASGI web server plus a Celery worker with beat."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-worker", action="store_true", help="web server only")
        parser.add_argument(
            "--demo", type=int, default=0, metavar="N",
            help="once the server answers, seed N demo participants and the demo logins "
                 "(nothing when participants exist)",
        )

    def handle(self, *args, host: str, port: int, no_worker: bool, demo: int, **options):
        if not 1 <= port <= 65535:
            raise CommandError(f"--port {port} is not a TCP port")
        if demo < 0:
            raise CommandError("--demo must be zero or more")
        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
        env = _env_for(host, port)
        processes = []
        if not no_worker:
            processes.append(subprocess.Popen([
                sys.executable, "-m", "celery", "-A", "config", "worker", "--beat",
                "--loglevel", "INFO", "--pool", "threads", "--concurrency", "2",
                "--schedule", str(settings.VAR_DIR / "celerybeat-schedule"),
            ], env=env))
        # The production server (docker-compose.yml), one process: the embedded default's
        # in-memory channel layer lives in that process.
        processes.append(subprocess.Popen([
            sys.executable, "-m", "uvicorn", "config.asgi:application", "--host", host,
            "--port", str(port), "--no-server-header", "--lifespan", "off",
            # The room refuses frames over 16 KiB; the server drops much larger ones unread.
            # No permessage-deflate, as in production: chat frames are small JSON.
            "--ws-max-size", "65536", "--ws-per-message-deflate", "false",
        ], env=env))
        self.stdout.write(f"Jumelage is serving on http://{host}:{port}/ (Ctrl-C stops it)")

        def stop(*_):
            for process in processes:
                if process.poll() is None:
                    process.send_signal(signal.SIGTERM)

        signal.signal(signal.SIGTERM, stop)
        seeding = None
        try:
            if demo and _answers(host, port, processes):
                # A newcomer's first page does not wait for the demo: the server answers
                # while the demo is written (SQLite in WAL mode lets pages read meanwhile).
                self.stdout.write(f"Seeding the demo ({demo} participants) in the background…")
                seeding = subprocess.Popen([
                    sys.executable, "manage.py", "seed_demo", "--if-empty", "--seed", "1",
                    "--participants", str(demo), "--demo-logins",
                ], cwd=settings.BASE_DIR, env=env)
            while all(process.poll() is None for process in processes):
                if seeding is not None and seeding.poll() is not None:
                    if seeding.returncode:
                        self.stderr.write("The demo could not be seeded; the platform serves on.")
                    seeding = None
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            if seeding is not None and seeding.poll() is None:
                processes.append(seeding)
            stop()
            for process in processes:
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
        failed = [p.returncode for p in processes if p.returncode not in (0, -signal.SIGTERM, None)]
        if failed:
            raise CommandError(f"a platform process exited with status {failed[0]}")


def _env_for(host: str, port: int) -> dict[str, str] | None:
    """The processes' environment: links in e-mails go to this server unless
    JUMELAGE_SITE_URL says where the platform is served (None: inherit as it is)."""
    if settings.JUMELAGE_SITE_URL_GIVEN:
        return None
    shown = host
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        pass  # a host name
    else:
        if address.is_unspecified:  # every interface: a browser here uses loopback
            shown = "127.0.0.1"
        elif address.version == 6:
            shown = f"[{host}]"
    return environ_with(JUMELAGE_SITE_URL=f"http://{shown}:{port}")


def _answers(host: str, port: int, processes: list[subprocess.Popen]) -> bool:
    """Wait until the server accepts connections; False if a process died first."""
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if any(process.poll() is not None for process in processes):
            return False
        with socket.socket() as sock:
            sock.settimeout(0.5)
            if sock.connect_ex((host, port)) == 0:
                return True
        time.sleep(0.2)
    return False
