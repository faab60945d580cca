"""Loading the real twinnings from CSV: validate every row, then write all or nothing."""

from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from exchanges.models import City, Twinning, TwinningStatusChange
from exchanges.pure.status_notes import side_from_note, source_from_note
from exchanges.services.twinning_lifecycle import twinning_status_from_data
from exchanges.services.twinnings_file import (
    COLUMNS,
    CityRow,
    TwinningRow,
    TwinningsFileError,
    parse_partial_date,
    twinnings_parse_csv,
)

__all__ = [
    "COLUMNS", "LoadResult", "TwinningsFileError", "parse_partial_date", "twinnings_load",
    "twinnings_load_csv", "twinnings_parse_csv",
]


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
    """The status history row a load implies (the data file acted), once.

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
                twinning=twinning, to_status=twinning.status,
                origin=TwinningStatusChange.Origin.DATA_FILE,
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
        origin=TwinningStatusChange.Origin.DATA_FILE,
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
    if latest is None or latest.origin == TwinningStatusChange.Origin.DATA_FILE:
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
