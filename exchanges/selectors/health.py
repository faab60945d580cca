"""What ``/healthz`` reports: each backing service, checked for real."""

import time
from functools import lru_cache

import redis
from django.conf import settings
from django.db import connection


def _timed(check) -> dict:
    started = time.perf_counter()
    try:
        detail = check()
    except Exception as exc:  # noqa: BLE001 - any failure means the service is down
        return {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:200]}
    return {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 2), **detail}


def _database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"engine": connection.vendor}


@lru_cache(maxsize=4)
def _redis_client(url: str) -> redis.Redis:
    """One client (and connection pool) per process and URL: a probe every few seconds
    must not open a new connection each time."""
    return redis.Redis.from_url(
        url, socket_timeout=2, socket_connect_timeout=2, health_check_interval=30
    )


def _redis() -> dict:
    _redis_client(settings.REDIS_URL).ping()
    return {"url": settings.REDIS_URL.split("@")[-1]}


def _channel_layer() -> dict:
    return {"backend": settings.CHANNEL_LAYERS["default"]["BACKEND"].rsplit(".", 1)[-1]}


def health_report() -> dict:
    database = _timed(_database)
    if settings.REDIS_URL:
        redis_status = _timed(_redis)
    else:
        redis_status = {"ok": True, "configured": False, "note": "embedded default: no Redis"}
    checks = {"database": database, "redis": redis_status, "channel_layer": _timed(_channel_layer)}
    healthy = all(check["ok"] for check in checks.values())
    return {
        "status": "ok" if healthy else "degraded",
        **checks,
        "broker": "redis" if settings.REDIS_URL else "filesystem",
    }
