"""Teachers moderating their pupils' rooms: read-only membership in every room of the
exchange, hiding a message, muting a member for a time, closing a room, and pupils'
reports going to both teachers.

Every moderation is audit-logged (AuditEvent) and its live effect is broadcast to the
room after commit (exchanges.realtime.broadcast), so every server process sees it.
"""

import datetime as dt
from smtplib import SMTPException

from celery import shared_task
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from exchanges.models import (
    AuditEvent,
    ClassroomExchange,
    Message,
    Report,
    Room,
    RoomMember,
    User,
)
from exchanges.pure.links import site_url
from exchanges.pure.text_safety import text_clean
from exchanges.realtime.broadcast import broadcast_to_room, send_to_member
from exchanges.realtime.protocol import (
    member_muted_event,
    member_unmuted_event,
    message_hidden_event,
)
from exchanges.selectors.interface_language import in_language_of
from exchanges.selectors.moderation import (
    exchange_rooms,
    exchange_teacher_ids,
    room_moderator_ids,
)
from exchanges.selectors.notification_text import Message as NoticeMessage
from exchanges.services.notifications import notification_create
from exchanges.services.rooms import room_close

MUTE_MAX = dt.timedelta(days=7)
CLOSE_REASON_MAX_LENGTH = 200


@transaction.atomic
def room_moderators_ensure(*, exchange: ClassroomExchange) -> int:
    """Both teachers of the exchange become moderators (read-only) of every room of it.

    Idempotent: call it whenever a room of the exchange is created (the class room, a
    pupil pair's room). A teacher who was a plain member is made a moderator. Returns
    how many memberships were added or changed.
    """
    teacher_ids = exchange_teacher_ids(exchange)
    changed = 0
    for room in exchange_rooms(exchange=exchange).only("pk"):
        existing = dict(
            RoomMember.objects.filter(room=room, user_id__in=teacher_ids).values_list(
                "user_id", "role"
            )
        )
        missing = [uid for uid in teacher_ids if uid not in existing]
        RoomMember.objects.bulk_create(
            [RoomMember(room=room, user_id=uid, role=RoomMember.Role.MODERATOR)
             for uid in missing],
            ignore_conflicts=True,
        )
        changed += len(missing)
        changed += RoomMember.objects.filter(
            room=room, user_id__in=teacher_ids, role=RoomMember.Role.MEMBER
        ).update(role=RoomMember.Role.MODERATOR)
    return changed


def _require_moderator(*, room: Room, user) -> None:
    if not RoomMember.objects.filter(
        room=room, user_id=user.pk, role=RoomMember.Role.MODERATOR
    ).exists():
        raise PermissionDenied(_("Only the teachers of this room can moderate it."))


def _audit(*, actor, verb: str, target: str, **data) -> AuditEvent:
    return AuditEvent.objects.create(actor=actor, verb=verb, target=target[:120], data=data)


@transaction.atomic
def message_hide(*, message: Message, by) -> Message:
    """A moderator hides a message: it disappears live for everyone (a placeholder is
    sent instead of its text from now on). Idempotent; audit-logged once."""
    message = Message.objects.select_for_update().get(pk=message.pk)
    _require_moderator(room=message.room, user=by)
    if message.hidden_at is None:
        message.hidden_at = timezone.now()
        message.hidden_by = by
        message.save(update_fields=["hidden_at", "hidden_by"])
        _audit(actor=by, verb="message.hide", target=f"message:{message.pk}",
               room=message.room_id, author=message.author_id)
        broadcast_to_room(room_id=message.room_id, payload=message_hidden_event(message.pk))
    return message


@transaction.atomic
def member_mute(*, room: Room, user_id: int, by, minutes: int) -> RoomMember:
    """A moderator mutes a member of the room for ``minutes`` (0 lifts the mute). The
    member's open sockets in the room hear of it at once, not at their next send."""
    _require_moderator(room=room, user=by)
    if not isinstance(minutes, int) or minutes < 0 or dt.timedelta(minutes=minutes) > MUTE_MAX:
        raise ValidationError(
            _("Mute for 0 to %(max)d minutes.") % {"max": int(MUTE_MAX.total_seconds() // 60)}
        )
    member = (
        RoomMember.objects.select_for_update()
        .filter(room=room, user_id=user_id, role=RoomMember.Role.MEMBER)
        .select_related("user")
        .first()
    )
    if member is None:
        raise ValidationError(_("Only a pupil of this room can be muted."))
    member.muted_until = timezone.now() + dt.timedelta(minutes=minutes) if minutes else None
    member.save(update_fields=["muted_until"])
    _audit(actor=by, verb="member.mute" if minutes else "member.unmute",
           target=f"room:{room.pk}", user=user_id, minutes=minutes)
    send_to_member(room_id=room.pk, user_id=user_id,
                   payload=member_muted_event(member.muted_until) if minutes
                   else member_unmuted_event())
    return member


@transaction.atomic
def room_moderate_close(*, room: Room, by, reason: str) -> Room:
    """A moderator closes the room: every socket closes (4410), history stays readable."""
    _require_moderator(room=room, user=by)
    # Members read the reason: overrides go, invisible text is no reason. Its length is
    # the stored text's (NFC can lengthen it), refused rather than cut short.
    reason = text_clean(reason)
    if len(reason) > CLOSE_REASON_MAX_LENGTH:
        raise ValidationError(_("The reason is longer than %(count)d characters.")
                              % {"count": CLOSE_REASON_MAX_LENGTH})
    reason = reason or "closed by a teacher"
    _audit(actor=by, verb="room.close", target=f"room:{room.pk}", reason=reason)
    return room_close(room=room, reason=reason)


@transaction.atomic
def report_resolve(*, report: Report, by) -> Report:
    """A moderator of the report's room marks it handled (audit-logged; idempotent)."""
    report = Report.objects.select_for_update().select_related("message__room").get(
        pk=report.pk
    )
    _require_moderator(room=report.message.room, user=by)
    if report.status != Report.Status.RESOLVED:
        report.status = Report.Status.RESOLVED
        report.resolved_at = timezone.now()
        report.save(update_fields=["status", "resolved_at"])
        _audit(actor=by, verb="report.resolve", target=f"report:{report.pk}",
               room=report.message.room_id)
        # The reporter hears that it was dealt with (not by whom, nor how).
        room = report.message.room
        notification_create(
            user=report.reporter, kind="room.report.handled",
            message=NoticeMessage.pgettext(
                "to a pupil", "A teacher has looked at the message you reported in "
                "“%(room)s”. Thank you for telling us."),
            params={"room": str(room)}, url=reverse("room_detail", args=[room.pk]),
        )
    return report


def report_notify_teachers(*, report: Report) -> int:
    """A report in a pupils' room goes to the room's moderators at once (both teachers
    of the exchange), never to officers: in the bell, and by e-mail when no other report
    in the room still waits (that one's e-mail already called them there). An adults'
    room has no moderator: its report goes to the platform's administrators, who handle
    it in the admin. Returns how many were notified."""
    room = report.message.room
    reporter = report.reporter
    moderator_ids = room_moderator_ids(room=room)
    if not moderator_ids:
        return _report_notify_admins(report=report)
    moderators = [uid for uid in moderator_ids if uid != reporter.pk]
    url = reverse("room_detail", args=[room.pk]) + f"#message-{report.message_id}"
    # Two reports racing in one room both see themselves first: twice, never no e-mail.
    first_waiting = not Report.objects.filter(
        message__room=room, status=Report.Status.OPEN).exclude(pk=report.pk).exists()
    for teacher in User.objects.filter(pk__in=moderators):
        notification_create(
            user=teacher, kind="room.report",
            # The room's title is quoted: a pair's title ends with a name's own "."
            message=gettext_noop("%(name)s reported a message in “%(room)s”: read it there "
                                 "and mark the report as handled."),
            params={"name": reporter.public_name, "room": str(room)}, url=url,
        )
        if first_waiting:
            report_waiting_email.delay_on_commit(report.pk, teacher.pk)
    return len(moderators)


def report_waiting_email_send(*, report_id: int, teacher_id: int) -> int:
    """E-mail a teacher that a report waits in a room they moderate: a link to the room's
    reports, no pupil's name, no message, no reason (an inbox is read outside the
    platform's care). Nothing once the report is handled or gone (deleted with a pupil's
    account), nor to someone no longer moderating the room."""
    report = Report.objects.select_related("message").filter(
        pk=report_id, status=Report.Status.OPEN).first()
    teacher = User.objects.filter(pk=teacher_id, is_active=True, is_pupil=False).first()
    if report is None or teacher is None or not teacher.email:
        return 0
    room_id = report.message.room_id
    if not RoomMember.objects.filter(room_id=room_id, user=teacher,
                                     role=RoomMember.Role.MODERATOR).exists():
        return 0
    # In the teacher's interface language: they read it away from any page.
    with in_language_of(teacher):
        subject, body = _report_email_text(room_id)
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [teacher.email])


def _report_email_text(room_id: int) -> tuple[str, str]:
    """The subject and body of a report's e-mail, in the active language."""
    subject = _("A pupil's report waits for you on Jumelage")
    body = (
        _("A pupil reported a message in a chat room you moderate. Read it on the room's "
          "page and mark the report as handled there:")
        + f"\n{site_url(reverse('room_detail', args=[room_id]) + '#room-reports')}\n\n"
        + _("This e-mail names no pupil and quotes nothing: the room's page shows what was "
            "reported once you are signed in.")
    )
    return subject, body


@shared_task(
    name="exchanges.tasks.report_waiting_email",
    autoretry_for=(SMTPException, OSError),
    retry_backoff=30,
    max_retries=5,
)
def report_waiting_email(report_id: int, teacher_id: int):
    """E-mail one teacher that a report waits. At-least-once, like all mail: an SMTP
    retry may re-send a message the server did accept."""
    return report_waiting_email_send(report_id=report_id, teacher_id=teacher_id)


def _report_notify_admins(*, report: Report) -> int:
    # Without names or text: the report itself, in the admin, says who and what.
    url = reverse("admin:exchanges_report_change", args=[report.pk])
    admins = list(User.objects.filter(is_superuser=True, is_active=True))
    for admin in admins:
        notification_create(
            user=admin, kind="room.report.admin",
            message=gettext_noop("A message was reported in a partners' chat room: read the "
                                 "report in the admin."),
            url=url,
        )
    return len(admins)
