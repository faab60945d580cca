"""The match roll-up (``MatchDay``, exchanges/models/metrics.py) and the triggers that keep
it: every insert, update (of the columns the figures read) and delete on the match table
takes the old row's counts away and adds the new row's, in the same transaction, on
PostgreSQL and on SQLite. Matches change status on many write paths, bulk updates among
them, and have no timestamp for each change, so the database counts them where they are
written. The table is filled here from the matches already there. Written by hand; the
SQL is frozen here (services/metrics_matches.py rebuilds the same rows with the ORM)."""

from django.db import migrations, models

# (kind, status, day, activated day, when): what one match adds; R is OLD or NEW.
CONTRIBUTIONS = (
    ("'answered'", "''", "{day}(R.created_at)", "{never}",
     "R.activated_at IS NOT NULL OR R.status = 'declined'"),
    ("'accepted'", "''", "{day}(R.created_at)", "{never}", "R.activated_at IS NOT NULL"),
    ("'activated'", "''", "{day}(R.activated_at)", "{never}", "R.activated_at IS NOT NULL"),
    ("'ended'", "''", "{day}(R.ended_at)", "{day}(R.activated_at)",
     "R.activated_at IS NOT NULL AND R.ended_at IS NOT NULL"),
    ("'status'", "R.status", "{never}", "{never}", "1 = 1"),
)
WATCHED = ("program_id", "twinning_id", "status", "created_at", "activated_at", "ended_at")
KEY = "program_id, twinning_id, kind, status, day, activated_day"
VENDOR = {
    # A UTC day from a timestamp, and the NEVER date.
    "postgresql": {"day": "exchanges_utc_day", "never": "DATE '0001-01-01'"},
    "sqlite": {"day": "date", "never": "'0001-01-01'"},
}


def _contributions(vendor: str, row: str, delta: str, table: str = "") -> str:
    """One SELECT per kind a row counts in, named as the roll-up's columns (n: the delta)."""
    words = VENDOR[vendor]
    names = ("program_id", "twinning_id", "kind", "status", "day", "activated_day", "n")
    selects = []
    for kind, status, day, activated_day, when in CONTRIBUTIONS:
        parts = ("R.program_id", "R.twinning_id", kind, status, day, activated_day, delta)
        columns = ", ".join(
            f"{part.format(**words).replace('R.', f'{row}.')} AS {name}"
            for part, name in zip(parts, names, strict=True)
        )
        selects.append(f"SELECT {columns} {table} WHERE {when.replace('R.', f'{row}.')}")
    return " UNION ALL ".join(selects)


def _upsert(vendor: str, row: str, delta: str) -> str:
    # Constant SQL of this module only: no value from outside is interpolated.
    return (  # noqa: S608
        f"INSERT INTO exchanges_matchday ({KEY}, count) "
        f"SELECT * FROM ({_contributions(vendor, row, delta)}) AS c WHERE 1 = 1 "
        f"ON CONFLICT ({KEY}) DO UPDATE SET count = exchanges_matchday.count + excluded.count"
    )


def rebuild_sql(vendor: str) -> str:
    rows = _contributions(vendor, "m", "1", "FROM exchanges_match AS m")
    return (  # noqa: S608
        f"INSERT INTO exchanges_matchday ({KEY}, count) "
        f"SELECT {KEY}, SUM(n) FROM ({rows}) AS c GROUP BY {KEY}"
    )


def _postgresql() -> list[str]:
    changed = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in WATCHED)
    return [
        "CREATE FUNCTION exchanges_utc_day(at timestamptz) RETURNS date "
        "LANGUAGE sql IMMUTABLE AS $$ SELECT (at AT TIME ZONE 'UTC')::date $$",
        "CREATE FUNCTION exchanges_matchday_count() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN "
        f"IF TG_OP <> 'INSERT' THEN {_upsert('postgresql', 'OLD', '-1')}; END IF; "
        f"IF TG_OP <> 'DELETE' THEN {_upsert('postgresql', 'NEW', '1')}; END IF; "
        "RETURN NULL; END $$",
        "CREATE TRIGGER exchanges_matchday_insert_delete AFTER INSERT OR DELETE "
        "ON exchanges_match FOR EACH ROW EXECUTE FUNCTION exchanges_matchday_count()",
        "CREATE TRIGGER exchanges_matchday_update AFTER UPDATE ON exchanges_match "
        f"FOR EACH ROW WHEN ({changed}) EXECUTE FUNCTION exchanges_matchday_count()",
    ]


def _sqlite() -> list[str]:
    return [
        "CREATE TRIGGER exchanges_matchday_insert AFTER INSERT ON exchanges_match BEGIN "
        f"{_upsert('sqlite', 'NEW', '1')}; END",
        "CREATE TRIGGER exchanges_matchday_delete AFTER DELETE ON exchanges_match BEGIN "
        f"{_upsert('sqlite', 'OLD', '-1')}; END",
        f"CREATE TRIGGER exchanges_matchday_update AFTER UPDATE OF {', '.join(WATCHED)} "
        "ON exchanges_match BEGIN "
        f"{_upsert('sqlite', 'OLD', '-1')}; {_upsert('sqlite', 'NEW', '1')}; END",
    ]


DROP = {
    "postgresql": [
        "DROP TRIGGER IF EXISTS exchanges_matchday_update ON exchanges_match",
        "DROP TRIGGER IF EXISTS exchanges_matchday_insert_delete ON exchanges_match",
        "DROP FUNCTION IF EXISTS exchanges_matchday_count()",
        "DROP FUNCTION IF EXISTS exchanges_utc_day(timestamptz)",
    ],
    "sqlite": [
        f"DROP TRIGGER IF EXISTS exchanges_matchday_{name}"
        for name in ("insert", "delete", "update")
    ],
}


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor not in VENDOR:
        raise NotImplementedError(f"match roll-up triggers for {vendor}")
    for statement in _postgresql() if vendor == "postgresql" else _sqlite():
        schema_editor.execute(statement, params=None)
    schema_editor.execute(rebuild_sql(vendor), params=None)


def drop_triggers(apps, schema_editor):
    for statement in DROP.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("exchanges", "0013_people_day_profile_day"),
    ]

    operations = [
        migrations.CreateModel(
            name="MatchDay",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("program_id", models.BigIntegerField()),
                ("twinning_id", models.BigIntegerField()),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("answered", "Answered"),
                            ("accepted", "Accepted"),
                            ("activated", "Activated"),
                            ("ended", "Ended"),
                            ("status", "Status"),
                        ],
                        max_length=9,
                    ),
                ),
                ("status", models.CharField(blank=True, default="", max_length=10)),
                ("day", models.DateField()),
                ("activated_day", models.DateField()),
                ("count", models.IntegerField(default=0)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=(
                            "program_id", "twinning_id", "kind", "status", "day",
                            "activated_day",
                        ),
                        name="matchday_one_row_per_key",
                    )
                ],
            },
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
