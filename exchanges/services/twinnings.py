"""Loading the real twinnings from CSV: validate every row, then write all or nothing."""

import csv
import datetime
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import available_timezones

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from exchanges.models import City, Twinning, TwinningStatusChange
from exchanges.models.places import DatePrecision
from exchanges.pure.languages import is_country_code, is_language_code
from exchanges.pure.status_notes import side_from_note, source_from_note
from exchanges.pure.text_safety import BIDI_CONTROLS
from exchanges.services.twinning_lifecycle import twinning_status_from_data

COLUMNS = [
    "city_a", "country_a", "tz_a", "languages_a",
    "city_b", "country_b", "tz_b", "languages_b",
    "since", "status", "status_changed", "kind", "note",
]
_PARTIAL_DATE = re.compile(
    r"^(?P<year>\d{1,4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?$", re.ASCII
)
# What the database columns hold; a longer value would fail half-way through the write.
_MAX_LENGTHS = {"city_a": 120, "city_b": 120, "kind": 40}
_REGION_KINDS = ("province", "region", "state", "prefecture", "county")


class TwinningsFileError(ValueError):
    """The file cannot be loaded; ``line`` is the 1-based line number in the file."""

    def __init__(self, path: Path, line: int | None, reason: str):
        self.path, self.line, self.reason = path, line, reason
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {reason}")


@dataclass(frozen=True)
class CityRow:
    name: str
    country: str
    tz: str
    languages: tuple[str, ...]
    kind: str


@dataclass(frozen=True)
class TwinningRow:
    line: int
    city_a: CityRow
    city_b: CityRow
    since: datetime.date | None
    since_precision: str
    status: str
    status_changed: datetime.date | None
    status_changed_precision: str
    kind: str
    note: str


@dataclass
class LoadResult:
    cities_created: int = 0
    cities_updated: int = 0
    twinnings_created: int = 0
    twinnings_updated: int = 0
    unchanged: int = 0
    # Rows whose status is older than a change a person made on the platform since.
    kept: int = 0
    changes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(
            self.cities_created + self.cities_updated + self.twinnings_created
            + self.twinnings_updated
        )


def parse_partial_date(raw: str) -> tuple[datetime.date | None, str]:
    """``1931`` → 1 Jan 1931 (year); ``2020-01`` → 1 Jan 2020 (month); full dates as is."""
    raw = raw.strip()
    if not raw:
        return None, DatePrecision.DAY
    match = _PARTIAL_DATE.match(raw)
    if not match:
        raise ValueError(f"date {raw!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    year = int(match["year"])
    month = int(match["month"] or 1)
    day = int(match["day"] or 1)
    try:
        value = datetime.date(year, month, day)
    except ValueError as exc:
        raise ValueError(f"date {raw!r} does not exist ({exc})") from None
    precision = (
        DatePrecision.DAY if match["day"] else
        DatePrecision.MONTH if match["month"] else DatePrecision.YEAR
    )
    return value, precision


def _city(row: dict, side: str, kind: str, zones: set[str]) -> CityRow:
    name = row[f"city_{side}"].strip()
    country = row[f"country_{side}"].strip().upper()
    tz = row[f"tz_{side}"].strip()
    languages = tuple(code.strip().lower() for code in row[f"languages_{side}"].split(";"))
    if not name:
        raise ValueError(f"city_{side} is empty")
    if not is_country_code(country):
        raise ValueError(f"country_{side} {country!r} is not an ISO 3166-1 alpha-2 code")
    if tz not in zones:
        raise ValueError(f"tz_{side} {tz!r} is not an IANA time zone")
    for code in languages:
        if not is_language_code(code):
            raise ValueError(f"languages_{side} has {code!r}, not an ISO 639-1 code")
    city_kind = City.Kind.REGION if any(k in kind for k in _REGION_KINDS) else City.Kind.CITY
    return CityRow(name=name, country=country, tz=tz, languages=languages, kind=city_kind)


def _check_text(row: dict) -> None:
    """Line breaks, NUL and direction overrides have no place in one published line (a
    line break in a field is also what a stray quote leaves)."""
    for column in COLUMNS:
        value = row[column]
        if any(unicodedata.category(ch) == "Cc" or ch in BIDI_CONTROLS for ch in value):
            raise ValueError(f"{column} has a control character (line break, NUL or "
                             "direction override)")
        limit = _MAX_LENGTHS.get(column)
        if limit and len(value.strip()) > limit:
            raise ValueError(f"{column} is longer than {limit} characters")


def _parse_row(line: int, row: dict, zones: set[str]) -> TwinningRow:
    if None in row or any(value is None for value in row.values()):
        raise ValueError(f"expected {len(COLUMNS)} columns")
    _check_text(row)
    kind = row["kind"].strip().lower() or "twin town"
    city_a, city_b = _city(row, "a", kind, zones), _city(row, "b", kind, zones)
    if (city_a.name, city_a.country) == (city_b.name, city_b.country):
        raise ValueError("a city cannot be twinned with itself")
    status = row["status"].strip().lower()
    if status not in Twinning.Status.values:
        raise ValueError(f"status {status!r} is not one of {', '.join(Twinning.Status.values)}")
    since, since_precision = parse_partial_date(row["since"])
    changed, changed_precision = parse_partial_date(row["status_changed"])
    if status != Twinning.Status.ACTIVE and changed is None:
        raise ValueError(f"a {status} twinning needs status_changed")
    if since and changed and changed < since:
        raise ValueError("status_changed is before since")
    # The lifecycle refuses a change dated in the future; so does the file.
    today = timezone.localdate()
    for column, value in (("since", since), ("status_changed", changed)):
        if value and value > today:
            raise ValueError(f"{column} {value.isoformat()} is in the future")
    return TwinningRow(
        line=line, city_a=city_a, city_b=city_b, since=since, since_precision=since_precision,
        status=status, status_changed=changed, status_changed_precision=changed_precision,
        kind=kind, note=row["note"].strip(),
    )


def _read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise TwinningsFileError(path, None, f"cannot read the file ({exc.strerror})") from exc
    try:
        # utf-8-sig: a spreadsheet's byte order mark is not part of the first column's name.
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise TwinningsFileError(
            path, line, f"byte {data[exc.start]:#04x} is not UTF-8; save the file as UTF-8"
        ) from None


def twinnings_parse_csv(*, path: Path) -> list[TwinningRow]:
    """Parse and validate every row; the first bad row raises with its line number."""
    text = _read_text(path)
    if not text.strip():
        raise TwinningsFileError(path, 1, "the file is empty")
    # strict: a quote left open is an error, not a field that swallows the rows after it.
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    try:
        fieldnames = reader.fieldnames
    except csv.Error as exc:
        raise TwinningsFileError(path, 1, f"not a readable CSV ({exc})") from None
    if fieldnames != COLUMNS:
        raise TwinningsFileError(path, 1, f"header must be: {','.join(COLUMNS)}")
    zones = available_timezones()
    rows: list[TwinningRow] = []
    cities: dict[tuple[str, str], CityRow] = {}
    pairs: dict[frozenset, int] = {}
    # (casefolded name, country) -> the spelling first seen and its line.
    spellings: dict[tuple[str, str], tuple[str, int]] = {}
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise TwinningsFileError(path, start, f"not a readable CSV ({exc})") from None
        line = reader.line_num
        try:
            parsed = _parse_row(line, row, zones)
        except ValueError as exc:
            raise TwinningsFileError(path, line, str(exc)) from None
        for city in (parsed.city_a, parsed.city_b):
            key = (city.name, city.country)
            known = cities.setdefault(key, city)
            if known.tz != city.tz:
                raise TwinningsFileError(
                    path, line,
                    f"{city.name} ({city.country}) has time zone {city.tz} here "
                    f"but {known.tz} earlier",
                )
            spelled, first = spellings.setdefault(
                (city.name.casefold(), city.country), (city.name, line)
            )
            if spelled != city.name:
                raise TwinningsFileError(
                    path, line,
                    f"{city.name} ({city.country}) differs only in case from "
                    f"{spelled} ({city.country}) on line {first}",
                )
        pair = frozenset(
            [(parsed.city_a.name, parsed.city_a.country),
             (parsed.city_b.name, parsed.city_b.country)]
        )
        if pair in pairs:
            raise TwinningsFileError(
                path, line, f"the same twinning is already on line {pairs[pair]}"
            )
        pairs[pair] = line
        rows.append(parsed)
    if not rows:
        raise TwinningsFileError(path, 2, "no twinnings after the header")
    return rows


def _city_upsert(row: CityRow, result: LoadResult, cache: dict, line: int) -> City:
    key = (row.name, row.country)
    if key in cache:
        return cache[key]
    city = City.objects.filter(name=row.name, country=row.country).first()
    if city is None:
        other = City.objects.filter(name__iexact=row.name, country=row.country).first()
        if other is not None:
            # A second city that only differs in case would split the twinning's people.
            raise TwinningDataError(
                line, f"{row.name} ({row.country}) differs only in case from "
                f"{other.name} ({other.country}) on the platform",
            )
        city = City.objects.create(
            name=row.name, country=row.country, tz=row.tz, kind=row.kind,
            languages=list(row.languages),
        )
        result.cities_created += 1
        result.changes.append(f"new city {city}")
    else:
        # A city listed in several rows keeps the union of its languages, in order.
        languages = list(dict.fromkeys([*city.languages, *row.languages]))
        region = City.Kind.REGION if City.Kind.REGION in (city.kind, row.kind) else row.kind
        if (city.tz, city.languages, city.kind) != (row.tz, languages, region):
            city.tz, city.languages, city.kind = row.tz, languages, region
            city.save(update_fields=["tz", "languages", "kind"])
            result.cities_updated += 1
            result.changes.append(f"updated city {city}")
    cache[key] = city
    return city


def _history_record(twinning: Twinning, previous: str) -> None:
    """The status history row a load implies (no actor: the data file acted), once.

    A twinning created suspended or terminated was active until ``status_changed``. When
    the status stays but the file corrects its date or note, the data file's own row for
    that status is corrected instead of a second one being added.
    """
    if twinning.status == previous == Twinning.Status.ACTIVE or twinning.status_changed is None:
        return
    facts = {
        "effective": twinning.status_changed,
        "effective_precision": twinning.status_changed_precision,
        "side": side_from_note(twinning.note, twinning.city_a.name, twinning.city_b.name),
        "reason": twinning.note,
        "source": source_from_note(twinning.note)[:500],
    }
    if previous == twinning.status:
        loaded = (
            TwinningStatusChange.objects.filter(
                twinning=twinning, to_status=twinning.status, actor__isnull=True
            )
            .order_by("-effective", "-id")
            .first()
        )
        if loaded is not None:
            for name, value in facts.items():
                setattr(loaded, name, value)
            loaded.save(update_fields=list(facts))
            return
        if twinning.status_changes.filter(to_status=twinning.status).exists():
            return  # a person recorded it on the platform; the file does not overrule them
    TwinningStatusChange.objects.create(
        twinning=twinning,
        from_status=previous if previous != twinning.status else Twinning.Status.ACTIVE,
        to_status=twinning.status,
        **facts,
    )


@transaction.atomic
def twinnings_load(*, rows: list[TwinningRow]) -> LoadResult:
    """Create or update the cities and twinnings of already-validated rows."""
    result = LoadResult()
    cities: dict = {}
    for row in rows:
        city_a = _city_upsert(row.city_a, result, cities, row.line)
        city_b = _city_upsert(row.city_b, result, cities, row.line)
        values = {
            "since": row.since, "since_precision": row.since_precision,
            "status": row.status, "status_changed": row.status_changed,
            "status_changed_precision": row.status_changed_precision,
            "kind": row.kind, "note": row.note,
        }
        twinning = (
            Twinning.objects.filter(city_a=city_a, city_b=city_b).first()
            or Twinning.objects.filter(city_a=city_b, city_b=city_a).first()
        )
        if twinning is None:
            if row.status == Twinning.Status.ACTIVE and row.status_changed:
                raise TwinningDataError(row.line, _DATED_ACTIVE)
            twinning = Twinning.objects.create(city_a=city_a, city_b=city_b, **values)
            _history_record(twinning, Twinning.Status.ACTIVE)
            result.twinnings_created += 1
            continue
        stale = {name: value for name, value in values.items()
                 if getattr(twinning, name) != value}
        if row.status == twinning.status == Twinning.Status.ACTIVE and row.status_changed is None:
            # An undated active row says nothing about when: a reactivation's date stays.
            for name in ("status_changed", "status_changed_precision"):
                stale.pop(name, None)
        if not stale:
            result.unchanged += 1
            continue
        previous = twinning.status
        if newer := _platform_change_since(twinning, row):
            # Each deploy loads the shipped file again: it must not undo an officer, nor
            # rewrite the file's old history row with the officer's date.
            if set(stale) & set(STATUS_FIELDS):
                result.kept += 1
                result.changes.append(
                    f"kept {twinning} {previous} as changed on the platform on "
                    f"{newer.effective}"
                )
            stale = {n: v for n, v in stale.items() if n not in STATUS_FIELDS}
            if stale:
                for name, value in stale.items():
                    setattr(twinning, name, value)
                twinning.save(update_fields=list(stale))
                result.twinnings_updated += 1
            continue
        if row.status != previous:
            # The rest first (the note says who acted and where it is documented), then
            # the status through the lifecycle, as an officer's action.
            _status_change(twinning, row, {
                name: value for name, value in stale.items() if name not in STATUS_FIELDS
            })
        else:
            if row.status == Twinning.Status.ACTIVE and "status_changed" in stale:
                raise TwinningDataError(row.line, f"{twinning}: {_DATED_ACTIVE}")
            for name, value in stale.items():
                setattr(twinning, name, value)
            twinning.save(update_fields=list(stale))
            _history_record(twinning, previous)
        result.twinnings_updated += 1
        result.changes.append(f"updated {twinning}: {', '.join(sorted(stale))}")
    return result


STATUS_FIELDS = ("status", "status_changed", "status_changed_precision")
# An active twinning's status_changed is its reactivation, which the history must hold.
_DATED_ACTIVE = (
    "an active twinning takes status_changed only when this load reactivates it; "
    "leave it empty"
)


def _platform_change_since(twinning: Twinning, row: TwinningRow) -> TwinningStatusChange | None:
    """The latest status change, if a person made it on the platform and the file's own
    date is not later: the file is then behind the platform, not news."""
    latest = twinning.status_changes.order_by("-effective", "-id").first()
    if latest is None or latest.actor_id is None:
        return None
    if row.status_changed is not None and row.status_changed > latest.effective:
        return None
    return latest


def _status_change(twinning: Twinning, row: TwinningRow, other: dict) -> None:
    """A new status for an existing twinning goes through the lifecycle service: matching
    stops for it, proposals are withdrawn, rooms close, future sessions are cancelled and
    the partners notified, with an audit event whose actor is "data load"."""
    for name, value in other.items():
        setattr(twinning, name, value)
    if other:
        twinning.save(update_fields=list(other))
    try:
        twinning_status_from_data(
            twinning=twinning,
            to_status=row.status,
            effective=row.status_changed or timezone.localdate(),
            precision=row.status_changed_precision if row.status_changed else "day",
            note=row.note,
            side=side_from_note(row.note, twinning.city_a.name, twinning.city_b.name),
            source=source_from_note(row.note)[:500],
        )
    except ValidationError as exc:
        raise TwinningDataError(row.line, f"{twinning}: {'; '.join(exc.messages)}") from exc


class TwinningDataError(ValueError):
    """A valid row the platform cannot apply (a status change the lifecycle refuses)."""

    def __init__(self, line: int, reason: str):
        self.line, self.reason = line, reason
        super().__init__(reason)


def twinnings_load_csv(*, path: Path) -> LoadResult:
    """Validate the whole file first: on any bad row nothing from it is loaded."""
    rows = twinnings_parse_csv(path=path)
    try:
        return twinnings_load(rows=rows)
    except TwinningDataError as exc:
        raise TwinningsFileError(path, exc.line, exc.reason) from exc
