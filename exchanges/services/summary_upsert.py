"""Writing summary rows: insert, or update the rows whose keys exist; ids a batch at a
time."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection

UPSERT_ROWS = 1000
ID_BATCH = 2000  # ids per refresh batch: a few queries each, bounded memory


def id_chunks(ids: list[int], size: int = ID_BATCH) -> Iterable[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


def upsert_rows(model, columns: tuple[str, ...], keys: tuple[str, ...], rows: list[tuple]) -> None:
    """Insert the rows, or update those whose ``keys`` exist (ON CONFLICT DO UPDATE).

    On PostgreSQL the rows are streamed with COPY into a temporary table first: binding
    tens of thousands of parameters, or bulk_create(update_conflicts=True), costs far
    more than the write itself. Elsewhere (SQLite) they go as multi-row INSERTs.
    """
    if not rows:
        return
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(c) for c in columns)
    conflict = ", ".join(quote(k) for k in keys)
    updates = ", ".join(f"{quote(c)} = EXCLUDED.{quote(c)}" for c in columns if c not in keys)
    upsert = f"ON CONFLICT ({conflict}) DO UPDATE SET {updates}"
    # Only our own table and column names are formatted into the SQL; values never are.
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            scratch = quote(f"upsert_{model._meta.db_table}")
            cursor.execute(f"DROP TABLE IF EXISTS {scratch}")
            cursor.execute(
                f"CREATE TEMP TABLE {scratch} AS SELECT {names} FROM {table} WITH NO DATA"  # noqa: S608
            )
            with cursor.copy(f"COPY {scratch} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            cursor.execute(
                f"INSERT INTO {table} ({names}) SELECT {names} FROM {scratch} {upsert}"  # noqa: S608
            )
            cursor.execute(f"DROP TABLE {scratch}")
            return
        one = "(" + ", ".join(["%s"] * len(columns)) + ")"
        for start in range(0, len(rows), UPSERT_ROWS):
            chunk = rows[start:start + UPSERT_ROWS]
            cursor.execute(
                f"INSERT INTO {table} ({names}) VALUES {', '.join([one] * len(chunk))} {upsert}",  # noqa: S608
                [value for row in chunk for value in row],
            )
