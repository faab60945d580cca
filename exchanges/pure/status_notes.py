"""What a data file's free-text note says about a status change: its source link and
which city acted ("ended by Osaka …"), so a loaded change reads like a recorded one."""

import re

_URL = re.compile(r"https?://[^\s\"'<>)]+")


def source_from_note(note: str) -> str:
    """The first http(s) link in ``note``, without trailing punctuation, or ''."""
    found = _URL.search(note or "")
    return found.group(0).rstrip(".,;") if found else ""


def side_from_note(note: str, city_a: str, city_b: str) -> str:
    """``city_a``/``city_b`` when the note says the change was made "by" exactly one of
    the two cities, ``both`` when by both, else ``unknown``."""
    text = (note or "").casefold()
    by_a = re.search(rf"\bby {re.escape(city_a.casefold())}\b", text) is not None
    by_b = re.search(rf"\bby {re.escape(city_b.casefold())}\b", text) is not None
    if by_a and by_b:
        return "both"
    if by_a:
        return "city_a"
    if by_b:
        return "city_b"
    return "unknown"
