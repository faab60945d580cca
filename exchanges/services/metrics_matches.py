"""The match roll-up (``MatchDay``): database triggers keep it on every write to the match
table (migrations 0014-0015, statement-level on PostgreSQL); the nightly full refresh
rebuilds it from the matches with the ORM, which also puts it right after writes made
with the triggers off (the benchmark's seeding copies rows with them off). Rows with the
status ``KEPT`` count matches deleted with a person's data (services/metrics_kept.py):
no trigger writes them and no rebuild removes them."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db import connection, transaction
from django.db.models import Count, F, Q
from django.db.models.functions import TruncDate

from exchanges.models import Match, MatchDay

Kind = MatchDay.Kind
KEPT = "kept"  # the status of the kept rows (the triggers write "" for these kinds)
ACTIVATED = Q(activated_at__isnull=False)
# (kind, which matches, the day they count on)
COUNTED = (
    (Kind.ANSWERED, ACTIVATED | Q(status=Match.Status.DECLINED), "created_at"),
    (Kind.ACCEPTED, ACTIVATED, "created_at"),
    (Kind.ACTIVATED, ACTIVATED, "activated_at"),
)


def match_day_counts(matches=None) -> Counter:
    """The roll-up's rows as ``{(program, twinning, kind, status, day, activated day): n}``,
    counted from the matches (or from these)."""
    matches = Match.objects.all() if matches is None else matches
    counts: Counter = Counter()
    never = MatchDay.NEVER
    for kind, which, column in COUNTED:
        rows = (
            matches.filter(which)
            .annotate(d=TruncDate(column, tzinfo=dt.UTC))
            .values_list("program_id", "twinning_id", "d")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for program_id, twinning_id, day, n in rows:
            counts[(program_id, twinning_id, kind.value, "", day, never)] += n
    ended = (
        matches.filter(ACTIVATED, ended_at__isnull=False)
        .annotate(d=TruncDate("ended_at", tzinfo=dt.UTC),
                  a=TruncDate("activated_at", tzinfo=dt.UTC))
        .values_list("program_id", "twinning_id", "d", "a")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for program_id, twinning_id, day, activated_day, n in ended:
        counts[(program_id, twinning_id, Kind.ENDED.value, "", day, activated_day)] += n
    statuses = (
        matches.values_list("program_id", "twinning_id", F("status"))
        .annotate(n=Count("pk"))
        .order_by()
    )
    for program_id, twinning_id, status, n in statuses:
        counts[(program_id, twinning_id, Kind.STATUS.value, status, never, never)] += n
    return counts


def match_days_refresh() -> int:
    """Rebuild the roll-up from the matches; writes to matches wait until it is done (on
    PostgreSQL the match table is locked against writes, SQLite locks the database)."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("LOCK TABLE exchanges_match IN SHARE MODE")
        counts = match_day_counts()
        MatchDay.objects.exclude(status=KEPT).delete()
        MatchDay.objects.bulk_create(
            [
                MatchDay(program_id=p, twinning_id=t, kind=k, status=s, day=d,
                         activated_day=a, count=n)
                for (p, t, k, s, d, a), n in counts.items()
            ],
            batch_size=2000,
        )
    return len(counts)


def match_days_kept() -> Counter:
    """The roll-up's non-zero rows, keyed as ``match_day_counts`` (for checks)."""
    return Counter({
        (r.program_id, r.twinning_id, r.kind, r.status, r.day, r.activated_day): r.count
        for r in MatchDay.objects.exclude(count=0).exclude(status=KEPT)
    })


def match_days_keep(*, matches, today: dt.date) -> int:
    """Keep these matches' counts, before they are deleted with a person's data, as
    ``KEPT`` rows (by day proposed, activated, ended; not by status, which is now). One
    still live counts as ended today: it ends with the account. Returns the rows written."""
    counts = match_day_counts(matches)
    for program_id, twinning_id, activated_at in matches.filter(
        ACTIVATED, ended_at__isnull=True
    ).values_list("program_id", "twinning_id", "activated_at"):
        key = (program_id, twinning_id, Kind.ENDED.value, "", today,
               activated_at.astimezone(dt.UTC).date())
        counts[key] += 1
    written = 0
    for (program_id, twinning_id, kind, _status, day, activated_day), n in counts.items():
        if kind == Kind.STATUS:
            continue
        key = {"program_id": program_id, "twinning_id": twinning_id, "kind": kind,
               "status": KEPT, "day": day, "activated_day": activated_day}
        if not MatchDay.objects.filter(**key).update(count=F("count") + n):
            MatchDay.objects.create(**key, count=n)
        written += 1
    return written
