"""The officer-metrics benchmark's world, seeded with COPY: one program over 10 twinnings,
its participants, matches, weekly sessions with attendance and presence stretches, and
messages (see ``benchmarks/officer_metrics.py``)."""

from __future__ import annotations

import datetime as dt
import json
import random
import uuid

TWINNINGS = 10
PAIRED = 0.8
ACCEPTED = 0.9
SESSION_MINUTES = 60
PASSWORD = "pbkdf2_sha256$600000$bench$not-a-usable-password-hash="


class Copier:
    """COPY rows into a model's table, filling the fields not given with their defaults
    (ids are given: the database is empty, and sequences are moved past them at the end)."""

    def __init__(self, cursor):
        self.cursor = cursor

    def copy(self, model, names: list[str], rows) -> int:
        fields = [f for f in model._meta.concrete_fields]
        given = {name: i for i, name in enumerate(names)}
        constant = {}
        for f in fields:
            if f.attname in given:
                continue
            if f.has_default() and callable(f.default):
                constant[f.attname] = None  # called per row below
            else:
                # The field's default, "" for text without one, None when nullable.
                constant[f.attname] = f.get_default()
                if constant[f.attname] is None and not f.null:
                    raise ValueError(f"{model.__name__}.{f.attname} needs a value")
        columns = ", ".join(f'"{f.column}"' for f in fields)
        count = 0
        with self.cursor.copy(f'COPY "{model._meta.db_table}" ({columns}) FROM STDIN') as cp:
            for row in rows:
                out = []
                for f in fields:
                    if f.attname in given:
                        value = row[given[f.attname]]
                    elif callable(f.default) and f.has_default():
                        value = f.get_default()
                    else:
                        value = constant[f.attname]
                    if isinstance(value, (dict, list)):
                        value = json.dumps(value)
                    out.append(value)
                cp.write_row(out)
                count += 1
        return count


def seed(n_people: int, n_messages: int, sessions_per_match: int, seed_value: int) -> dict:
    """Create the data set; returns the program and what was made."""
    from django.contrib.auth.models import Group
    from django.db import DatabaseError, connection, transaction

    from exchanges import models as m

    rnd = random.Random(seed_value)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    start = now - dt.timedelta(weeks=30)
    made = {}
    with transaction.atomic():
        cities = [
            m.City.objects.create(name=f"Bench city {i}", country="GB" if i % 2 == 0 else "DE",
                                  tz="Europe/London" if i % 2 == 0 else "Europe/Berlin")
            for i in range(2 * TWINNINGS)
        ]
        twinnings = [
            m.Twinning.objects.create(city_a=cities[2 * i], city_b=cities[2 * i + 1])
            for i in range(TWINNINGS)
        ]
        program = m.Program.objects.create(
            name="Bench program", slug="bench-program", start_date=start.date(), weeks=40
        )
        program.twinnings.set(twinnings)
        officer = m.User.objects.create_user(email="officer@bench.test", password="x")
        officer.groups.add(Group.objects.get_or_create(name=m.Role.OFFICER)[0])
        program.officers.add(officer)
        base = officer.pk + 1
        with connection.cursor() as cursor:
            # The rows below are consistent by construction: skip the per-row foreign-key
            # triggers (checked at commit, they took longer than the COPYs). Only a
            # superuser may; anyone else seeds with the checks on.
            try:
                with transaction.atomic():
                    cursor.execute("SET LOCAL session_replication_role = replica")
            except DatabaseError:
                pass
            copier = Copier(cursor)
            joined = {}
            users, people, links, languages = [], [], [], []
            for i in range(n_people):
                uid, pid = base + i, i + 1
                twin = i % TWINNINGS
                city = cities[2 * twin + (i // TWINNINGS) % 2]
                joined[pid] = start + dt.timedelta(seconds=rnd.randrange(26 * 7 * 86400))
                users.append((uid, PASSWORD, f"p{i}@bench.test", f"P{i}", joined[pid]))
                people.append((pid, uid, city.pk, city.tz, 1960 + rnd.randrange(45),
                               joined[pid], joined[pid], uuid.uuid4().hex))
                links.append((pid, pid, program.pk))
                languages.append((pid, pid, "de" if city.country == "GB" else "en", "B1", True))
            copier.copy(m.User, ["id", "password", "email", "display_name", "date_joined"], users)
            made["participants"] = copier.copy(
                m.Participant,
                ["id", "user_id", "city_id", "tz", "birth_year", "onboarded_at", "created_at",
                 "calendar_token"],
                people,
            )
            copier.copy(m.Participant.programs.through, ["id", "participant_id", "program_id"],
                        links)
            copier.copy(m.ParticipantLanguage,
                        ["id", "participant_id", "code", "level", "learning"], languages)

            # Pairs: person i (city a of its twinning) with person i + TWINNINGS (city b).
            matches, rooms, active = [], [], []
            paired = int(n_people * PAIRED) // (2 * TWINNINGS) * (2 * TWINNINGS)
            for block in range(0, paired, 2 * TWINNINGS):
                for t in range(TWINNINGS):
                    a, b = block + t + 1, block + t + TWINNINGS + 1
                    mid = len(matches) + 1
                    created = max(joined[a], joined[b]) + dt.timedelta(days=rnd.randrange(1, 20))
                    if rnd.random() < ACCEPTED:
                        act = created + dt.timedelta(days=rnd.randrange(0, 6))
                        matches.append((mid, program.pk, twinnings[t].pk, a, b, "active",
                                        created, act, act, act))
                        rooms.append((mid, mid, act))
                        active.append((mid, a, b, base + a - 1, act))
                    else:
                        matches.append((mid, program.pk, twinnings[t].pk, a, b, "declined",
                                        created, None, None, None))
            made["matches"] = copier.copy(
                m.Match,
                ["id", "program_id", "twinning_id", "participant_a_id", "participant_b_id",
                 "status", "created_at", "a_accepted_at", "b_accepted_at", "activated_at"],
                matches,
            )
            copier.copy(m.Room, ["id", "match_id", "created_at"], rooms)

            sessions, attendance, stretches = [], [], []
            for mid, a, b, _, act in active:
                first = act + dt.timedelta(days=2, hours=rnd.randrange(0, 12))
                for k in range(sessions_per_match):
                    begin = first + dt.timedelta(weeks=k)
                    sid = len(sessions) + 1
                    end = begin + dt.timedelta(minutes=SESSION_MINUTES)
                    if begin > now - dt.timedelta(hours=2):
                        status = "scheduled"
                    else:
                        roll = rnd.random()
                        status = "cancelled" if roll < 0.05 else "missed" if roll < 0.2 else "held"
                    sessions.append((sid, mid, begin, SESSION_MINUTES, status, uuid.uuid4(),
                                     act, act, end if status in ("held", "missed") else None))
                    if status not in ("held", "missed"):
                        continue
                    absent = None if status == "held" else rnd.choice((a, b, 0))
                    for pid in (a, b):
                        aid = len(attendance) + 1
                        came = absent not in (pid, 0)
                        late = dt.timedelta(minutes=rnd.randrange(0, 15))
                        attendance.append((aid, sid, pid, (SESSION_MINUTES * 60 - late.seconds)
                                           if came else 0, "attended" if came else "missed"))
                        if came:
                            stretches.append((len(stretches) + 1, aid, begin + late, end))
            made["sessions"] = copier.copy(
                m.Session,
                ["id", "match_id", "starts_at", "minutes", "status", "uid", "created_at",
                 "updated_at", "settled_at"],
                sessions,
            )
            made["attendance"] = copier.copy(
                m.Attendance, ["id", "session_id", "participant_id", "seconds_present", "status"],
                attendance,
            )
            made["presence_stretches"] = copier.copy(
                m.PresenceInterval, ["id", "attendance_id", "started_at", "ended_at"], stretches
            )

            def messages():
                for i in range(n_messages):
                    mid, _, _, author, act = active[i % len(active)]
                    at = act + dt.timedelta(seconds=rnd.randrange(0, 12 * 7 * 86400))
                    yield (i + 1, mid, author, "bonjour", f"c{i}", min(at, now))

            made["messages"] = copier.copy(
                m.Message, ["id", "room_id", "author_id", "body", "client_id", "created_at"],
                messages(),
            )
            for model in (m.User, m.Participant, m.Participant.programs.through,
                          m.ParticipantLanguage, m.Match, m.Room, m.Session, m.Attendance,
                          m.PresenceInterval, m.Message):
                table = model._meta.db_table
                # Our own table names only; the sequence follows the ids given above.
                setval = f'SELECT setval(pg_get_serial_sequence(%s, %s), (SELECT MAX(id) FROM "{table}"))'  # noqa: E501, S608
                cursor.execute(setval, [f'"{table}"', "id"])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"program": program, "officer": officer, "made": made}
