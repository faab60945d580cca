"""On PostgreSQL the match roll-up (``MatchDay``) is kept by statement-level triggers over
the statement's transition tables instead of one trigger per row: a bulk update adds up
its rows' changes and writes each roll-up row once. Per row, the same few tally rows (a
program's count by status) were updated once per match in one transaction, each update
leaving a row version the next had to walk past: ending 9 000 matches in one UPDATE took
9-14 s against 0.4-0.5 s without triggers. SQLite keeps 0014's row triggers (it has no
statement-level ones, and no row versions to walk). Written by hand; the SQL is frozen
here."""

from django.db import migrations

# (kind, status, day, activated day, when): what one match m adds.
CONTRIBUTIONS = (
    ("'answered'", "''", "exchanges_utc_day(m.created_at)", "DATE '0001-01-01'",
     "m.activated_at IS NOT NULL OR m.status = 'declined'"),
    ("'accepted'", "''", "exchanges_utc_day(m.created_at)", "DATE '0001-01-01'",
     "m.activated_at IS NOT NULL"),
    ("'activated'", "''", "exchanges_utc_day(m.activated_at)", "DATE '0001-01-01'",
     "m.activated_at IS NOT NULL"),
    ("'ended'", "''", "exchanges_utc_day(m.ended_at)", "exchanges_utc_day(m.activated_at)",
     "m.activated_at IS NOT NULL AND m.ended_at IS NOT NULL"),
    ("'status'", "m.status", "DATE '0001-01-01'", "DATE '0001-01-01'", "TRUE"),
)
KEY = "program_id, twinning_id, kind, status, day, activated_day"
NAMES = ("kind", "status", "day", "activated_day")


def _rows(table: str, delta: str) -> str:
    selects = []
    for *parts, when in CONTRIBUTIONS:
        named = ", ".join(f"{part} AS {name}" for part, name in zip(parts, NAMES, strict=True))
        selects.append(
            f"SELECT m.program_id, m.twinning_id, {named}, {delta} AS n "  # noqa: S608
            f"FROM {table} AS m WHERE {when}"
        )
    return " UNION ALL ".join(selects)


def _upsert(*parts: str) -> str:
    # Constant SQL of this module only: no value from outside is interpolated.
    return (
        f"INSERT INTO exchanges_matchday ({KEY}, count) "  # noqa: S608
        f"SELECT {KEY}, SUM(n) FROM ({' UNION ALL '.join(parts)}) AS c "
        f"GROUP BY {KEY} HAVING SUM(n) <> 0 "
        f"ON CONFLICT ({KEY}) DO UPDATE SET count = exchanges_matchday.count + excluded.count"
    )


FUNCTION = (
    "CREATE OR REPLACE FUNCTION exchanges_matchday_count() RETURNS trigger "
    "LANGUAGE plpgsql AS $$ BEGIN "
    f"IF TG_OP = 'INSERT' THEN {_upsert(_rows('new_rows', '1'))}; "
    f"ELSIF TG_OP = 'DELETE' THEN {_upsert(_rows('old_rows', '-1'))}; "
    f"ELSE {_upsert(_rows('old_rows', '-1'), _rows('new_rows', '1'))}; "
    "END IF; RETURN NULL; END $$"
)
TRIGGERS = [
    "CREATE TRIGGER exchanges_matchday_insert AFTER INSERT ON exchanges_match "
    "REFERENCING NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION exchanges_matchday_count()",
    "CREATE TRIGGER exchanges_matchday_update AFTER UPDATE ON exchanges_match "
    "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION exchanges_matchday_count()",
    "CREATE TRIGGER exchanges_matchday_delete AFTER DELETE ON exchanges_match "
    "REFERENCING OLD TABLE AS old_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION exchanges_matchday_count()",
]
DROP_ROW_TRIGGERS = [
    "DROP TRIGGER IF EXISTS exchanges_matchday_update ON exchanges_match",
    "DROP TRIGGER IF EXISTS exchanges_matchday_insert_delete ON exchanges_match",
]
DROP_STATEMENT_TRIGGERS = [
    f"DROP TRIGGER IF EXISTS exchanges_matchday_{name} ON exchanges_match"
    for name in ("insert", "update", "delete")
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in [*DROP_ROW_TRIGGERS, FUNCTION, *TRIGGERS]:
        schema_editor.execute(statement, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in DROP_STATEMENT_TRIGGERS:
        schema_editor.execute(statement, params=None)
    # 0014's row triggers, dropped again by its own backwards step.
    module = __import__(
        "exchanges.migrations.0014_match_day", fromlist=["_postgresql"]
    )
    schema_editor.execute("DROP FUNCTION IF EXISTS exchanges_matchday_count()", params=None)
    for statement in module._postgresql()[1:]:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("exchanges", "0014_match_day"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
