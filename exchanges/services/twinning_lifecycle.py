"""Suspending, terminating and reactivating a twinning, with everything that follows.

One transaction per change: the status and its history row; proposed matches across the
twinning withdrawn; its open rooms closed (sockets get 4410 after commit, through
``room_close``); future sessions cancelled; classroom exchanges paused (suspension) or
ended (termination, which starts their pupils' retention clock); the partners and
teachers notified (in-app now, e-mail by a task enqueued on commit) and the pupils of the
exchanges in-app, in simple words; an audit event.
Reactivating reopens the rooms of matches and exchanges that are still going and says
what stays as it is. The platform never calls these by itself: people do.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from smtplib import SMTPException
from zoneinfo import ZoneInfo

from celery import shared_task
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import URLValidator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from exchanges.models import AuditEvent, Twinning, TwinningStatusChange, User
from exchanges.pure.links import site_url
from exchanges.pure.text_safety import BIDI_CONTROLS, text_clean
from exchanges.selectors.interface_language import in_language_of
from exchanges.selectors.lifecycle import DATA_LOAD, audit_target, user_can_act_on_twinning
from exchanges.services import twinning_cascade as cascade

Status = Twinning.Status
Side = TwinningStatusChange.Side
Origin = TwinningStatusChange.Origin

# Which statuses each action may start from.
ALLOWED_FROM = {
    Status.SUSPENDED: (Status.ACTIVE,),
    Status.TERMINATED: (Status.ACTIVE, Status.SUSPENDED),
    Status.ACTIVE: (Status.SUSPENDED, Status.TERMINATED),
}
# The earliest effective date of a recorded status change, whatever the start: the
# oldest twinnings still on record date from the 1920s on (a start such as Paderborn–Le
# Mans' 836 is no change), so anything earlier is a slip such as year 1 for 2001.
EARLIEST_CHANGE = dt.date(1900, 1, 1)
VERBS = {
    Status.SUSPENDED: "suspended",
    Status.TERMINATED: "terminated",
    Status.ACTIVE: "reactivated",
}


@dataclass
class LifecycleOutcome:
    """What one change did, for the officer's message and the audit event."""

    twinning_id: int
    change_id: int
    to_status: str
    proposals_withdrawn: int = 0
    matches_ended: int = 0
    rooms_closed: int = 0
    sessions_cancelled: int = 0
    exchanges_paused: int = 0
    exchanges_ended: int = 0
    rooms_reopened: int = 0
    exchanges_resumed: int = 0
    people_notified: int = 0
    # Counted in people_notified; in-app only (pupils have no e-mail).
    pupils_notified: int = 0
    # What reactivation cannot bring back, in sentences.
    not_reopened: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """What changed, in the active language (the officer's page)."""
        counts = [
            (self.proposals_withdrawn, ngettext(
                "%(count)s proposed match withdrawn", "%(count)s proposed matches withdrawn",
                self.proposals_withdrawn)),
            (self.matches_ended, ngettext(
                "%(count)s match ended", "%(count)s matches ended", self.matches_ended)),
            (self.rooms_closed, ngettext(
                "%(count)s room closed", "%(count)s rooms closed", self.rooms_closed)),
            (self.sessions_cancelled, ngettext(
                "%(count)s future session cancelled", "%(count)s future sessions cancelled",
                self.sessions_cancelled)),
            (self.exchanges_paused, ngettext(
                "%(count)s classroom exchange paused", "%(count)s classroom exchanges paused",
                self.exchanges_paused)),
            (self.exchanges_ended, ngettext(
                "%(count)s classroom exchange ended", "%(count)s classroom exchanges ended",
                self.exchanges_ended)),
            (self.rooms_reopened, ngettext(
                "%(count)s room reopened", "%(count)s rooms reopened", self.rooms_reopened)),
            (self.exchanges_resumed, ngettext(
                "%(count)s classroom exchange resumed", "%(count)s classroom exchanges resumed",
                self.exchanges_resumed)),
        ]
        done = [text % {"count": count} for count, text in counts if count]
        if not done:
            return _("nothing else to change")
        # Each language writes its own separator (Japanese lists with "、").
        return pgettext("separator between items of a list", "; ").join(done)

    def notes(self) -> str:
        """``not_reopened`` as one text (Japanese puts no space between sentences)."""
        return pgettext("separator between sentences", " ").join(self.not_reopened)


def _refusal(status_label: str, to_status: str) -> str:
    """Why the twinning (now ``status_label``) cannot move to ``to_status``."""
    values = {"status": status_label.lower()}
    if to_status == Status.SUSPENDED:
        return _("This twinning is %(status)s; it cannot be suspended.") % values
    if to_status == Status.TERMINATED:
        return _("This twinning is %(status)s; it cannot be terminated.") % values
    return _("This twinning is %(status)s; it cannot be reactivated.") % values


def action_refusal(*, twinning: Twinning, action: str) -> str:
    """Why ``action`` ("suspend", "terminate", "reactivate") is not open to the twinning
    as it is now: what a form sent from a page opened before another change hears."""
    to_status = {"suspend": Status.SUSPENDED, "terminate": Status.TERMINATED,
                 "reactivate": Status.ACTIVE}[action]
    return _refusal(str(twinning.get_status_display()), to_status)


def _validate(
    *, twinning: Twinning, by: User | None, to_status: str, reason: str, effective: dt.date,
    side: str, source: str,
) -> tuple[str, str]:
    # ``by`` is None for a data load (manage.py load_twinnings): the file is the authority.
    if by is not None and not user_can_act_on_twinning(user=by, twinning=twinning):
        raise PermissionDenied(
            _("Only a superuser, or an officer who runs every program on this twinning, "
              "can change it.")
        )
    if twinning.status not in ALLOWED_FROM[to_status]:
        raise ValidationError(_refusal(str(twinning.get_status_display()), to_status))
    # The reason is published in the register: overrides go, invisible text is no reason.
    reason = text_clean(reason)
    if not reason and by is not None:  # a data file's change may give none (FILE_REASON)
        raise ValidationError(
            {"reason": _("Say why: the reason is kept in the public history.")}
        )
    if not isinstance(effective, dt.date) or isinstance(effective, dt.datetime):
        raise ValidationError({"effective": _("The effective date must be a date.")})
    if effective > cities_today(twinning):
        raise ValidationError(
            {"effective": _("The effective date cannot be in the future: act on that day.")}
        )
    latest = twinning.status_changes.order_by("-effective").first()
    # Each floor named as precisely as its source has it ("1931" for a start known by its
    # year, as the page says "since 1931"), never with a day and weekday it lacks.
    floors = [(twinning.since, twinning.since_display)] if twinning.since else []
    if latest is not None:
        floors.append((latest.effective, latest.effective_display))
    floor, floor_shown = max(floors, key=lambda f: f[0], default=(None, ""))
    if effective < EARLIEST_CHANGE and (floor is None or floor < EARLIEST_CHANGE):
        raise ValidationError(
            {"effective": _(
                "The effective date cannot be before %(date)s: no twinning's status change "
                "is recorded earlier."
            ) % {"date": date_format(EARLIEST_CHANGE, "DATE_FORMAT")}}
        )
    if floor and effective < floor:
        raise ValidationError(
            {"effective": _(
                "The effective date cannot be before the twinning's start or its last "
                "recorded change (%(date)s)."
            ) % {"date": floor_shown}}
        )
    if side not in Side.values:
        raise ValidationError(
            {"side": _("Side must be one of %(sides)s.") % {"sides": ", ".join(Side.values)}}
        )
    source = (source or "").strip()
    if source:
        validate_url = URLValidator(schemes=["http", "https"])
        # The validator lets a direction override through: the register would show
        # another address than the one the link opens.
        if any(ch in BIDI_CONTROLS for ch in source):
            raise ValidationError({"source": validate_url.message}, code=validate_url.code)
        validate_url(source)
    return reason, source


def cities_today(twinning: Twinning) -> dt.date:
    """The later of today's dates in the twinning's two cities: a council's decision of
    this morning in Tokyo is not in the future while UTC is still on yesterday."""
    now = timezone.now()
    return max(
        timezone.localdate(now, ZoneInfo(city.tz)) for city in (twinning.city_a, twinning.city_b)
    )


def _change(
    *, twinning: Twinning, by: User | None, to_status: str, reason: str, effective: dt.date,
    side: str, source: str, precision: str = "day", note: str = "",
) -> LifecycleOutcome:
    twinning = (
        Twinning.objects.select_for_update(of=("self",))
        .select_related("city_a", "city_b")
        .get(pk=twinning.pk)
    )
    reason, source = _validate(
        twinning=twinning, by=by, to_status=to_status, reason=reason, effective=effective,
        side=side, source=source,
    )
    from_status = twinning.status
    twinning.status = to_status
    twinning.status_changed = effective
    twinning.status_changed_precision = precision
    twinning.save(update_fields=["status", "status_changed", "status_changed_precision"])
    change = TwinningStatusChange.objects.create(
        twinning=twinning, from_status=from_status, to_status=to_status, effective=effective,
        effective_precision=precision, side=side, reason=reason, source=source, actor=by,
        origin=Origin.DATA_FILE if by is None else Origin.PERSON,
    )
    outcome = LifecycleOutcome(twinning_id=twinning.pk, change_id=change.pk, to_status=to_status)
    now = timezone.now()
    if to_status == Status.ACTIVE:
        notified = cascade.twinning_resume(twinning=twinning, outcome=outcome, now=now)
    else:
        notified = cascade.twinning_halt(
            twinning=twinning, outcome=outcome, now=now, change=change,
            end_matches=to_status == Status.TERMINATED,
        )
    outcome.people_notified = len(notified) + outcome.pupils_notified
    for user_id in sorted(notified):
        twinning_change_email.delay_on_commit(change.pk, user_id)
    AuditEvent.objects.create(
        actor=by,
        verb=f"twinning.{VERBS[to_status]}",
        target=audit_target(twinning),
        data={
            "twinning": str(twinning),
            "from": from_status,
            "to": to_status,
            "effective": effective.isoformat(),
            "side": side,
            "reason": reason,
            "source": source,
            "change": change.pk,
            "outcome": asdict(outcome),
            **({"actor": DATA_LOAD, "note": note} if by is None else {}),
        },
    )
    return outcome


@transaction.atomic
def twinning_suspend(
    *, twinning: Twinning, by: User, reason: str, effective: dt.date,
    side: str = Side.UNKNOWN, source: str = "",
) -> LifecycleOutcome:
    """Pause the twinning: matching stops, rooms close, sessions are cancelled."""
    return _change(
        twinning=twinning, by=by, to_status=Status.SUSPENDED, reason=reason,
        effective=effective, side=side, source=source,
    )


@transaction.atomic
def twinning_terminate(
    *, twinning: Twinning, by: User, reason: str, effective: dt.date,
    side: str = Side.UNKNOWN, source: str = "",
) -> LifecycleOutcome:
    """End the twinning: as a suspension, and its active matches end too."""
    return _change(
        twinning=twinning, by=by, to_status=Status.TERMINATED, reason=reason,
        effective=effective, side=side, source=source,
    )


@transaction.atomic
def twinning_reactivate(
    *, twinning: Twinning, by: User, reason: str, effective: dt.date,
    side: str = Side.UNKNOWN, source: str = "",
) -> LifecycleOutcome:
    """Make the twinning active again and reopen what is still going (see the outcome's
    ``not_reopened`` for what is not)."""
    return _change(
        twinning=twinning, by=by, to_status=Status.ACTIVE, reason=reason,
        effective=effective, side=side, source=source,
    )


@transaction.atomic
def twinning_status_from_data(
    *, twinning: Twinning, to_status: str, effective: dt.date, precision: str, note: str,
    side: str, source: str,
) -> LifecycleOutcome:
    """A data file's new status for an existing twinning (manage.py load_twinnings),
    with the same cascade as an officer's action; the history row has no actor and the
    audit event says "data load", with the file's note. Without a note no reason is
    stored: the pages say the data file's (FILE_REASON) in the reader's language."""
    return _change(
        twinning=twinning, by=None, to_status=to_status, effective=effective,
        reason=note, side=side,
        source=source, precision=precision, note=note,
    )


LIFECYCLE_ACTIONS = {
    "suspend": twinning_suspend,
    "terminate": twinning_terminate,
    "reactivate": twinning_reactivate,
}
ACTION_STATUS = {
    "suspend": Status.SUSPENDED, "terminate": Status.TERMINATED, "reactivate": Status.ACTIVE,
}


def twinning_change_check(
    *, twinning: Twinning, by: User, action: str, reason: str, effective: dt.date,
    side: str = Side.UNKNOWN, source: str = "",
) -> None:
    """The checks of ``LIFECYCLE_ACTIONS[action]`` without the change: a termination is
    confirmed only once it would be recorded (a refusal after "yes" would waste the yes)."""
    _validate(
        twinning=twinning, by=by, to_status=ACTION_STATUS[action], reason=reason,
        effective=effective, side=side, source=source,
    )


def twinning_change_email_send(*, change_id: int, user_id: int) -> int:
    """E-mail one affected person about a twinning's change (what the task wraps)."""
    change = TwinningStatusChange.objects.select_related(
        "twinning__city_a", "twinning__city_b"
    ).get(pk=change_id)
    user = User.objects.get(pk=user_id)
    if user.is_pupil or not user.email:
        return 0
    with in_language_of(user):
        subject, body = _twinning_change_email_text(change)
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])


def _twinning_change_email_text(change: TwinningStatusChange) -> tuple[str, str]:
    """Subject and body, in the active language (the recipient's)."""
    values = {
        "twinning": str(change.twinning),
        "date": date_format(change.effective, "DATE_FORMAT"),
    }
    if change.to_status == Status.ACTIVE:
        subject = _("The twinning %(twinning)s is reactivated") % values
        news = _("The twinning %(twinning)s is reactivated as of %(date)s.") % values
        consequence = _(
            "Rooms of matches and class exchanges that are still going are open again. "
            "Sessions cancelled earlier stay cancelled: pick a new weekly slot."
        )
    else:
        if change.to_status == Status.TERMINATED:
            subject = _("The twinning %(twinning)s is terminated") % values
            news = _("The twinning %(twinning)s is terminated as of %(date)s.") % values
        else:
            subject = _("The twinning %(twinning)s is suspended") % values
            news = _("The twinning %(twinning)s is suspended as of %(date)s.") % values
        consequence = _(
            "Your room on this twinning is closed, proposed matches across it are "
            "withdrawn and your future sessions are cancelled."
        )
    reason = _("Reason: %(reason)s") % {"reason": change.reason_display}
    dashboard = _("Your dashboard: %(link)s") % {"link": site_url(reverse("dashboard"))}
    return subject, f"{news}\n{reason}\n\n{consequence}\n\n{dashboard}"


@shared_task(
    name="exchanges.tasks.twinning_change_email",
    autoretry_for=(SMTPException, OSError),
    retry_backoff=30,
    max_retries=5,
)
def twinning_change_email(change_id: int, user_id: int):
    """E-mail one affected person. At-least-once: a retry after an SMTP failure may
    re-send a message the server accepted."""
    return twinning_change_email_send(change_id=change_id, user_id=user_id)
