"""Several grouped reads in one round trip: the dashboard's figures come from a handful of
small aggregate queries over the roll-ups, and on PostgreSQL they are sent as one
statement (each read's rows as one JSON array, tagged with its name), so a page keeps its query
budget however many figures it shows. Elsewhere (SQLite) each read runs on its own.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Callable, Hashable

from django.db import connection
from django.db.models import QuerySet

# Columns that hold a day or a truncated week (JSON gives them as text).
DATE_COLUMNS = frozenset({"day", "week"})


def _typed(rows: list[dict]) -> list[dict]:
    """The read's day/week columns as dates: looked up once per read, not once per row."""
    keys = DATE_COLUMNS & rows[0].keys() if rows else ()
    for key in keys:
        # Many rows share a week: parse each distinct text once.
        parsed: dict[str, dt.date] = {}
        for row in rows:
            text = row[key]
            if isinstance(text, str):
                day = parsed.get(text)
                if day is None:
                    day = parsed[text] = dt.date.fromisoformat(text[:10])
                row[key] = day
    return rows


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
_COMPILED: dict[Hashable, tuple[tuple[str, ...], str, tuple]] = {}
_COMPILED_KEPT = 256
_COMPILED_LOCK = threading.Lock()


def _compile(reads: dict[str, QuerySet]) -> tuple[tuple[str, ...], str, tuple]:
    names = tuple(reads)
    parts, params = [], []
    for index, name in enumerate(names):
        sql, part_params = reads[name].query.sql_with_params()
        # Django's own SQL for each read; values stay parameters, the tag is an integer.
        # One JSON array per read: one decode each, however many rows.
        parts.append(f"SELECT {index} AS k, json_agg(q{index})::text AS r FROM ({sql}) AS q{index}")  # noqa: E501, S608
        params.extend(part_params)
    return names, " UNION ALL ".join(parts), tuple(params)


def _execute(names: tuple[str, ...], sql: str, params: tuple) -> dict[str, list[dict]]:
    rows: dict[str, list[dict]] = {name: [] for name in names}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for index, text in cursor.fetchall():
            if text is not None:  # no rows
                rows[names[index]] = _typed(json.loads(text))
    return rows
