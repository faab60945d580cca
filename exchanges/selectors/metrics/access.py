"""The program a dashboard or export is about, with whether the user may see it, and its
matching runs: few queries, so the figures keep the page's query budget."""

from __future__ import annotations

from django.db.models import Exists, OuterRef

from exchanges.models import Program
from exchanges.selectors.metrics.runs import runs_hidden_for
from exchanges.selectors.roles import user_roles

RUNS_SHOWN = 20


def program_with_access(*, slug: str, user) -> tuple[Program | None, bool]:
    """(program or None when there is no such program, whether ``user`` may see its
    figures): superusers, and officers among the program's officers. One query, plus the
    user's roles, which the page header reads anyway (remembered per request)."""
    program = (
        Program.objects.filter(slug=slug)
        .annotate(
            user_is_officer=Exists(
                Program.officers.through.objects.filter(
                    program_id=OuterRef("pk"), user_id=getattr(user, "pk", None)
                )
            )
        )
        .first()
    )
    if program is None:
        return None, False
    roles = user_roles(user=user)
    return program, roles.is_superuser or (roles.is_officer and program.user_is_officer)


def program_runs(*, program: Program) -> dict:
    """The latest matching runs, what the small-count rule hides of each (``runs_hidden``,
    {run id: {figure: reason}}), the program's matches by status (``match_counts``, and
    ``counts_hidden``), and whether the page should keep polling them."""
    read = runs_hidden_for(program_ids=[program.pk], newest=RUNS_SHOWN)
    runs = read["runs"]
    current = next((run for run in runs if run.in_progress), None)
    return {"runs": runs, "runs_in_progress": current is not None, "run_in_progress": current,
            "runs_hidden": read["runs_hidden"], "match_counts": read["match_counts"][program.pk],
            "counts_hidden": read["counts_hidden"][program.pk]}
