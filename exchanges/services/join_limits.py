"""How many wrong tries /join/ accepts, per client address and per class code.

Counted in the shared cache in fixed windows (fixed_window.py). A wrong or expired
code counts against the address; a right code with a wrong name or password counts
against the address and the code, so a class's pupils cannot be guessed one by one
from many addresses either. With 32^8
codes and ten tries per quarter hour per address, guessing a code is useless.
"""

from django.core.cache import cache

from exchanges.services.fixed_window import count_try

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


def join_failure_record(*, ip: str, code: str | None = None) -> None:
    """One wrong try; ``code`` when the code was right but the rest was not."""
    count_try(_ip_key(ip), WINDOW_SECONDS)
    if code:
        count_try(_code_key(code), WINDOW_SECONDS)
