"""The program a dashboard or export is about, with whether the user may see it, and its
matching runs: few queries, so the figures keep the page's query budget."""

from __future__ import annotations

from django.db.models import Exists, OuterRef

from exchanges.models import MatchRun, Program
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
    """The latest matching runs, and whether the page should keep polling them."""
    runs = list(
        MatchRun.objects.filter(program=program).select_related("requested_by")[:RUNS_SHOWN]
    )
    current = next((run for run in runs if run.in_progress), None)
    return {"runs": runs, "runs_in_progress": current is not None, "run_in_progress": current}
