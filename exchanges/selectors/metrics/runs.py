"""The matching runs' figures as officers read them (the program page, its polled rows,
the audit log), under the small-count rule (small_rows.runs_hidden): whatever path a run
reaches an officer by, it hides the same figures."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count

from exchanges.models import Match, MatchRun
from exchanges.selectors.metrics.small_rows import runs_hidden

# Counts of pairs the run kept in its parameters (see services/matching.py).
_PARAMETERS = ("pairs_dropped", "pairs_already_live")


def runs_hidden_for(*, program_ids, newest: int = 0) -> dict:
    """For every run of the programs (the rule needs them all): ``runs_hidden`` ({run id:
    {figure: reason}}), ``match_counts`` and ``counts_hidden`` ({program id: {status:
    matches or reason}}), and ``runs``: the ``newest`` runs, newest first, read with the
    counts their flags are worked out from. Two queries, however many runs."""
    program_ids = list(program_ids)
    runs: dict[int, list[dict]] = defaultdict(list)
    names = [field.attname for field in MatchRun._meta.concrete_fields]
    # In one order on every path, so that a tie picks the same complement everywhere.
    rows = list(MatchRun.objects.filter(program_id__in=program_ids)
                .order_by("-created_at", "-pk").values(*names))
    for row in rows:
        parameters = row["parameters"] or {}
        runs[row["program_id"]].append(
            {**row, **{key: parameters.get(key) or 0 for key in _PARAMETERS}})
    statuses = {pk: dict.fromkeys(Match.Status.values, 0) for pk in program_ids}
    counted = (Match.objects.filter(program_id__in=program_ids)
               .values("program_id", "status").annotate(n=Count("id")).order_by())
    for row in counted:
        statuses[row["program_id"]][row["status"]] = row["n"]
    by_run, by_status = {}, {}
    for pk in program_ids:
        flags, by_status[pk] = runs_hidden(runs[pk], statuses[pk])
        by_run.update({run["id"]: run_flags for run, run_flags in zip(runs[pk], flags,
                                                                     strict=True)})
    return {"runs": [MatchRun.from_db(None, names, [row[name] for name in names])
                     for row in rows[:newest]],
            "runs_hidden": by_run, "match_counts": statuses, "counts_hidden": by_status}
