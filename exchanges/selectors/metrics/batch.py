"""Several grouped reads in one round trip: the dashboard's figures come from a handful of
small aggregate queries over the roll-ups, and on PostgreSQL they are sent together (the
reads' statements one after the other in one execute, each giving its own result set), so
a page keeps its query budget however many figures it shows. Elsewhere (SQLite) each read
runs on its own.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Hashable
from decimal import Decimal

from django.db import connection
from django.db.models import QuerySet

# Columns that hold a day or a truncated week (a date, or a midnight from date_trunc).
DATE_COLUMNS = frozenset({"day", "week"})


def _typed(names: tuple[str, ...], rows: list[tuple]) -> list[dict]:
    """The read's rows as dicts, as its queryset would give them: day/week columns as
    dates (each distinct value converted once) and sums PostgreSQL gives as numeric
    (a bigint column's) as int. Which columns need it is looked up on the first row."""
    if not rows:
        return []
    first = rows[0]
    fix = {}
    for index, name in enumerate(names):
        if name in DATE_COLUMNS:
            fix[index] = _as_date
        elif isinstance(first[index], Decimal):
            fix[index] = _as_number
    if not fix:
        return [dict(zip(names, row, strict=True)) for row in rows]
    done: dict = {}
    out = []
    for row in rows:
        values = list(row)
        for index, convert in fix.items():
            value = values[index]
            if value is not None:
                key = (index, value)
                converted = done.get(key)
                if converted is None:
                    converted = done[key] = convert(value)
                values[index] = converted
        out.append(dict(zip(names, values, strict=True)))
    return out


def _as_date(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _as_number(value) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def run_batch(reads: dict[str, QuerySet]) -> dict[str, list[dict]]:
    """``{name: rows as dicts}`` for ``{name: a .values() queryset}``."""
    if connection.vendor != "postgresql" or len(reads) < 2:
        return {name: [dict(row) for row in qs] for name, qs in reads.items()}
    return _execute(*_compile(reads))


def run_batch_for(key: Hashable, build: Callable[[], dict[str, QuerySet]]) -> dict[str, list[dict]]:
    """``run_batch(build())``, with the statement compiled once per ``key``: the reads'
    SQL is a function of what the key holds (scope, range, twinnings), and building and
    compiling a dozen querysets costs about as much Python as putting the figures together.
    """
    try:
        compiled = _COMPILED.get(key)
    except TypeError:  # a scope given with a list: nothing to key on
        return run_batch(build())
    if connection.vendor != "postgresql":
        return run_batch(build())
    if compiled is None:
        reads = build()
        if len(reads) < 2:
            return run_batch(reads)
        compiled = _compile(reads)
        with _COMPILED_LOCK:  # threads of one process share it
            _COMPILED[key] = compiled
            while len(_COMPILED) > _COMPILED_KEPT:
                _COMPILED.pop(next(iter(_COMPILED)))
    return _execute(*compiled)


# Compiled batches by key, oldest first (a few ranges per program are asked for at a time).
_COMPILED: dict[Hashable, tuple[tuple, str, tuple]] = {}
_COMPILED_KEPT = 256
_COMPILED_LOCK = threading.Lock()


def _compile(reads: dict[str, QuerySet]) -> tuple[tuple, str, tuple]:
    """The reads as one string of statements (psycopg's client-side binding sends them in
    one round trip and gives each its own result), with each read's column names."""
    names, parts, params = [], [], []
    for name, qs in reads.items():
        query = qs.query
        sql, part_params = query.sql_with_params()
        # Django's own SQL for each read; values stay parameters.
        parts.append(sql)
        params.extend(part_params)
        # The row's column names as ValuesIterable reads them.
        columns = tuple(query.selected) if query.selected else (
            *query.extra_select, *query.values_select, *query.annotation_select
        )
        names.append((name, columns))
    return tuple(names), "; ".join(parts), tuple(params)


def _execute(names: tuple, sql: str, params: tuple) -> dict[str, list[dict]]:
    rows: dict[str, list[dict]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for index, (name, columns) in enumerate(names):
            if index:
                cursor.nextset()
            rows[name] = _typed(columns, cursor.fetchall())
    return rows
