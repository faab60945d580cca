"""Reminders sent by two REAL Celery workers on the real Redis broker and PostgreSQL.

Deliveries are counted across processes by a small SMTP server run by the test: the
workers' settings pick the SMTP backend from ``EMAIL_HOST``, and every reminder e-mail
carries ``X-Jumelage-Reminder: <id>``. In-app notifications are counted in the database.
"""

import datetime as dt
import os
import signal
import socketserver
import subprocess
import tempfile
import threading
import time
import uuid
from collections import Counter
from email import message_from_bytes
from pathlib import Path

import pytest
from django.db.models import Count
from django.utils import timezone

from exchanges.models import Notification, Reminder, Session
from exchanges.tasks import reminders_send_due
from tests.exchanges.scheduling_fixtures import beat_materializes, scheduled_match
from tests.processes import PROCESS_TEST_MARKS, celery_worker_command, service_env

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [*PROCESS_TEST_MARKS, pytest.mark.timeout(240)]


class SMTPRecorder(socketserver.ThreadingTCPServer):
    """A minimal SMTP server that records which reminder each accepted e-mail was for.

    With ``stall_at=n`` it never answers the n-th DATA: the sending worker hangs inside
    its batch transaction until the test kills it.
    """

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, stall_at: int | None = None):
        super().__init__(("127.0.0.1", 0), _SMTPHandler)
        self.delivered: Counter = Counter()
        self.received = 0
        self.stall_at = stall_at
        self.stalled = threading.Event()
        self.release = threading.Event()
        self.lock = threading.Lock()
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def port(self) -> int:
        return self.server_address[1]


class _SMTPHandler(socketserver.StreamRequestHandler):
    def _say(self, text: str) -> None:
        self.wfile.write(text.encode() + b"\r\n")

    def handle(self):
        server: SMTPRecorder = self.server
        self._say("220 recorder ESMTP")
        while line := self.rfile.readline():
            command = line.decode(errors="replace").strip().upper()
            if command.startswith(("EHLO", "HELO")):
                self._say("250-recorder")
                self._say("250 8BITMIME")
            elif command == "DATA":
                self._say("354 go ahead")
                data = b""
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data += chunk
                with server.lock:
                    server.received += 1
                    stall = server.received == server.stall_at
                if stall:
                    server.stalled.set()
                    server.release.wait(60)
                    return  # the client is dead by now: no reply, not delivered
                reminder = message_from_bytes(data).get("X-Jumelage-Reminder")
                with server.lock:
                    server.delivered[int(reminder)] += 1
                self._say("250 queued")
            elif command == "QUIT":
                self._say("221 bye")
                return
            else:  # MAIL, RCPT, RSET, NOOP
                self._say("250 ok")


class Worker:
    def __init__(self, queue: str, smtp_port: int):
        self.env = service_env(
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(smtp_port),
            EMAIL_USE_TLS="0",
            EMAIL_HOST_USER="",
            EMAIL_HOST_PASSWORD="",
        )
        self.queue = queue
        self.log = tempfile.NamedTemporaryFile("w+", prefix="celery-", suffix=".log")  # noqa: SIM115
        self.proc = None

    def start(self) -> "Worker":
        self.proc = subprocess.Popen(
            celery_worker_command("test", queue=self.queue, loglevel="WARNING"),
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        return self

    def kill(self, sig=signal.SIGKILL) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, sig)
            self.proc.wait(20)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read()[-3000:]


def _due_reminders(matches: int) -> list[int]:
    sessions = []
    for _ in range(matches):
        sessions += scheduled_match()[1]
    beat_materializes(sessions)  # the rows, through the real path (48 h ahead)
    # Every reminder due now: its session starts in two hours (a day-before reminder
    # waits for the reader's day before, so the sessions weeks ahead would hold theirs).
    now = timezone.now()
    Session.objects.filter(pk__in=[s.pk for s in sessions]).update(
        starts_at=now + dt.timedelta(hours=2))
    Reminder.objects.update(send_at=now - dt.timedelta(minutes=1))
    return list(Reminder.objects.values_list("id", flat=True))


def _wait_until(condition, timeout: float, workers) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        for worker in workers:
            if worker.proc.poll() is not None and worker.proc.returncode not in (0, -9):
                pytest.fail(f"worker exited: {worker.output()}")
        time.sleep(0.2)
    pytest.fail("timed out; worker logs:\n" + "\n".join(w.output() for w in workers))


def _unsent() -> int:
    return Reminder.objects.filter(sent_at__isnull=True).count()


def _assert_notified_exactly_once(ids: list[int]) -> None:
    assert _unsent() == 0
    expected = Counter(
        dict(Reminder.objects.values_list("participant__user_id").annotate(n=Count("id")))
    )
    got = Counter(
        dict(
            Notification.objects.filter(kind="session.reminder")
            .values_list("user_id")
            .annotate(n=Count("id"))
        )
    )
    assert got == expected and sum(got.values()) == len(ids)


def test_two_workers_racing_send_each_reminder_exactly_once(redis_url, postgres):
    ids = _due_reminders(9)  # 9 matches x 6 sessions x 2 people x 2 kinds = 216
    assert len(ids) == 216
    smtp = SMTPRecorder()
    queue = f"test-reminders-{uuid.uuid4().hex[:8]}"
    workers = [Worker(queue, smtp.port).start() for _ in range(2)]
    try:
        for _ in range(8):  # several claims racing over the same rows
            reminders_send_due.apply_async(kwargs={"batch_size": 5}, queue=queue)
        _wait_until(lambda: _unsent() == 0, 120, workers)
        time.sleep(2)  # let the remaining claims run and find nothing
    finally:
        for worker in workers:
            worker.stop()
        smtp.shutdown()
    _assert_notified_exactly_once(ids)
    assert set(smtp.delivered) == set(ids)
    assert max(smtp.delivered.values()) == 1, "an e-mail went out twice"


def test_worker_killed_mid_batch_then_restarted_still_exactly_once(redis_url, postgres):
    ids = _due_reminders(3)  # 72 reminders
    batch = 4
    smtp = SMTPRecorder(stall_at=10)  # the 10th e-mail: mid-way through the 3rd batch
    queue = f"test-reminders-{uuid.uuid4().hex[:8]}"
    first = Worker(queue, smtp.port).start()
    second = Worker(queue, smtp.port)
    try:
        reminders_send_due.apply_async(kwargs={"batch_size": batch}, queue=queue)
        assert smtp.stalled.wait(90), first.output()
        first.kill()  # SIGKILL inside the batch transaction, after the 9th e-mail
        smtp.release.set()
        # Two committed batches; the killed one rolled back.
        assert Reminder.objects.filter(sent_at__isnull=False).count() == 2 * batch
        in_flight = set(smtp.delivered) - set(
            Reminder.objects.filter(sent_at__isnull=False).values_list("id", flat=True)
        )
        assert len(in_flight) == 1  # e-mailed before the kill, never committed
        second.start()
        reminders_send_due.apply_async(kwargs={"batch_size": batch}, queue=queue)
        _wait_until(lambda: _unsent() == 0, 120, [second])
    finally:
        first.kill()
        second.stop()
        smtp.shutdown()
    _assert_notified_exactly_once(ids)
    assert set(smtp.delivered) == set(ids)
    # E-mail is at-least-once: only the e-mail sent inside the killed, uncommitted batch
    # went out twice (see exchanges.services.reminders).
    twice = {rid for rid, n in smtp.delivered.items() if n > 1}
    assert twice == in_flight
    assert max(smtp.delivered.values()) == 2
