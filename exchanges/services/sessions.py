"""One session of a match changes: cancelled, moved, or a move proposed and answered
(a whole series moves through a new slot, see services/slots.py; creating and stopping
a series is services/session_series.py); and the private calendar link.

Sessions are stored in UTC. A change bumps the iCalendar SEQUENCE, replaces the unsent
reminders, notifies the partner in-app (same transaction) and by e-mail (a Celery task
enqueued after commit).
"""

from __future__ import annotations

import datetime as dt
from smtplib import SMTPException
from zoneinfo import ZoneInfo

from celery import shared_task
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from exchanges.models import (
    Match,
    Participant,
    Reminder,
    Session,
)
from exchanges.models.people import new_calendar_token
from exchanges.models.sessions import reminder_rows
from exchanges.pure.links import site_url
from exchanges.pure.session_plans import plan_text
from exchanges.selectors.interface_language import in_language_of
from exchanges.selectors.notification_text import datetime_param
from exchanges.selectors.sessions import busy_times
from exchanges.services.notifications import notification_create
from exchanges.services.session_series import members_lock, program_lock, session_start_move

# --- Changing one session ----------------------------------------------------------


def _locked(session: Session) -> Session:
    """The session, locked, then both partners: a move checks their other sessions, and
    a new series of another of their matches takes the partners' rows before it checks
    (slot_confirm), so the two wait for each other. The program's (shared) lock comes
    first, as a change of its dates takes it: a move checks the dates that hold."""
    if session.match_id is not None:  # a match's program never changes
        program_lock(Match.objects.filter(pk=session.match_id)
                     .values_list("program_id", flat=True).first())
    session = (
        Session.objects.select_for_update(of=("self",))
        .select_related("match__program", "match__participant_a__user",
                        "match__participant_a__city", "match__participant_b__user",
                        "match__participant_b__city")
        .get(pk=session.pk)
    )
    if session.match is not None:
        members_lock(session.match)
    return session


def _check_changeable(session: Session, by: Participant, now: dt.datetime) -> Participant:
    match = session.match
    if match is None or not match.has_member(by):
        raise PermissionDenied(_("Only the two partners can change this session."))
    if not match.is_active:
        raise ValidationError(
            _("This partnership has ended: its sessions can no longer be changed.")
        )
    if session.status == Session.Status.CANCELLED and session.cancelled_by_id == by.pk:
        # A second tab or a late click: their own cancel, not the partner's.
        raise ValidationError(_("You already cancelled this session."))
    if session.status != Session.Status.SCHEDULED:
        raise ValidationError(_("This session is no longer scheduled."))
    if session.starts_at <= now:
        raise ValidationError(_("This session has already started."))
    return match.partner_of(by)


def _when(instant: dt.datetime, zone: str) -> dict:
    """A session's start in ``zone``, as the reader's language writes it ("Mon 7 Dec, 18:00")."""
    return datetime_param(instant, zone, "SHORT_DATETIME_FORMAT")


CHANGE_MESSAGES = {
    "move_proposed": gettext_noop(
        "%(name)s proposes to move your session of %(when)s to %(proposed)s "
        "(%(zone)s). Confirm or decline on your schedule."),
    "cancelled": gettext_noop("%(name)s cancelled your session on %(when)s."),
    "moved": gettext_noop("%(name)s moved your session to %(when)s (%(zone)s)."),
    "move_confirmed": gettext_noop(
        "%(name)s confirmed: your session is now on %(when)s (%(zone)s)."),
    "move_declined": gettext_noop(
        "%(name)s declined to move your session of %(when)s; it stays."),
}


def _change_params(session: Session, by: Participant, partner: Participant,
                   change: str) -> dict:
    values = {"name": by.user.public_name, "zone": partner.zone,
              "when": _when(session.starts_at, partner.zone)}
    if change == "move_proposed":
        values["proposed"] = _when(session.move_to, partner.zone)
    return values


def _notify_change(session: Session, by: Participant, partner: Participant, change: str) -> None:
    notification_create(
        user=partner.user,
        kind=f"session.{change}",
        message=CHANGE_MESSAGES[change],
        params=_change_params(session, by, partner, change),
        url=reverse("match_schedule", args=[session.match_id]),
    )
    # The times go with the task: a later change of the same session, made before the
    # queue gets to this e-mail, must not rename the time this one is about.
    proposed = session.move_to.isoformat() if change == "move_proposed" else None
    session_change_email.delay_on_commit(session.pk, partner.pk, change,
                                         session.starts_at.isoformat(), proposed)


@transaction.atomic
def session_cancel(*, session: Session, by: Participant, now: dt.datetime | None = None) -> Session:
    now = now or timezone.now()
    session = _locked(session)
    partner = _check_changeable(session, by, now)
    session.status = Session.Status.CANCELLED
    session.cancelled_by = by
    session.sequence += 1
    # A move still proposed goes with it (its e-mail, if not yet sent, then sends nothing).
    session.move_to, session.move_proposed_by = None, None
    session.save(update_fields=["status", "cancelled_by", "sequence", "move_to",
                                "move_proposed_by", "updated_at"])
    session.reminders.filter(sent_at__isnull=True).update(cancelled=True)
    _notify_change(session, by, partner, "cancelled")
    return session


# A session starts and ends inside these local hours for both partners: a move never
# lands in someone's night, whoever proposes it.
WAKING_HOURS = (dt.time(7, 0), dt.time(23, 0))


def _check_new_start(session: Session, new_start: dt.datetime, now: dt.datetime,
                     by: Participant) -> None:
    """Refusals name the ``new_start`` field: a page shows them beside the time typed,
    to ``by``."""
    if timezone.is_naive(new_start):
        raise _refused(_("The new start needs a time zone."))
    if new_start <= now:
        raise _refused(_("A session can only move to the future."))
    if new_start == session.starts_at:
        # The field starts with the session's own time: sent unchanged, it is a slip.
        raise _refused(_("That is the session's time already: pick another time."))
    program_start = session.match.program.start_date
    # A session stays inside the program: not before its first day on either partner's
    # calendar, as not on or after its end date.
    if any(new_start.astimezone(ZoneInfo(p.zone)).date() < program_start
           for p in session.match.members):
        raise _refused(
            _("The program starts on %(date)s: pick that day or later.")
            % {"date": formats.date_format(program_start, "DATE_FORMAT")}
        )
    last_day = session.match.program.last_day
    # The last day of the program's last week (the series stops after it), as either
    # partner's calendar has it, not as UTC's; named so, as the dashboard names it.
    if any(new_start.astimezone(ZoneInfo(p.zone)).date() > last_day
           for p in session.match.members):
        raise _refused(
            _("The program's last day is %(date)s: pick that day or earlier.")
            % {"date": formats.date_format(last_day, "DATE_FORMAT")}
        )
    minutes = dt.timedelta(minutes=session.minutes)
    for person in session.match.members:
        zone = ZoneInfo(person.zone)
        start, end = new_start.astimezone(zone), (new_start + minutes).astimezone(zone)
        earliest, latest = WAKING_HOURS
        if start.time() < earliest or end.date() != start.date() or end.time() > latest:
            # The whole session is named: a start inside the hours ("22:30") alone would
            # contradict "between 07:00 and 23:00" when its end falls outside them.
            text = (_("That is %(when)s–%(end)s for you (%(zone)s): a session starts and "
                      "ends between %(earliest)s and %(latest)s for both of you.")
                    if person.pk == by.pk else
                    _("That is %(when)s–%(end)s for %(name)s (%(zone)s): a session starts "
                      "and ends between %(earliest)s and %(latest)s for both of you."))
            raise _refused(text % {
                "when": formats.date_format(start, "l H:i"),
                "end": formats.time_format(end, "H:i"),
                "name": person.user.public_name, "zone": person.zone,
                "earliest": f"{earliest:%H:%M}", "latest": f"{latest:%H:%M}",
            })
    clash = Session.objects.filter(
        match_id=session.match_id,
        status=Session.Status.SCHEDULED,
        starts_at__lt=new_start + minutes,
        starts_at__gt=new_start - minutes,
    ).exclude(pk=session.pk)
    if clash.exists():
        raise _refused(_("Another session of this match is at that time."))
    # Either partner may meet someone else then (a person can have several partners).
    for busy in busy_times(participant_ids=(p.pk for p in session.match.members),
                           after=new_start, exclude_match_id=session.match_id):
        if busy.start < new_start + minutes:
            person = next(p for p in session.match.members if p.pk in busy.members)
            raise _refused(_("%(name)s is not free at that time: pick another time.")
                           % {"name": person.user.public_name})


def _refused(message: str) -> ValidationError:
    return ValidationError({"new_start": message})


@transaction.atomic
def session_move_propose(
    *, session: Session, by: Participant, new_start: dt.datetime, now: dt.datetime | None = None
) -> Session:
    """Propose to move one session; the partner confirms (a new proposal replaces one
    still pending). Refused in the past, after the program, or in either partner's night."""
    now = now or timezone.now()
    session = _locked(session)
    partner = _check_changeable(session, by, now)
    _check_new_start(session, new_start, now, by)
    if session.move_to == new_start and session.move_proposed_by_id == by.pk:
        return session  # sent again (a double click, a second tab): the partner was told
    session.move_to = new_start.astimezone(dt.UTC)
    session.move_proposed_by = by
    session.save(update_fields=["move_to", "move_proposed_by", "updated_at"])
    _notify_change(session, by, partner, "move_proposed")
    return session


@transaction.atomic
def session_move_answer(
    *, session: Session, by: Participant, accept: bool, move_to: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> Session:
    """The partner confirms (the session moves) or declines a proposed move. ``move_to``
    is the time the answering page showed: a page left open while the proposer changed
    the proposal answers nothing."""
    now = now or timezone.now()
    session = _locked(session)
    proposer = _check_changeable(session, by, now)
    if session.move_to is None:
        raise ValidationError(_("No move is proposed for this session."))
    if move_to is not None and move_to != session.move_to:
        raise ValidationError(
            _("The proposed time has changed since you opened the page: look at it again.")
        )
    if session.move_proposed_by_id == by.pk:
        raise PermissionDenied(_("Your partner confirms the move you proposed."))
    new_start, session.move_to, session.move_proposed_by = session.move_to, None, None
    session.save(update_fields=["move_to", "move_proposed_by", "updated_at"])
    if accept:
        _check_new_start(session, new_start, now, by)  # still free and in the future
        _apply_move(session, new_start, now)
    _notify_change(session, by, proposer, "move_confirmed" if accept else "move_declined")
    return session


@transaction.atomic
def session_move(
    *, session: Session, by: Participant, new_start: dt.datetime, now: dt.datetime | None = None
) -> Session:
    """Move one session to ``new_start`` (aware) at once; its reminders are replaced
    by the new start's. The pages move a session through a proposal the partner confirms."""
    now = now or timezone.now()
    session = _locked(session)
    partner = _check_changeable(session, by, now)
    _check_new_start(session, new_start, now, by)
    _apply_move(session, new_start, now)
    _notify_change(session, by, partner, "moved")
    return session


def _apply_move(session: Session, new_start: dt.datetime, now: dt.datetime) -> None:
    session_start_move(session, new_start)
    # Sent rows go too: one row per person and kind, so a reminder sent for the old start
    # would otherwise keep the new start from being reminded at all.
    session.reminders.all().delete()
    members = (session.match.participant_a_id, session.match.participant_b_id)
    Reminder.objects.bulk_create(reminder_rows(session, members, now), ignore_conflicts=True)


def session_change_email_send(*, session_id: int, recipient_id: int, change: str,
                              starts_at: str | None = None, proposed: str | None = None) -> int:
    """E-mail the partner about a cancelled or moved session (what the task wraps).
    ``starts_at`` and ``proposed`` (ISO 8601) are the session's start and the proposed
    start when the change was made; without them (a task queued before they were
    passed) the session's current ones. Nothing when the session or the recipient went
    with an account deleted since, nor for a proposed move already answered when the
    queue gets to it: the answer's own notice tells what happened, and this one would
    say the session moved."""
    session = Session.objects.select_related("match").filter(pk=session_id).first()
    recipient = Participant.objects.select_related("user", "city").filter(
        pk=recipient_id).first()
    if session is None or recipient is None:
        return 0
    if recipient.user.is_pupil or not recipient.user.email:
        return 0
    if change == "move_proposed" and session.move_to is None:
        return 0
    start = dt.datetime.fromisoformat(starts_at) if starts_at else session.starts_at
    to = dt.datetime.fromisoformat(proposed) if proposed else session.move_to
    with in_language_of(recipient.user):
        subject, body = _change_email(session, recipient, change, start=start, to=to)
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient.user.email])


def _change_email(session: Session, recipient: Participant, change: str, *,
                  start: dt.datetime, to: dt.datetime | None) -> tuple[str, str]:
    """The subject and body of a change e-mail, in the active language: the session
    starts at ``start``; ``to`` is the start a proposed move names."""
    local = start.astimezone(ZoneInfo(recipient.zone))
    values = {"day": formats.date_format(local, "MONTH_DAY_FORMAT"),
              "when": formats.date_format(local, "DATETIME_FORMAT"),
              "short": formats.date_format(local, "SHORT_DATETIME_FORMAT"),
              "zone": recipient.zone}
    if change == "cancelled":
        subject = _("Session on %(day)s cancelled") % values
        body = _("Your session on %(when)s (%(zone)s) is cancelled.") % values
    elif change == "move_proposed":
        to = to.astimezone(ZoneInfo(recipient.zone))
        values.update(to_short=formats.date_format(to, "SHORT_DATETIME_FORMAT"),
                      to=formats.date_format(to, "DATETIME_FORMAT"))
        subject = _("Move your session of %(day)s to %(to_short)s?") % values
        body = _("Your partner proposes to move your session of %(when)s to %(to)s "
                 "(%(zone)s). Confirm or decline on your schedule; until then the session "
                 "stays where it is.") % values
    elif change == "move_declined":
        subject = _("Session on %(day)s stays") % values
        body = _("Your partner declined the move: the session stays on %(when)s "
                 "(%(zone)s).") % values
    else:
        subject = _("Session moved to %(short)s") % values
        body = _("Your session now starts on %(when)s (%(zone)s).") % values
    body += "\n\n" + plan_text(session.language_plan) + "\n"
    body += _("Your calendar feed updates itself.")
    schedule = site_url(reverse("match_schedule", args=[session.match_id]))
    body += "\n\n" + _("Your schedule: %(url)s") % {"url": schedule}
    return subject, body


@shared_task(
    name="exchanges.tasks.session_change_email",
    autoretry_for=(SMTPException, OSError),
    retry_backoff=30,
    max_retries=5,
)
def session_change_email(session_id: int, recipient_id: int, change: str,
                         starts_at: str | None = None, proposed: str | None = None):
    """E-mail the partner about a cancelled or moved session. A retry after an SMTP
    failure may re-send a message the server did accept: at-least-once, like all mail."""
    return session_change_email_send(
        session_id=session_id, recipient_id=recipient_id, change=change,
        starts_at=starts_at, proposed=proposed,
    )


def calendar_token_rotate(*, participant: Participant) -> Participant:
    """A new secret calendar URL; the old one stops working at once."""
    participant.calendar_token = new_calendar_token()
    participant.save(update_fields=["calendar_token"])
    return participant
