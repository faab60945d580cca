"""Benchmark: a teacher makes a class's login cards, with the cards' quick hasher against
Django's default (PBKDF2, a million iterations) as before, in the same run.

    .venv/bin/python -m benchmarks.login_cards --pupils 30 --repeats 3

Runs on a throwaway SQLite database in a temporary folder (migrated first, deleted at
the end), never the configured one. For each side, alternated, ``--repeats`` times:

* ``add_seconds``: ``pupils_add`` for a class of ``--pupils`` new names (the cards a
  teacher prints on adding the class);
* ``print_seconds``: ``login_cards_print`` for that class (every pupil a new password);
* ``hash_seconds``: ``make_password`` for as many card passwords alone.

The baseline ("default") is the code before: each card's password set with
``user.set_password``, which hashes with the first of ``PASSWORD_HASHERS``. Each
measurement runs in a transaction rolled back afterwards. Prints one JSON object, with
the load averages before and after and each side's median.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import tempfile
import time
from contextlib import contextmanager
from unittest import mock

FIRST_NAMES = ["Amelia", "Jonas", "Chloe", "Mateo", "Ines", "Oskar"]
INITIALS = "BDFHKMPRTW"


def _setup(folder: str) -> None:
    os.environ["SQLITE_PATH"] = os.path.join(folder, "cards.sqlite3")
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DJANGO_DEBUG", "1")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _names(count: int) -> list[str]:
    names = [f"{first} {initial}." for initial in INITIALS for first in FIRST_NAMES]
    if count > len(names):
        raise SystemExit(f"--pupils: at most {len(names)}")
    return names[:count]


def _classroom():
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from exchanges.models import City, Classroom, Role, User

    teacher = User.objects.create_user("teacher@bench.invalid", None)
    teacher.groups.add(Group.objects.get_or_create(name=Role.TEACHER)[0])
    city = City.objects.create(name="Coventry", country="GB", tz="Europe/London",
                               languages=["en"])
    today = timezone.localdate()
    return Classroom.objects.create(
        teacher=teacher, city=city, school="School in Coventry", name="7B", age_min=11,
        age_max=12, size=30, term_start=today, term_end=today + dt.timedelta(days=90),
        join_code_expires_at=timezone.now() + dt.timedelta(days=14),
    )


@contextmanager
def _side(name: str):
    """The card hasher as served, or the code before (the default hasher)."""
    from exchanges.services import pupils

    if name == "card":
        yield
        return
    with mock.patch.object(pupils, "_card_password_set",
                           lambda user, password: user.set_password(password)):
        yield


class _RolledBack(Exception):
    pass


def _measure(side: str, pupils_count: int) -> dict[str, float]:
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from exchanges.pure.card_passwords import CardPasswordHasher, card_password
    from exchanges.services.pupils import login_cards_print, pupils_add

    figures = {}
    try:
        with transaction.atomic(), _side(side):
            classroom = _classroom()
            started = time.perf_counter()
            cards = pupils_add(classroom=classroom, by=classroom.teacher,
                               names=_names(pupils_count))
            figures["add_seconds"] = time.perf_counter() - started
            started = time.perf_counter()
            printed = login_cards_print(classroom=classroom, by=classroom.teacher)
            figures["print_seconds"] = time.perf_counter() - started
            assert len(cards) == len(printed) == pupils_count
            raise _RolledBack
    except _RolledBack:
        pass
    hasher = CardPasswordHasher.algorithm if side == "card" else "default"
    passwords = [card_password() for _ in range(pupils_count)]
    started = time.perf_counter()
    for password in passwords:
        make_password(password, hasher=hasher)
    figures["hash_seconds"] = time.perf_counter() - started
    return {key: round(value, 4) for key, value in figures.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pupils", type=int, default=30)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="jumelage-cards-")
    try:
        _setup(folder)
        from django.conf import settings

        from exchanges.pure.card_passwords import CardPasswordHasher, card_password_bits

        load_before = [round(x, 2) for x in os.getloadavg()]
        runs = {"card": [], "default": []}
        for _ in range(args.repeats):
            for side in ("card", "default"):  # alternated, so drift hits both
                runs[side].append(_measure(side, args.pupils))
        medians = {
            side: {key: round(statistics.median(run[key] for run in rows), 4)
                   for key in rows[0]}
            for side, rows in runs.items()
        }
        print(json.dumps({
            "pupils": args.pupils,
            "repeats": args.repeats,
            "default_hasher": settings.PASSWORD_HASHERS[0],
            "card_hasher_iterations": CardPasswordHasher.iterations,
            "card_password_bits": round(card_password_bits(), 1),
            "median": medians,
            "speedup_print": round(medians["default"]["print_seconds"]
                                   / medians["card"]["print_seconds"], 1),
            "runs": runs,
            "load_before": load_before,
            "load_after": [round(x, 2) for x in os.getloadavg()],
        }, indent=2))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
