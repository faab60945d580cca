"""The officer dashboard's rows by twinning and by city under the public register's
small-count rule (exchanges/pure/suppression.py): a row whose figures rest on 1 to 4
people could single one out (a class of one pupil shows that pupil's attendance), so it
shows none of its figures, and the rows hidden beside it keep it from being worked out
from the program's totals."""

from __future__ import annotations

from exchanges.pure.suppression import SMALL, is_small, suppress

# The counts of people a row's figures rest on.
PEOPLE = ("participants", "active_participants")

# The rates that rest on people a row's counts may leave out: the attendance rate's
# expected people include those who joined before the range and never came.
UNCOUNTED_RATES = ("attendance_rate",)


def counts_nobody(row: dict) -> bool:
    """A row that counts no one in PEOPLE: its UNCOUNTED_RATES could only say that people
    it does not show (perhaps a single pupil) never came, so it shows none of them."""
    return not any(row[key] for key in PEOPLE)


# The counts of people a week's cohort and its retention rest on (the retained too: 2 of
# 20 retained singles two out, and the rate gives the count back).
COHORT_PEOPLE = ("joined", "eligible", "retained")


def rows_hidden(rows: list[dict], totals: dict, people=PEOPLE) -> list[dict[str, str] | None]:
    """For each row, None (shown) or the register's reason per count of ``people``
    ("small", "complementary" or "") when the row is hidden."""
    flags: list[dict[str, str]] = [{} for _ in rows]
    for key in people:
        if not rows:
            break
        table = suppress([[row[key] or 0] for row in rows], col_totals=[totals[key] or 0])
        for row_flags, (hidden,) in zip(flags, table.hidden, strict=True):
            row_flags[key] = hidden or ""
    return [row_flags if any(row_flags.values()) else None for row_flags in flags]


def cohorts_hidden(cohorts: list[dict]) -> list[dict[str, str] | None]:
    """The retention cohorts as rows: a week in which 1 to 4 people joined, or whose
    retention rests on or counts 1 to 4 of them, could single out a pupil, so it shows
    none of its figures; the columns' sums count as published (the joined add up to the
    program's participants), so the week beside it is hidden where they would give it
    away."""
    totals = {key: sum(cohort[key] for cohort in cohorts) for key in COHORT_PEOPLE}
    return rows_hidden(cohorts, totals, COHORT_PEOPLE)


def breakdown_hidden(breakdown: dict) -> dict[str, dict[str, str | None]]:
    """Who takes part under the same rule: per role and per age band, a count of 1 to 4
    could single out a pupil (a class of one), so it is hidden, with a complement where
    the program's total of participants (their sum) would give it away. A language
    learned hides its small counts alone: someone learning two counts in both, so the
    column has no total to work one out from. The number of classes counts no one."""
    flags: dict[str, dict[str, str | None]] = {}
    for part in ("roles", "age_bands"):
        keys = list(breakdown[part])
        table = suppress([[breakdown[part][key]] for key in keys]) if keys else None
        flags[part] = {key: table.hidden[i][0] for i, key in enumerate(keys)} if table else {}
    flags["languages"] = {
        code: SMALL if is_small(n) else None for code, n in breakdown["languages"].items()
    }
    return flags
