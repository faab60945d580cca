"""Session reminders: rows claimed by a beat task and sent exactly once.

Why rows and not ETA tasks: Redis re-delivers an ETA task that waits longer than the
visibility timeout, so a reminder scheduled days ahead would be sent several times.

Exactly-once, reasoned out
--------------------------
Each batch is one database transaction::

    BEGIN
      SELECT … FOR UPDATE SKIP LOCKED LIMIT n   -- claim: other workers skip these rows
      INSERT the in-app notifications; UPDATE reminder SET sent_at = now
      send the e-mails (one SMTP connection)
    COMMIT

* Two workers, or a retry running beside the original: a claimed row is locked until
  COMMIT, and SKIP LOCKED makes the other claimer take different rows; once committed,
  ``sent_at`` excludes it. So ``sent_at`` and the Notification row are exactly once:
  they commit together or not at all.
* A worker killed mid-batch: its connection drops, PostgreSQL rolls the transaction
  back, the locks go, and the next run re-claims the same rows. Nothing was marked and
  no notification was left behind.
* E-mail cannot join the transaction. It is sent after the database writes and right
  before COMMIT, so an SMTP failure rolls the batch back (retried later) and the only
  window for a duplicate is a worker dying between the SMTP hand-off and the COMMIT:
  then the batch's e-mails (at most ``batch_size``) go out again. E-mail is therefore
  at-least-once, with a duplicate window of one COMMIT. Every reminder e-mail carries a
  stable ``Message-ID`` (``<reminder-<id>@…>``), so mail systems that de-duplicate by
  Message-ID show such a duplicate once. Sending after COMMIT instead would make
  e-mail at-most-once (a crash could lose it); for a reminder, a rare duplicate is the
  better failure.

Rows on a rolling horizon
-------------------------
Confirming a slot creates only the reminder rows due within ``REMINDER_HORIZON`` (48 h);
``reminders_materialize``, run by the per-minute task right before it claims, creates
the rows of scheduled sessions as they enter the horizon. It keeps the rules of the
eager version: one row per (session, participant, kind) (the unique constraint, with
``ON CONFLICT DO NOTHING``), never for a cancelled session nor a match no longer active,
never a reminder already due (``send_at > now``, as at confirm time: a session confirmed
or moved 2 h ahead gets no 24 h reminder), and a moved session's rows are replaced by
``session_move`` itself.
The candidate sessions are locked (``FOR NO KEY UPDATE SKIP LOCKED``), so a move or a
cancel cannot commit between reading a session's start and inserting its rows: a row is
never created for a start that no longer exists. A row is created by the first run at
most 48 h before it is due, so the beat can be down for up to 48 h without a reminder
being lost (as before, late reminders are sent unless the session has ended).
Existence of a row does not change the exactly-once argument above: the claim is the
same.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from exchanges.models import Match, Notification, Participant, Reminder, Room, Session
from exchanges.models.sessions import REMINDER_OFFSETS
from exchanges.pure.links import site_url
from exchanges.pure.reminder_days import day_before_starts, too_early
from exchanges.pure.session_plans import plan_text
from exchanges.selectors.interface_language import in_language_of
from exchanges.selectors.notification_text import Message, datetime_param, gettext_param
from exchanges.services.notifications import notification_build
from exchanges.services.session_series import REMINDER_HORIZON

BATCH_SIZE = 10


def _today(reminder: Reminder, now: dt.datetime) -> bool:
    """Whether the session is on the recipient's today: a day-before reminder sent late
    (the workers were down into the session's day) says "today", not "tomorrow"."""
    zone = ZoneInfo(reminder.participant.zone)
    return reminder.session.starts_at.astimezone(zone).date() == now.astimezone(zone).date()


# A 15-minute reminder claimed within this long of being due is on time ("in 15 minutes").
ON_TIME = dt.timedelta(minutes=1, seconds=30)


def _minutes_left(reminder: Reminder, now: dt.datetime) -> int | None:
    """For a 15-minute reminder the workers send late, the whole minutes left before the
    start (0 once it has begun); None when it goes on time."""
    if now - reminder.send_at < ON_TIME:
        return None
    left = (reminder.session.starts_at - now).total_seconds()
    return max(0, round(left / 60))


def _text(reminder: Reminder, partner_name: str, now: dt.datetime) -> tuple[str, str]:
    session = reminder.session
    zone = reminder.participant.zone
    local = session.starts_at.astimezone(ZoneInfo(zone))
    values = {
        "name": partner_name, "time": f"{local:%H:%M}", "zone": zone,
        "when": formats.date_format(local, "DATETIME_FORMAT"),
        "minutes": session.minutes, "plan": plan_text(session.language_plan),
    }
    left = _minutes_left(reminder, now) if reminder.kind == Reminder.Kind.SOON else None
    if left == 0:
        subject = _("Session with %(name)s has started") % values
        body = _("Your session with %(name)s started at %(time)s (%(zone)s), "
                 "%(minutes)s minutes: %(plan)s.") % values
    elif left is not None:
        values["count"] = left
        subject = ngettext("Session with %(name)s in %(count)d minute",
                           "Session with %(name)s in %(count)d minutes", left) % values
        body = ngettext(
            "Your session with %(name)s starts in %(count)d minute (%(time)s %(zone)s), "
            "%(minutes)s minutes: %(plan)s.",
            "Your session with %(name)s starts in %(count)d minutes (%(time)s %(zone)s), "
            "%(minutes)s minutes: %(plan)s.", left) % values
    elif reminder.kind == Reminder.Kind.SOON:
        subject = _("Session with %(name)s in 15 minutes") % values
        body = _("Your session with %(name)s starts in 15 minutes (%(time)s %(zone)s), "
                 "%(minutes)s minutes: %(plan)s.") % values
    elif _today(reminder, now):
        subject = _("Session with %(name)s today, %(when)s") % values
        body = _("Your session with %(name)s starts today, %(when)s (%(time)s %(zone)s), "
                 "%(minutes)s minutes: %(plan)s.") % values
    else:
        subject = _("Session with %(name)s tomorrow, %(when)s") % values
        body = _("Your session with %(name)s starts tomorrow, %(when)s (%(time)s %(zone)s), "
                 "%(minutes)s minutes: %(plan)s.") % values
    return subject, body


def _notice(reminder: Reminder, partner_name: str | None,
            now: dt.datetime) -> tuple[str, dict]:
    """The in-app notice (the e-mail's subject), as a msgid and params."""
    name = partner_name or gettext_param(gettext_noop("your partner"))
    if reminder.kind == Reminder.Kind.SOON:
        left = _minutes_left(reminder, now)
        if left == 0:
            return gettext_noop("Session with %(name)s has started"), {"name": name}
        if left is not None:
            return Message.ngettext("Session with %(name)s in %(count)d minute",
                                    "Session with %(name)s in %(count)d minutes",
                                    "count"), {"name": name, "count": left}
        return gettext_noop("Session with %(name)s in 15 minutes"), {"name": name}
    when = datetime_param(reminder.session.starts_at, reminder.participant.zone,
                          "DATETIME_FORMAT")
    if _today(reminder, now):
        return gettext_noop("Session with %(name)s today, %(when)s"), {"name": name,
                                                                        "when": when}
    return gettext_noop("Session with %(name)s tomorrow, %(when)s"), {"name": name,
                                                                       "when": when}


def _message_id(reminder_id: int) -> str:
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(">") or "jumelage"
    return f"<reminder-{reminder_id}@{domain}>"


def _partner_id(reminder: Reminder) -> int:
    match = reminder.session.match
    a, b = match.participant_a_id, match.participant_b_id
    return b if reminder.participant_id == a else a


def _claim(now: dt.datetime, batch_size: int) -> list[Reminder]:
    return list(
        Reminder.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(
            sent_at__isnull=True,
            cancelled=False,
            send_at__lte=now,
            session__status=Session.Status.SCHEDULED,
            # An ended match's sessions are cancelled with it; this keeps a straggler
            # (one left scheduled by older code) from reminding anyone.
            session__match__status=Match.Status.ACTIVE,
        )
        .select_related("session__match", "participant__user", "participant__city")
        .order_by("send_at", "id")[:batch_size]
    )


@transaction.atomic
def reminders_send_batch(*, now: dt.datetime | None = None, batch_size: int = BATCH_SIZE) -> int:
    """Claim up to ``batch_size`` due reminders, notify, e-mail and mark them (one transaction).

    Returns how many rows were claimed (sent or dropped as stale).
    """
    now = now or timezone.now()
    batch = _claim(now, batch_size)
    if not batch:
        return 0
    match_ids = {r.session.match_id for r in batch}
    rooms = dict(Room.objects.filter(match_id__in=match_ids).values_list("match_id", "id"))
    partner_ids = {_partner_id(r) for r in batch}
    partners = {
        p.pk: p.user.public_name
        for p in Participant.objects.filter(pk__in=partner_ids).select_related("user")
    }
    notifications, emails, stale, waiting = [], [], [], []
    for reminder in batch:
        session = reminder.session
        if session.starts_at + dt.timedelta(minutes=session.minutes) <= now:
            stale.append(reminder.pk)  # workers were down past the session: say nothing
            continue
        if (reminder.kind == Reminder.Kind.DAY_BEFORE
                and now >= session.starts_at - REMINDER_OFFSETS[Reminder.Kind.SOON]):
            # Workers down through the day before: the 15-minute reminder, due too, says
            # it; one message, not "today" and "in 15 minutes" at once.
            stale.append(reminder.pk)
            continue
        zone = reminder.participant.zone
        if reminder.kind == Reminder.Kind.DAY_BEFORE and too_early(session.starts_at, zone,
                                                                   now):
            # Due 24 h before, which a spring-forward night puts two dates earlier.
            reminder.send_at = day_before_starts(session.starts_at, zone)
            waiting.append(reminder)
            continue
        user = reminder.participant.user
        room_id = rooms.get(session.match_id)
        url = (
            reverse("room_detail", args=[room_id]) if room_id
            else reverse("match_schedule", args=[session.match_id])
        )
        # The notice and the e-mail are written in the recipient's language.
        with in_language_of(user):
            partner_name = partners.get(_partner_id(reminder)) or _("your partner")
            subject, body = _text(reminder, partner_name, now)
            link = _("Join the room: %(url)s") if room_id else _("Your schedule: %(url)s")
            body += "\n\n" + link % {"url": site_url(url)}
        message, params = _notice(reminder, partners.get(_partner_id(reminder)), now)
        notifications.append(notification_build(
            user=user, kind="session.reminder", message=message, params=params, url=url,
        ))
        if reminder.participant.email_reminders and user.email and not user.is_pupil:
            emails.append(
                EmailMessage(
                    subject,
                    body,
                    settings.DEFAULT_FROM_EMAIL,
                    [user.email],
                    headers={
                        "Message-ID": _message_id(reminder.pk),
                        "X-Jumelage-Reminder": str(reminder.pk),
                    },
                )
            )
    Notification.objects.bulk_create(notifications)
    sent_ids = [r.pk for r in batch if r.pk not in stale and r not in waiting]
    Reminder.objects.bulk_update(waiting, ["send_at"])
    Reminder.objects.filter(pk__in=sent_ids).update(sent_at=now)
    Reminder.objects.filter(pk__in=stale).update(cancelled=True)
    if emails:
        # Last, right before COMMIT: see the module docstring.
        get_connection(fail_silently=False).send_messages(emails)
    return len(batch)


def reminders_materialize(
    *, now: dt.datetime | None = None, horizon: dt.timedelta = REMINDER_HORIZON
) -> int:
    """Create the missing reminder rows due in ``(now, now + horizon]`` (one transaction).

    Idempotent and safe beside another run (SKIP LOCKED, ON CONFLICT DO NOTHING); see
    the module docstring. Returns how many rows it tried to insert (0 when none were
    missing).
    """
    now = now or timezone.now()
    attempted = 0
    with transaction.atomic():
        for kind, delta in REMINDER_OFFSETS.items():
            have = Reminder.objects.filter(session=OuterRef("pk"), kind=kind)
            missing = (
                Session.objects.select_for_update(skip_locked=True, of=("self",), no_key=True)
                .filter(
                    status=Session.Status.SCHEDULED,
                    match__status=Match.Status.ACTIVE,
                    starts_at__gt=now + delta,  # send_at > now
                    starts_at__lte=now + horizon + delta,  # send_at <= now + horizon
                )
                .filter(
                    ~Exists(have.filter(participant_id=OuterRef("match__participant_a_id")))
                    | ~Exists(have.filter(participant_id=OuterRef("match__participant_b_id")))
                )
                .order_by()
                .values_list(
                    "pk", "starts_at", "match__participant_a_id", "match__participant_b_id"
                )
            )
            rows = [
                Reminder(session_id=sid, participant_id=pid, kind=kind, send_at=start - delta)
                for sid, start, a, b in missing
                for pid in (a, b)
            ]
            Reminder.objects.bulk_create(rows, batch_size=5000, ignore_conflicts=True)
            attempted += len(rows)
    return attempted


def reminders_send_due(
    *, now: dt.datetime | None = None, batch_size: int = BATCH_SIZE, max_batches: int = 100
) -> int:
    """Send every due reminder, batch after batch (each batch its own transaction).

    Only rows that exist are claimed: the beat task runs ``reminders_materialize`` first.
    """
    total = 0
    for _batch in range(max_batches):
        claimed = reminders_send_batch(now=now, batch_size=batch_size)
        total += claimed
        if claimed < batch_size:
            break
    return total


def reminders_email_set(*, participant: Participant, enabled: bool) -> Participant:
    """Turn reminder e-mails on or off (in-app reminders always stay)."""
    participant.email_reminders = enabled
    participant.save(update_fields=["email_reminders"])
    return participant
