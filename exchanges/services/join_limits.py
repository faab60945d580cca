"""How many wrong tries /join/ accepts, per client address and per class code.

Counted in the shared cache (Redis in production, so every web process sees the same
count) in fixed windows. A wrong or expired code counts against the address; a right
code with a wrong name or password counts against the address and the code, so a
class's pupils cannot be guessed one by one from many addresses either. With 32^8
codes and ten tries per quarter hour per address, guessing a code is useless.
"""

from django.core.cache import cache

WINDOW_SECONDS = 15 * 60
MAX_FAILURES_PER_IP = 10
MAX_FAILURES_PER_CODE = 30


def _ip_key(ip: str) -> str:
    return f"join-failures:ip:{ip}"


def _code_key(code: str) -> str:
    return f"join-failures:code:{code}"


def join_blocked(*, ip: str, code: str | None) -> bool:
    if (cache.get(_ip_key(ip)) or 0) >= MAX_FAILURES_PER_IP:
        return True
    return bool(code) and (cache.get(_code_key(code)) or 0) >= MAX_FAILURES_PER_CODE


def _count(key: str) -> None:
    # add() starts the window once; incr() never extends it.
    cache.add(key, 0, timeout=WINDOW_SECONDS)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr: start a new window
        cache.set(key, 1, timeout=WINDOW_SECONDS)


def join_failure_record(*, ip: str, code: str | None = None) -> None:
    """One wrong try; ``code`` when the code was right but the rest was not."""
    _count(_ip_key(ip))
    if code:
        _count(_code_key(code))
