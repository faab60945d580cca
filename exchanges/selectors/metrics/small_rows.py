"""The officer's figures (dashboard and exports alike) under the public register's
small-count rule (exchanges/pure/suppression.py): a row by twinning or by city whose
figures rest on 1 to 4 participants or active participants, or the program's totals over
1 to 4 participants, could single one out (a class of one pupil shows that pupil's
attendance), so it shows none of its figures, and the rows hidden beside it keep it from
being worked out from the program's totals. In what is shown, a count of 1 to 4 active
(in the totals), matched, completing, retained or attending people is hidden with the
rates that would give it back."""

from __future__ import annotations

from exchanges.pure.suppression import (
    COMPLEMENTARY,
    SMALL,
    fewest_people,
    is_small,
    linked_complements,
    suppress,
    suppress_line,
)
from exchanges.selectors.metrics.definitions import KEYS

# The counts of people a row's figures rest on.
PEOPLE = ("participants", "active_participants")

# The rates that rest on people a row's counts may leave out: the attendance rate's
# expected people include those who joined before the range and never came.
UNCOUNTED_RATES = ("attendance_rate",)


def counts_nobody(row: dict) -> bool:
    """A row that counts no one in PEOPLE: its UNCOUNTED_RATES could only say that people
    it does not show (perhaps a single pupil) never came, so it shows none of them."""
    return not any(row[key] for key in PEOPLE)


# Other counts of people (read from the row, or from metrics()'s ``rate_counts``), each
# with the figures that show it or give it back.
COUNTED = {
    "matched": ("matched", "match_rate", "median_days_to_match"),
    "completion": ("completion",),
    "retained": ("retention",),
    "attended": ("attendance_rate",),
    # The people of the answered matches (whether 1 pair accepted) and of the live ones
    # (their messages).
    "answering": ("acceptance_rate",),
    "live": ("messages_per_active_match",),
}

# Why a row that counts nobody shows no UNCOUNTED_RATES.
NOBODY = "counts_nobody"


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


# The program's totals rest on its participants: a range of 200 with 3 of them active
# hides the active count (and what the COUNTED give back), not the 200. The sessions that
# took place rest on the active: 3 of them hide those sessions and their hours too, and
# the sessions scheduled (less the cancelled, shown, they would give them back).
TOTALS_PEOPLE = ("participants",)
SESSIONS_OF_ACTIVE = ("sessions_scheduled", "sessions_held", "sessions_missed",
                      "contact_hours")
TOTALS_COUNTED = {**COUNTED,
                  "active_participants": ("active_participants", *SESSIONS_OF_ACTIVE)}

# A week's figures (the weekly chart), all resting on the people who attended its sessions.
WEEK_FIGURES = ("sessions_held", "contact_hours")


def weekly_hidden(weekly: list[dict]) -> list[dict[str, str]]:
    """Per week, ``{figure: reason}`` for what the rule hides of it: a week whose sessions
    1 to 4 people attended (metrics()["weekly"]'s ``active_participants``) could tell who
    met when, so its sessions and hours are SMALL; the weeks add up to the totals, shown
    apart, so where one week alone is hidden the next smallest goes too (COMPLEMENTARY),
    as suppress_line does for any line whose sum is known."""
    people = [week["active_participants"] for week in weekly]
    return [dict.fromkeys(WEEK_FIGURES, reason) if reason else {}
            for reason in suppress_line(people)]


def _reasons(rows: list[dict], totals: dict, keys, people=PEOPLE,
             counted=COUNTED) -> list[dict[str, str]]:
    """Per row, ``{figure: reason}`` for each of ``keys`` with a value that the rule
    hides, in ``keys``' order: SMALL for a count of 1 to 4, COMPLEMENTARY for what would
    give one away, NOBODY for a rate of a row that counts nobody."""
    if not rows:
        return []
    reasons: list[dict[str, str]] = []
    for row, hidden_people in zip(rows, rows_hidden(rows, totals, people), strict=True):
        if hidden_people:
            reasons.append({k: hidden_people.get(k) or COMPLEMENTARY for k in keys})
        else:
            reasons.append(dict.fromkeys(
                (k for k in UNCOUNTED_RATES if k in keys and counts_nobody(row)), NOBODY))
    for count, figures in counted.items():
        # A count not given (rows built by hand, without the matches') hides nothing.
        table = suppress([[row.get(count) or 0] for row in rows],
                         col_totals=[totals.get(count) or 0])
        for row_reasons, (hidden,) in zip(reasons, table.hidden, strict=True):
            for key in (k for k in figures if hidden and k in keys):
                row_reasons.setdefault(key, hidden if key == count else COMPLEMENTARY)
    # A figure that is None already (a rate over nothing) has nothing to hide.
    return [{k: r[k] for k in keys if k in r and row[k] is not None}
            for row, r in zip(rows, reasons, strict=True)]


def figures_hidden(figures: dict, keys=KEYS) -> dict:
    """``{"totals": {figure: reason}, "by_twinning": [...], "by_city": [...]}`` for
    ``metrics()``'s figures: what the small-count rule hides of ``keys`` (the figures that
    apply) and why. The totals are a row of their own, their own column's total."""
    counts = figures["rate_counts"]
    totals = {**figures["totals"], **counts["totals"]}
    hidden = {"totals": _reasons([totals], totals, keys, TOTALS_PEOPLE, TOTALS_COUNTED)[0]}
    for part in ("by_twinning", "by_city"):
        rows = [{**row, **c} for row, c in zip(figures[part], counts[part], strict=True)]
        hidden[part] = _reasons(rows, totals, keys)
    for key in (k for k in LINKED if k in keys):
        _hide_linked(figures, hidden, keys, key)
    return hidden


# The counts shown in both the rows by city and by twinning, which tie them together:
# the cities add up to the totals (each person lives in one), and a twinning's people
# are its cities' people, counted in each twinning of their city (so the twinnings do
# not add up to the totals of distinct people). A twinning's active participants are
# those active in it: its city's only for a city in no other twinning, else a share of
# them that is never shown. The column-by-column rule above misses these ties.
LINKED = ("participants", "active_participants", "matched", "completion")


def _hide_linked(figures: dict, hidden: dict, keys, key: str) -> None:
    """Hide (COMPLEMENTARY) what would let a hidden ``key`` be worked out through the
    ties between totals, cities and twinnings; a row losing a count of PEOPLE loses all
    its figures, as it would by its own count."""
    places = [("totals", None, figures["totals"])]
    places += [(part, i, row) for part in ("by_city", "by_twinning")
               for i, row in enumerate(figures[part])]
    cell = {("by_city", row["id"]): 1 + i for i, row in enumerate(figures["by_city"])}
    twinnings = {t.pk: t for t in figures.get("row_twinnings", figures.get("twinnings", ()))}
    shared = [city for t in twinnings.values() for city in {t.city_a_id, t.city_b_id}]
    equations = [{0: 1, **dict.fromkeys(range(1, 1 + len(figures["by_city"])), -1)}]
    unseen = len(places)
    for n, row in enumerate(figures["by_twinning"], start=1 + len(figures["by_city"])):
        t = twinnings.get(row["id"])
        if t is None:
            continue
        equation = {n: 1}
        for city in {t.city_a_id, t.city_b_id}:
            if ("by_city", city) in cell and (key != "active_participants"
                                              or shared.count(city) == 1):
                equation[cell["by_city", city]] = -1
            else:
                equation[unseen], unseen = -1, unseen + 1
        equations.append(equation)
    flags = [hidden[part] if i is None else hidden[part][i] for part, i, _row in places]
    cells = [row[key] or 0 for _p, _i, row in places]
    # A count of 1 to 4 hidden with its row (for the row's other count) is one too.
    extra = linked_complements(cells, equations, [key in f for f in flags],
                               [key in f and is_small(n) for f, n in zip(flags, cells,
                                                                         strict=True)])
    for n in extra:
        part, _i, row = places[n]
        row_flags = flags[n]
        whole = key in (TOTALS_PEOPLE if part == "totals" else PEOPLE)
        figures_gone = keys if whole else TOTALS_COUNTED[key]
        for k in figures_gone:
            if k in keys and row[k] is not None:
                row_flags.setdefault(k, COMPLEMENTARY)


def without_hidden(row: dict, hidden: dict[str, str]) -> dict:
    """The row with its hidden figures None, as the exports give them."""
    return {**row, **dict.fromkeys(hidden)}


# --- Matching runs ----------------------------------------------------------------------

# A matching run's figures about people. Its counts of pairs are at least the fewest
# people so many pairs can be among (a person takes up to 3 partners: 3 pairs may be 4
# people); the places it filled are its pairs' ends, so as many people as its pairs; the
# unmatched are people. The pool stands beside them.
RUN_POOL = "participants_count"
RUN_PAIRS = ("candidate_edges", "pairs_count", "pairs_dropped", "pairs_already_live")
RUN_PEOPLE = (*RUN_PAIRS, "matched_places", "unmatched_count")
# No count of people, but the proposed pairs' scores add up: their sum bounds their number.
RUN_GIVES_BACK = ("total_score",)


def _run_people(run: dict) -> dict[str, int]:
    people = {key: fewest_people(run[key] or 0) for key in RUN_PAIRS}
    return {**people, "matched_places": people["pairs_count"],
            "unmatched_count": run["unmatched_count"] or 0}


def _outcome_hidden(run: dict) -> dict[str, str]:
    """All that a run did with its pool, hidden: "small" where it counts 1 to 4 people."""
    return {**{key: SMALL if is_small(n) else COMPLEMENTARY
               for key, n in _run_people(run).items()},
            **dict.fromkeys(RUN_GIVES_BACK, COMPLEMENTARY)}


def _run_hidden(run: dict) -> dict[str, str]:
    """What the rule hides of one run: every figure about people when its pool is 1 to 4
    people; else all but the pool when one of them counts 1 to 4 people, or the engine
    matched 1 to 4 (the pool less the unmatched): the pool is the matched and the
    unmatched, each pair two of the matched, so any of them gives the others back."""
    if is_small(run[RUN_POOL]):
        return {RUN_POOL: SMALL, **_outcome_hidden(run)}
    if any(map(is_small, _run_people(run).values())) or is_small(
            run[RUN_POOL] - run["unmatched_count"]):
        return _outcome_hidden(run)
    return {}


def runs_hidden(runs: list[dict], statuses: dict[str, int]
                ) -> tuple[list[dict[str, str]], dict[str, str]]:
    """``([{figure: reason}] per run, {status: reason})``: what the rule hides of a
    program's runs (all of them: the audit log lists every one) and of its matches by
    status (1 to 6 matches may be 2 to 4 people). Every match is a run's pair in
    one status, so the runs' pairs and the statuses add up alike: one equation, which
    gives a hidden count back when it is the only one hidden; so the next smallest goes
    too (a run's pairs with the rest of what the run did)."""
    hidden = [_run_hidden(run) for run in runs]
    keys = list(statuses)
    line = suppress_line(
        [fewest_people(run["pairs_count"]) for run in runs]
        + [fewest_people(statuses[k]) for k in keys],
        also_hidden=["pairs_count" in flags for flags in hidden] + [False] * len(keys),
    )
    for run, flags, reason in zip(runs, hidden, line, strict=False):
        if reason and not flags:
            flags.update(_outcome_hidden(run))
    return hidden, {key: reason for key, reason in zip(keys, line[len(runs):], strict=True)
                    if reason}
