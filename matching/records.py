"""Plain records the engine takes and returns, and their (validating) JSON mapping.

Validation happens here, before any computation, so a malformed instance raises one
InstanceError naming the record and field and nothing half-computed is returned.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field, fields
from typing import Any, NamedTuple

from .errors import InstanceError
from .languages import ISO_639_1, LEVEL_RANK

KINDS = ("tandem", "classroom", "citizen")
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MIN_CAPACITY, MAX_CAPACITY = 1, 3


@dataclass(frozen=True)
class Language:
    code: str  # ISO 639-1
    level: str  # A1 .. C2 or native
    learning: bool = False  # True: a language the participant is learning (level = current)


class Window(NamedTuple):
    """A weekly local wall-clock window within one day: start < end, minutes after 00:00.
    (A NamedTuple: hashing thousands of them to share rasters must be cheap.)"""

    day: str  # mon .. sun
    start: int  # minutes after local midnight
    end: int  # minutes after local midnight, at most 1440


@dataclass(frozen=True)
class Availability:
    tz: str  # IANA zone
    weekly: tuple[Window, ...]


@dataclass(frozen=True)
class Participant:
    id: str
    city: str
    birth_year: int
    languages: tuple[Language, ...]
    availability: Availability
    capacity: int = 1
    via_class: bool = False
    guardian_consent: bool = False
    interests: tuple[str, ...] = ()
    waiting_days: int = 0


@dataclass(frozen=True)
class Period:
    start: dt.date
    weeks: int


@dataclass(frozen=True)
class Instance:
    kind: str
    session_minutes: int
    period: Period
    twinnings: tuple[tuple[str, str], ...]  # active twinnings only, as city-id pairs
    participants: tuple[Participant, ...]
    exclusions: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Pair:
    a: str  # a < b
    b: str
    score: float  # weight / 10000, in [0, 1]
    weight: int  # the integer score the optimiser used
    explanation: dict[str, Any] = field(compare=False)


@dataclass
class SolveStats:
    """What one solve did and how long each step took (wall-clock seconds). Components
    are the connected components of the candidate graph; each is counted once under
    `components` and at most once under the path that solved it."""

    profiles: int = 0  # distinct (zone, weekly windows) availabilities
    candidate_edges: int = 0
    components: int = 0
    double_cover: int = 0  # solved by assignments on the double cover
    flow: int = 0  # solved by the min-cost flow (capacities above 1)
    lp: int = 0  # solved by linear programming, whole (odd cycles of halves)
    blossom: int = 0  # solved by LEMON's blossom algorithm on a priced core (priced_blossom.py)
    repair: int = 0  # solved by the priced LP and fixed branch-and-cut (repair.py)
    milp: int = 0  # LP phases that needed branch-and-cut
    flow_check_failed: int = 0  # flow roundings that failed their check (went to the LP)
    seconds_rasterise: float = 0.0
    seconds_candidates: float = 0.0
    seconds_solve: float = 0.0
    seconds_explain: float = 0.0

    def seconds(self) -> dict[str, float]:
        """The step timings by step name, in pipeline order."""
        return {
            f.name.removeprefix("seconds_"): getattr(self, f.name)
            for f in fields(self)
            if f.name.startswith("seconds_")
        }


@dataclass(frozen=True)
class Result:
    pairs: tuple[Pair, ...]
    unmatched: tuple[str, ...]
    # Places filled: each pair fills one place on each side, so 2 x len(pairs).
    matched_places: int
    total_score: float  # sum of pair weights / 10000
    total_weight: int
    stats: SolveStats = field(default_factory=SolveStats, compare=False)


# --- parsing -------------------------------------------------------------------------


def _need(obj: dict, key: str, kind, record: str, default: Any = ...) -> Any:
    if key not in obj:
        if default is ...:
            raise InstanceError(record, key, "missing")
        return default
    value = obj[key]
    if type(value) is kind:  # the common case; bool is not int here
        return value
    # bool is an int subclass; never accept it where a number is meant, and vice versa.
    ok = isinstance(value, kind) and not (kind is int and isinstance(value, bool))
    if not ok:
        raise InstanceError(record, key, f"expected {kind.__name__}, got {type(value).__name__}")
    return value


_MINUTES: dict[str, int] = {}  # valid "HH:MM" texts already read


def _minutes(text: Any, record: str, fld: str) -> int:
    if type(text) is str:
        got = _MINUTES.get(text)
        if got is not None:
            return got
    if not isinstance(text, str) or len(text) != 5 or text[2] != ":":
        raise InstanceError(record, fld, f"expected HH:MM, got {text!r}", InstanceError.TIME)
    hh, mm = text[:2], text[3:]
    if not (hh.isdigit() and mm.isdigit()):
        raise InstanceError(record, fld, f"expected HH:MM, got {text!r}", InstanceError.TIME)
    h, m = int(hh), int(mm)
    if m > 59 or h > 24 or (h == 24 and m != 0):
        raise InstanceError(record, fld, f"not a time of day: {text!r}", InstanceError.TIME)
    if type(text) is str:
        _MINUTES[text] = h * 60 + m
    return h * 60 + m


_ZONES: set[str] = set()  # zone names already loaded once (ZoneInfo's own cache is small)


def _zone(name: Any, record: str) -> str:
    if type(name) is str and name in _ZONES:
        return name
    if not isinstance(name, str) or not name:
        raise InstanceError(record, "availability.tz", "expected an IANA zone name",
                            InstanceError.ZONE_UNKNOWN)
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise InstanceError(record, "availability.tz", f"unknown IANA zone {name!r}",
                            InstanceError.ZONE_UNKNOWN) from exc
    if type(name) is str:
        _ZONES.add(name)
    return name


# Immutable records are shared between participants with equal values: building them
# once keeps validation fast, and identical availabilities let the engine group people
# by object identity before hashing (see availability.profile_index).
_LANGUAGES: dict[tuple[str, str, bool], Language] = {}
_WINDOWS: dict[tuple[str, int, int], Window] = {}
_AVAILABILITIES: dict[tuple[str, tuple[Window, ...]], Availability] = {}
_DAY_RANK = {d: i for i, d in enumerate(DAYS)}
_INTERN_LIMIT = 1 << 16  # bound the caches on adversarial input (values stay correct)


def _interned(cache: dict, key, make):
    got = cache.get(key)
    if got is None:
        got = make(*key) if isinstance(key, tuple) else make(key)
        if len(cache) < _INTERN_LIMIT:
            cache[key] = got
    return got


def _participant(obj: Any, index: int) -> Participant:
    where = f"participants[{index}]"
    if not isinstance(obj, dict):
        raise InstanceError(where, "-", "expected an object")
    pid = _need(obj, "id", str, where)
    if not pid:
        raise InstanceError(where, "id", "empty id")
    rec = f"participant {pid!r}"
    city = _need(obj, "city", str, rec)
    birth_year = _need(obj, "birth_year", int, rec)
    if not 1900 <= birth_year <= 2100:
        raise InstanceError(rec, "birth_year", f"implausible year {birth_year}",
                            InstanceError.BIRTH_YEAR)
    capacity = _need(obj, "capacity", int, rec, 1)
    if not MIN_CAPACITY <= capacity <= MAX_CAPACITY:
        raise InstanceError(rec, "capacity", f"{capacity} is outside 1-3")
    via_class = _need(obj, "via_class", bool, rec, False)
    consent = _need(obj, "guardian_consent", bool, rec, False)
    waiting = _need(obj, "waiting_days", int, rec, 0)
    if waiting < 0:
        raise InstanceError(rec, "waiting_days", "negative")
    interests = _need(obj, "interests", list, rec, [])
    for item in interests:
        if not isinstance(item, str):
            raise InstanceError(rec, "interests", "expected a list of strings")
    langs = []
    seen = set()
    for i, entry in enumerate(_need(obj, "languages", list, rec)):
        if not isinstance(entry, dict):
            raise InstanceError(rec, f"languages[{i}]", "expected an object")
        code = _need(entry, "code", str, rec)
        if code not in ISO_639_1:
            raise InstanceError(rec, f"languages[{i}].code", f"unknown ISO 639-1 code {code!r}",
                                InstanceError.LANGUAGE_UNKNOWN)
        if code in seen:
            raise InstanceError(rec, f"languages[{i}].code", f"language {code!r} listed twice",
                                InstanceError.LANGUAGE_TWICE)
        seen.add(code)
        level = _need(entry, "level", str, rec)
        if level not in LEVEL_RANK:
            raise InstanceError(rec, f"languages[{i}].level", f"unknown level {level!r}",
                                InstanceError.LEVEL_UNKNOWN)
        learning = _need(entry, "learning", bool, rec, False)
        langs.append(_interned(_LANGUAGES, (code, level, learning), Language))
    avail = _need(obj, "availability", dict, rec)
    tz = _zone(avail.get("tz"), rec)
    windows = []
    for i, win in enumerate(_need(avail, "weekly", list, rec)):
        if not isinstance(win, dict):
            raise InstanceError(rec, f"availability.weekly[{i}]", "expected an object")
        day = win.get("day")
        if day not in DAYS:
            raise InstanceError(rec, f"availability.weekly[{i}].day", f"unknown day {day!r}")
        start = _minutes(win.get("start"), rec, f"availability.weekly[{i}].start")
        end = _minutes(win.get("end"), rec, f"availability.weekly[{i}].end")
        if end <= start:
            raise InstanceError(
                rec,
                f"availability.weekly[{i}]",
                "inverted window (end <= start; windows stay in one day)",
                InstanceError.TIME,
            )
        windows.append(_interned(_WINDOWS, (day, start, end), Window))
    windows.sort(key=_window_key)
    availability = _interned(_AVAILABILITIES, (tz, tuple(windows)), Availability)
    return Participant(
        id=pid,
        city=city,
        birth_year=birth_year,
        languages=tuple(langs),
        availability=availability,
        capacity=capacity,
        via_class=via_class,
        guardian_consent=consent,
        interests=tuple(sorted(set(interests))),
        waiting_days=waiting,
    )


def _window_key(w: Window) -> tuple[int, int, int]:
    return (_DAY_RANK[w.day], w.start, w.end)


def _id_pairs(value: Any, fld: str) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, list):
        raise InstanceError("instance", fld, "expected a list of pairs")
    out = []
    for i, item in enumerate(value):
        ok = (
            isinstance(item, list | tuple)
            and len(item) == 2
            and all(isinstance(x, str) and x for x in item)
        )
        if not ok:
            raise InstanceError(f"{fld}[{i}]", fld, "expected a pair of non-empty strings")
        if item[0] == item[1]:
            raise InstanceError(f"{fld}[{i}]", fld, f"pairs {item[0]!r} with itself")
        out.append((item[0], item[1]))
    return tuple(out)


def instance_from_dict(obj: Any) -> Instance:
    """Validate a JSON-shaped dict and build an Instance (raises InstanceError)."""
    if not isinstance(obj, dict):
        raise InstanceError("instance", "-", "expected a JSON object")
    kind = _need(obj, "kind", str, "instance")
    if kind not in KINDS:
        raise InstanceError("instance", "kind", f"unknown kind {kind!r}")
    minutes = _need(obj, "session_minutes", int, "instance")
    if not 1 <= minutes <= 24 * 60:
        raise InstanceError("instance", "session_minutes", f"{minutes} is out of range")
    period = _need(obj, "period", dict, "instance")
    try:
        start = dt.date.fromisoformat(_need(period, "start", str, "instance.period"))
    except ValueError as exc:
        raise InstanceError("instance.period", "start", "expected YYYY-MM-DD") from exc
    weeks = _need(period, "weeks", int, "instance.period")
    if not 1 <= weeks <= 104:
        raise InstanceError("instance.period", "weeks", f"{weeks} is outside 1-104")
    twinnings = _id_pairs(_need(obj, "twinnings", list, "instance"), "twinnings")
    exclusions = _id_pairs(_need(obj, "exclusions", list, "instance", []), "exclusions")
    raw = _need(obj, "participants", list, "instance")
    participants = tuple(_participant(p, i) for i, p in enumerate(raw))
    seen: set[str] = set()
    for p in participants:
        if p.id in seen:
            raise InstanceError(f"participant {p.id!r}", "id", "duplicate id",
                                InstanceError.DUPLICATE_ID)
        seen.add(p.id)
    return Instance(kind, minutes, Period(start, weeks), twinnings, participants, exclusions)


def result_to_dict(result: Result) -> dict[str, Any]:
    return {
        "pairs": [
            {"a": p.a, "b": p.b, "score": p.score, "explanation": p.explanation}
            for p in result.pairs
        ],
        "unmatched": list(result.unmatched),
        "matched_places": result.matched_places,
        "total_score": result.total_score,
    }
