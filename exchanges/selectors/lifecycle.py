"""Reads for the twinning lifecycle: who may act on a twinning, its history, what a
suspension would touch, and the officers' audit log.

Scoping lives here once: an officer sees the twinnings of the programs they run; a
superuser sees every twinning.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from exchanges.models import (
    AuditEvent,
    ClassroomExchange,
    Match,
    MatchRun,
    Program,
    Role,
    Twinning,
    TwinningStatusChange,
)
from exchanges.models.lifecycle import reason_shown
from exchanges.selectors.metrics.runs import runs_hidden_for

AUDIT_TARGET_PREFIX = "twinning:"
LIFECYCLE_VERBS = ("twinning.suspended", "twinning.terminated", "twinning.reactivated")
# The audit event of a data file's change says so in its data (it has no actor).
DATA_LOAD = "data load"


def audit_target(twinning: Twinning) -> str:
    return f"{AUDIT_TARGET_PREFIX}{twinning.pk}"


def programs_run_by(*, user) -> QuerySet[Program]:
    """The programs whose officer ``user`` is (every program for a superuser)."""
    if user.is_superuser:
        return Program.objects.all()
    if not user.is_authenticated or not user.groups.filter(name=Role.OFFICER).exists():
        return Program.objects.none()
    return Program.objects.filter(officers=user)


def twinnings_for_officer(*, user) -> QuerySet[Twinning]:
    """The twinnings an officer may see and act on: those of the programs they run."""
    twinnings = Twinning.objects.select_related("city_a", "city_b")
    if not user.is_superuser:
        twinnings = twinnings.filter(programs__in=programs_run_by(user=user)).distinct()
    return twinnings.order_by("city_a__name", "city_b__name")


def programs_of_others(*, twinning: Twinning, user) -> int:
    """How many programs on the twinning ``user`` does not run (0 for a superuser)."""
    if user.is_superuser:
        return 0
    return Program.objects.filter(twinnings=twinning).exclude(officers=user).count()


def twinning_termination_reach(*, twinning: Twinning) -> dict[str, int]:
    """What a termination would end for good (the question before it): the twinning's
    active matches and its classroom exchanges still going (active or paused)."""
    return {
        "matches": Match.objects.filter(twinning=twinning, status=Match.Status.ACTIVE).count(),
        "exchanges": ClassroomExchange.objects.filter(
            twinning=twinning,
            status__in=(ClassroomExchange.Status.ACTIVE, ClassroomExchange.Status.PAUSED),
        ).count(),
    }


def user_can_act_on_twinning(*, user, twinning: Twinning) -> bool:
    """A superuser, or an officer who runs every program on the twinning: a change of
    status stops or restarts every program on it, and any officer may put a twinning in
    a program of their own, so one officer must not stop another's programs."""
    if user.is_superuser:
        return True
    return (programs_run_by(user=user).filter(twinnings=twinning).exists()
            and not programs_of_others(twinning=twinning, user=user))


def twinning_for_officer(*, user, twinning_id: int) -> Twinning | None:
    """The twinning if ``user`` may see it, else None (the view answers 404)."""
    return twinnings_for_officer(user=user).filter(pk=twinning_id).first()


def twinning_history(*, twinning: Twinning) -> list[TwinningStatusChange]:
    return list(
        TwinningStatusChange.objects.filter(twinning=twinning)
        .select_related("actor", "twinning__city_a", "twinning__city_b")
        .order_by("effective", "created_at", "id")
    )


def twinning_programs(*, twinning: Twinning, user) -> list[Program]:
    """The programs on this twinning that ``user`` runs (all of them for a superuser)."""
    return list(programs_run_by(user=user).filter(twinnings=twinning).order_by("name"))


def _side_name(twinning: Twinning | None, side: str | None) -> str:
    """The acting city's name, as the twinning's page shows it; the side's label when
    both cities or neither is known."""
    if twinning is not None and side == TwinningStatusChange.Side.CITY_A:
        return twinning.city_a.name
    if twinning is not None and side == TwinningStatusChange.Side.CITY_B:
        return twinning.city_b.name
    return _label(TwinningStatusChange.Side, side)


@dataclass(frozen=True)
class AuditEntry:
    """One line of the audit log: a lifecycle change or a matching run."""

    at: datetime
    kind: str  # "lifecycle" or "matching"
    actor: str
    what: str
    why: str
    detail: dict


# The log keeps every change for as long as the programs run: it is read a page at a time.
AUDIT_ENTRIES_PER_PAGE = 50


class _AuditLog:
    """The officer's lifecycle events and matching runs as one list, newest first, for
    a Paginator: ``count`` counts both; a slice reads only the newest ``stop`` rows of
    each (a page's rows are among them) and merges them."""

    def __init__(self, *, user):
        self.twinnings = {audit_target(t): t for t in twinnings_for_officer(user=user)}
        self.events = AuditEvent.objects.filter(
            verb__in=LIFECYCLE_VERBS, target__in=list(self.twinnings)
        )
        self.runs = MatchRun.objects.filter(program__in=programs_run_by(user=user))

    def count(self) -> int:
        return self.events.count() + self.runs.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[AuditEntry]:
        stop = index.stop
        events = list(self.events.select_related("actor").order_by("-created_at", "-pk")[:stop])
        runs = list(
            self.runs.select_related("program", "requested_by").order_by("-created_at", "-pk")
            [:stop]
        )
        # Read after the runs, as the program page does (selectors/metrics/access.py).
        hidden = runs_hidden_for(
            program_ids={run.program_id for run in runs})["runs_hidden"] if runs else {}
        entries = self._lifecycle(events) + [_run_entry(run, hidden.get(run.pk, {}))
                                             for run in runs]
        entries.sort(key=lambda entry: entry.at, reverse=True)
        return entries[index]

    def _lifecycle(self, events: list[AuditEvent]) -> list[AuditEntry]:
        # The history rows know how precise each date is (a data file may give only a month).
        changes = TwinningStatusChange.objects.in_bulk(
            [event.data["change"] for event in events if isinstance(event.data.get("change"), int)]
        )
        return [
            AuditEntry(
                at=event.created_at,
                kind="lifecycle",
                actor=_lifecycle_actor(event),
                what=_("%(twinning)s: %(from)s → %(to)s (effective %(effective)s, side: %(side)s)")
                % {
                    "twinning": event.data.get("twinning", event.target),
                    "from": _label(Twinning.Status, event.data.get("from")),
                    "to": _label(Twinning.Status, event.data.get("to")),
                    "effective": _effective_shown(event.data, changes),
                    "side": _side_name(self.twinnings.get(event.target), event.data.get("side")),
                },
                why=reason_shown(event.data.get("reason", ""),
                                 data_file=event.data.get("actor") == DATA_LOAD),
                detail=event.data,
            )
            for event in events
        ]


def _run_pairs(run: MatchRun, hidden: dict[str, str]) -> str:
    """The run's pairs and pool, or, where the small-count rule hides them (as the
    program page does), its marks: <5 for a count of 1 to 4 people, — for one hidden so
    that such a count cannot be worked out."""
    if not hidden:
        return ngettext(
            "%(pairs)s pair proposed from %(people)s participants",
            "%(pairs)s pairs proposed from %(people)s participants",
            run.pairs_count,
        ) % {"pairs": run.pairs_count, "people": run.participants_count}
    marks = {"small": "<5", "complementary": "—"}
    return _(
        "%(pairs)s pairs proposed from %(people)s participants (<5: a count of 1 to 4 "
        "people; —: hidden so that such a count cannot be worked out)"
    ) % {"pairs": marks[hidden["pairs_count"]],
         "people": marks.get(hidden.get("participants_count"), run.participants_count)}


def _run_entry(run: MatchRun, hidden: dict[str, str]) -> AuditEntry:
    return AuditEntry(
        at=run.created_at,
        kind="matching",
        actor=_name(run.requested_by) if run.requested_by_id else _("nightly schedule"),
        what=_("Matching run %(run)s of %(program)s: %(status)s, %(pairs)s")
        % {
            "run": run.pk, "program": run.program.name, "status": run.get_status_display(),
            "pairs": _run_pairs(run, hidden),
        },
        why=_run_failure(run),
        detail={"run": run.pk, "program": run.program.slug},
    )


def audit_log_page(*, user, number, per_page: int = AUDIT_ENTRIES_PER_PAGE) -> Page:
    """One page of every lifecycle change of the officer's twinnings and every matching
    run of their programs, newest first (a number out of range gives the nearest page;
    a fixed number of queries, reading at most ``number × per_page`` rows of each)."""
    return Paginator(_AuditLog(user=user), per_page).get_page(number)


def _effective_shown(data: dict, changes: dict[int, TwinningStatusChange]) -> str:
    """The event's effective date in the reader's date format."""
    change = changes.get(data.get("change"))
    if change is not None:
        return change.effective_display
    try:
        return date_format(date.fromisoformat(data["effective"]), "DATE_FORMAT")
    except (KeyError, TypeError, ValueError):
        return "?"


def _run_failure(run: MatchRun) -> str:
    """Why a run failed, in the reader's language: its stored ``error`` is the engine's
    or the database's English (for the log and the admin), never an officer's reading."""
    if run.status != MatchRun.Status.FAILED:
        return ""
    if run.workers_all_lost:
        return _(
            "The worker stopped during each of %(attempts)s attempts; nothing was stored. "
            "Run matching again. (Last sign of life %(when)s; if it stops again, the "
            "workers need more memory or time.)"
        ) % {"attempts": run.attempts,
             "when": date_format(localtime(run.heartbeat_at), "DATETIME_FORMAT")
             if run.heartbeat_at else "?"}
    return _(
        "The run stopped on an error; nothing was stored. Run matching again; if it fails "
        "again, an administrator finds the details in the run's record."
    )


def _lifecycle_actor(event: AuditEvent) -> str:
    if event.actor is None and event.data.get("actor") == DATA_LOAD:
        return _("data file")
    return _name(event.actor)


def _name(user) -> str:
    return _("deleted user") if user is None else user.public_name


def _label(choices, code: str | None) -> str:
    """A stored status or side code in the reader's words (the code itself if unknown)."""
    if code is None:
        return "?"
    return str(dict(choices.choices).get(code, code))
