import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Serve the whole platform: the ASGI web server plus a Celery worker with beat."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-worker", action="store_true", help="web server only")

    def handle(self, *args, host: str, port: int, no_worker: bool, **options):
        if not 1 <= port <= 65535:
            raise CommandError(f"--port {port} is not a TCP port")
        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
        processes = []
        if not no_worker:
            processes.append(subprocess.Popen([
                sys.executable, "-m", "celery", "-A", "config", "worker", "--beat",
                "--loglevel", "INFO", "--pool", "threads", "--concurrency", "2",
                "--schedule", str(settings.VAR_DIR / "celerybeat-schedule"),
            ]))
        # The production server (docker-compose.yml), one process: the embedded default's
        # in-memory channel layer lives in that process.
        processes.append(subprocess.Popen([
            sys.executable, "-m", "uvicorn", "config.asgi:application", "--host", host,
            "--port", str(port), "--no-server-header", "--lifespan", "off",
            # The room refuses frames over 16 KiB; the server drops much larger ones unread.
            "--ws-max-size", "65536",
        ]))
        self.stdout.write(f"Jumelage is serving on http://{host}:{port}/ (Ctrl-C stops it)")

        def stop(*_):
            for process in processes:
                if process.poll() is None:
                    process.send_signal(signal.SIGTERM)

        signal.signal(signal.SIGTERM, stop)
        try:
            while all(process.poll() is None for process in processes):
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            stop()
            for process in processes:
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
        failed = [p.returncode for p in processes if p.returncode not in (0, -signal.SIGTERM, None)]
        if failed:
            raise CommandError(f"a platform process exited with status {failed[0]}")
