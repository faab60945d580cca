"""Reading data/twinnings.csv: every row parsed and validated, nothing written (the
loader in exchanges/services/twinnings.py writes all of it or nothing)."""

import csv
import datetime
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo, available_timezones

from django.utils import timezone

from exchanges.models import City, Twinning
from exchanges.models.places import DatePrecision
from exchanges.pure.languages import is_country_code, is_language_code
from exchanges.pure.text_safety import BIDI_CONTROLS

COLUMNS = [
    "city_a", "country_a", "tz_a", "languages_a",
    "city_b", "country_b", "tz_b", "languages_b",
    "since", "status", "status_changed", "kind", "note",
]
_PARTIAL_DATE = re.compile(
    r"^(?P<year>\d{1,4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?$", re.ASCII
)
# What the database columns hold; a longer value would fail half-way through the write.
_MAX_LENGTHS = {
    "city_a": City._meta.get_field("name").max_length,
    "city_b": City._meta.get_field("name").max_length,
    "kind": Twinning._meta.get_field("kind").max_length,
}
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
    # The lifecycle refuses a change dated in the future (today in either city is not);
    # so does the file.
    now = timezone.now()
    today = max(timezone.localdate(now, ZoneInfo(city.tz)) for city in (city_a, city_b))
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

