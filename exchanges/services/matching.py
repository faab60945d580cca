"""Running the matching engine for a program: the only place that adapts records.

The engine (``matching/``) knows nothing of Django; this module turns the program's
eligible participants into the engine's JSON instance and its pairs back into proposed
Matches, recorded under one MatchRun.
"""

import logging
import time
from smtplib import SMTPException
from zoneinfo import ZoneInfo

from celery import shared_task
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from exchanges.models import Match, MatchRun, Notification, Participant, Program, Twinning
from exchanges.pure.links import site_url
from exchanges.pure.program_end import answerable_throughout
from exchanges.selectors.interface_language import in_language_of
from exchanges.selectors.matching import (
    matching_instance,
    matching_run_refusal,
    participants_with_free_capacity,
)
from exchanges.services.matching_lease import lease_claim, lease_held, lease_kept
from exchanges.services.notifications import notification_build

logger = logging.getLogger(__name__)


# A whole country's program can take minutes (capacities above 1 go through an LP):
# longer limits than the global ones, still bounded.
@shared_task(
    name="exchanges.tasks.matching_run", acks_late=True, soft_time_limit=1800, time_limit=1900
)
def matching_run(run_id: int) -> None:
    """Idempotent: a finished run, or one another live worker holds, is left as it is
    (see ``matching_run_execute``)."""
    matching_run_execute(run_id=run_id)


class MatchingRunInProgress(ValidationError):
    """The program already has a queued or running run: ``run``."""

    def __init__(self, run: MatchRun):
        self.run = run
        values = {
            "number": run.pk,
            "when": date_format(timezone.localtime(run.created_at), "DATETIME_FORMAT"),
        }
        if run.status == MatchRun.Status.RUNNING:
            message = _("Matching run %(number)s, requested %(when)s, is still running: "
                        "wait for its results below before you start another.") % values
        else:
            message = _("Matching run %(number)s, requested %(when)s, is queued: wait for "
                        "its results below before you start another.") % values
        super().__init__(message, code="matching_run_in_progress")


class MatchingRunRefused(ValidationError):
    """No run is open to the program (a classroom program, or one that has ended)."""

    def __init__(self, message: str):
        super().__init__(message, code="matching_run_refused")


def matching_run_request(*, program: Program, requested_by=None) -> MatchRun:
    """Queue a run unless the program takes none (``MatchingRunRefused``: a classroom
    program, or one that has ended) or one of its runs is queued or running (then raise
    ``MatchingRunInProgress``); the Celery task starts only once this transaction commits.

    Two runs at once would solve for the same free people and propose them twice. The
    program's row lock orders concurrent requests, and the database's partial unique
    constraint (``matchrun_one_in_progress_per_program``) holds even where the lock is
    not taken (SQLite ignores FOR UPDATE but serialises writers).
    """
    refusal = matching_run_refusal(program=program)
    if refusal:
        raise MatchingRunRefused(refusal)
    try:
        with transaction.atomic():
            Program.objects.select_for_update().only("pk").get(pk=program.pk)
            current = _run_in_progress(program)
            if current is not None:
                raise MatchingRunInProgress(current)
            run = MatchRun.objects.create(
                program=program, requested_by=requested_by, status=MatchRun.Status.QUEUED,
                heartbeat_at=timezone.now(),
            )
            matching_run.delay_on_commit(run.pk)
    except IntegrityError as exc:
        # Another request's run committed first (where the row lock is not taken).
        current = _run_in_progress(program)
        if current is None:
            raise
        raise MatchingRunInProgress(current) from exc
    return run


def _run_in_progress(program: Program) -> MatchRun | None:
    return MatchRun.objects.filter(
        program=program, status__in=[MatchRun.Status.QUEUED, MatchRun.Status.RUNNING]
    ).first()


def _twinning_lookup(program: Program) -> dict[tuple[int, int], Twinning]:
    lookup = {}
    for twinning in program.twinnings.filter(status=Twinning.Status.ACTIVE):
        lookup[(twinning.city_a_id, twinning.city_b_id)] = twinning
        lookup[(twinning.city_b_id, twinning.city_a_id)] = twinning
    return lookup


def matching_run_execute(*, run_id: int) -> MatchRun:
    """Run the engine for the run's program and store its proposals.

    Idempotent: a run that is done or failed, or that another live worker holds, is
    returned unchanged, so a re-delivered task does nothing. The worker holds the run's
    lease (``matching_lease``) while it works and stores its result only if it still
    holds it.
    """
    run, claimed = lease_claim(run_id=run_id)
    if not claimed:
        return run
    attempt = run.attempts
    program = run.program
    started = time.perf_counter()
    # The engine (numpy, scipy, OR-Tools: ~2 s to import) loads when first used, not
    # with every command, web process and worker that imports this module.
    import matching

    with lease_kept(run_id=run_id, attempt=attempt):
        try:
            free = participants_with_free_capacity(program=program)
            instance = matching_instance(program=program, free=free)
            with matching.process_tuning():  # process-wide settings: this worker owns it
                result = matching.solve(matching.instance_from_dict(instance))
        except Exception as exc:
            logger.exception("matching run %s failed", run_id)
            return _run_failed(run_id=run_id, attempt=attempt, error=str(exc))
        try:
            return _store_result(run_id=run_id, attempt=attempt, instance=instance,
                                 result=result, seconds=time.perf_counter() - started)
        except Exception as exc:
            # Recorded as a failure here: left running, the run would look to recovery
            # like one whose worker stopped, and be solved again into the same error.
            logger.exception("matching run %s: storing its result failed", run_id)
            return _run_failed(
                run_id=run_id, attempt=attempt,
                error=f"Storing the result failed: {exc}",
            )


def _run_failed(*, run_id: int, attempt: int, error: str) -> MatchRun:
    """Fail the run if this attempt still holds it (an error, not a stopped worker)."""
    MatchRun.objects.filter(
        pk=run_id, status=MatchRun.Status.RUNNING, attempts=attempt
    ).update(status=MatchRun.Status.FAILED, error=error[:2000], finished_at=timezone.now())
    return MatchRun.objects.get(pk=run_id)


def _live_pairs(*, program: Program) -> set[frozenset[int]]:
    """The pairs that already have a proposed or active match in the program (no
    ``IN (ids)``: SQLite caps bound parameters)."""
    rows = Match.objects.filter(
        program=program, status__in=[Match.Status.PROPOSED, Match.Status.ACTIVE],
    ).values_list("participant_a_id", "participant_b_id")
    return {frozenset(row) for row in rows}


@transaction.atomic
def _store_result(*, run_id: int, attempt: int, instance: dict, result,
                  seconds: float) -> MatchRun:
    run = lease_held(run_id=run_id, attempt=attempt)
    if run is None:
        # Recovery took this worker for dead and re-queued or failed the run meanwhile:
        # the run's current holder, not this one, stores a result.
        logger.warning("matching run %s: lease lost during attempt %s; result discarded",
                       run_id, attempt)
        return MatchRun.objects.get(pk=run_id)
    program = run.program
    twinnings = _twinning_lookup(program)
    ids = {int(pid) for pair in result.pairs for pid in (pair.a, pair.b)}
    # While the engine ran, people may have deleted their account, paused new matches or
    # moved, and a twinning may have been suspended: their pairs are not proposed.
    people = (Participant.objects.select_related("user", "city")
              .filter(matching_paused=False).in_bulk(ids))
    # A pair already proposed or active (say, by a run that finished meanwhile) is not
    # proposed again: the database allows one live match per pair.
    live = _live_pairs(program=program)
    now = timezone.now()
    matches = []
    already = 0
    for pair in result.pairs:
        a, b = people.get(int(pair.a)), people.get(int(pair.b))
        twinning = a and b and twinnings.get((a.city_id, b.city_id))
        if not twinning:
            continue
        # Someone who keeps their calendar in a zone other than their city's may reach
        # the program's end before the answer window closes: not proposed, as the run's
        # program filter leaves out a program whose cities would.
        if not answerable_throughout(end_date=program.end_date, zones=(a.zone, b.zone),
                                     now=now):
            continue
        if frozenset((a.pk, b.pk)) in live:
            already += 1
            continue
        live.add(frozenset((a.pk, b.pk)))
        matches.append(Match(
            program=program, run=run, twinning=twinning,
            participant_a=a, participant_b=b, score=pair.score, explanation=pair.explanation,
        ))
    dropped = len(result.pairs) - len(matches) - already
    Match.objects.bulk_create(matches, batch_size=2000)
    dashboard = reverse("dashboard")
    Notification.objects.bulk_create(
        [
            notification_build(
                user=person.user, kind="match.proposed", url=dashboard,
                message=PROPOSED_NOTICE,
                params={"name": match.partner_of(person).user.public_name},
            )
            for match in matches
            for person in match.members
        ],
        batch_size=2000,
    )
    match_proposed_emails.delay_on_commit(run.pk)
    run.status = MatchRun.Status.DONE
    run.parameters = {
        "kind": instance["kind"], "session_minutes": instance["session_minutes"],
        "period": instance["period"], "twinnings": len(instance["twinnings"]),
        "exclusions": len(instance["exclusions"]),
        "pairs_dropped": dropped,
        "pairs_already_live": already,
    }
    run.participants_count = len(instance["participants"])
    run.candidate_edges = int(result.stats.candidate_edges)
    run.pairs_count = len(matches)
    run.matched_places = result.matched_places - 2 * (dropped + already)
    run.unmatched_count = len(result.unmatched)
    run.total_score = (sum(match.score for match in matches) if dropped or already
                       else result.total_score)
    run.seconds = round(seconds, 3)
    run.finished_at = timezone.now()
    run.save()
    return run


PROPOSED_NOTICE = gettext_noop(
    "You have a proposed partner: %(name)s. Accept or decline on your dashboard.")


def match_proposed_emails_send(*, run_id: int) -> int:
    """E-mail everyone the run proposed a partner to (in-app notices are made with the
    matches); pupils have no e-mail. Only matches still waiting for an answer count.
    Someone who takes two or three partners gets one e-mail naming them all, not one
    per partner."""
    matches = (
        Match.objects.filter(run_id=run_id, status=Match.Status.PROPOSED)
        .select_related("participant_a__user", "participant_b__user", "participant_a__city",
                        "participant_b__city", "program")
        .order_by("pk")
    )
    proposed: dict[int, tuple[Participant, list[Match]]] = {}
    for match in matches:
        for person in match.members:
            if person.user.is_pupil or not person.user.email:
                continue
            proposed.setdefault(person.pk, (person, []))[1].append(match)
    emails = [
        EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL,
                     to=[person.user.email])
        for person, mine in proposed.values()
        for subject, body in [_proposed_email(person, mine)]
    ]
    if emails:
        get_connection(fail_silently=False).send_messages(emails)
    return len(emails)


def _proposed_email(person: Participant, matches: list[Match]) -> tuple[str, str]:
    """Subject and body in the person's language, times in their zone."""
    link = site_url(reverse("dashboard"))
    partners = [match.partner_of(person) for match in matches]
    answer_by = timezone.localtime(min(m.answer_by for m in matches), ZoneInfo(person.zone))
    with in_language_of(person.user):
        if len(partners) == 1:
            values = {"name": partners[0].user.public_name, "city": partners[0].city.name,
                      "program": matches[0].program.name, "link": link}
            subject = _("A partner for you in %(city)s: %(name)s") % values
            body = _(
                "The %(program)s matching run proposes %(name)s of %(city)s as your "
                "partner.\n\nSee why, and accept or decline, on your dashboard: %(link)s"
            ) % values
        else:
            values = {
                "count": len(partners), "program": matches[0].program.name, "link": link,
                "names": _(", ").join(p.user.public_name for p in partners),
                "partners": "\n".join(
                    _("%(name)s of %(city)s") % {"name": p.user.public_name,
                                                 "city": p.city.name}
                    for p in partners),
            }
            subject = ngettext("%(count)d partner for you: %(names)s",
                               "%(count)d partners for you: %(names)s", len(partners)) % values
            body = ngettext(
                "The %(program)s matching run proposes %(count)d partner:\n\n%(partners)s"
                "\n\nSee why, and accept or decline each, on your dashboard: %(link)s",
                "The %(program)s matching run proposes %(count)d partners:\n\n%(partners)s"
                "\n\nSee why, and accept or decline each, on your dashboard: %(link)s",
                len(partners),
            ) % values
        body += "\n\n" + _(
            "Answer by %(when)s (%(zone)s): a proposal not accepted by both by then lapses."
        ) % {"when": date_format(answer_by, "DATETIME_FORMAT"), "zone": person.zone}
    return subject, body


@shared_task(
    name="exchanges.tasks.match_proposed_emails",
    autoretry_for=(SMTPException, OSError),
    retry_backoff=30,
    max_retries=5,
)
def match_proposed_emails(run_id: int) -> int:
    """At-least-once, like all mail: a retry after an SMTP failure may repeat a message
    the server did accept."""
    return match_proposed_emails_send(run_id=run_id)


def matching_programs_due() -> list[int]:
    """Programs the nightly run covers: open ones whose proposals made now could be
    accepted until they lapse (``Program.takes_proposals``)."""
    now = timezone.now()
    return [
        program.pk for program in Program.objects.filter(is_open=True)
        .exclude(kind=Program.Kind.CLASSROOM)
        if program.in_nightly_matching(now)
    ]
