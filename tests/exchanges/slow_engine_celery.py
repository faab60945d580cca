"""The project's Celery app with a matching engine that first burns CPU for
``SLOW_SOLVE_SECONDS``, so that a test can kill a real worker in the middle of a run.

The burn is pure-Python work holding the GIL, as the engine's own loops do: the run's
heartbeat thread has to keep the lease fresh beside it. Start a worker with
``celery_worker_command(..., app="tests.exchanges.slow_engine_celery")``.
"""

import os
import time

import matching
from config.celery import app

__all__ = ["app"]

_solve = matching.solve


def _slow_solve(instance, *args, **kwargs):
    until = time.monotonic() + float(os.environ.get("SLOW_SOLVE_SECONDS", "0"))
    while time.monotonic() < until:
        sum(i * i for i in range(10_000))
    return _solve(instance, *args, **kwargs)


matching.solve = _slow_solve
