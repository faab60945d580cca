"""Counting tries in the shared cache (Redis in production, so every web process sees the
same count) in fixed windows: the window starts with the first try and never extends."""

from django.core.cache import cache


def count_try(key: str, seconds: int) -> None:
    """One more try under ``key``, in the window it started (or a new one)."""
    # add() starts the window once; incr() never extends it.
    cache.add(key, 0, timeout=seconds)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr: start a new window
        cache.set(key, 1, timeout=seconds)
