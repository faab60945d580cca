"""Partner requests between classes: one teacher asks, the other accepts (a classroom
exchange starts, with its room), declines, or the asker withdraws."""


from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from exchanges.models import (
    Classroom,
    ClassroomExchange,
    PartnerRequest,
)
from exchanges.pure.partner_classes import MAX_AGE_GAP, age_gap, suggest
from exchanges.pure.text_safety import text_clean
from exchanges.selectors.classrooms import (
    active_twinning_between,
    class_record,
    classroom_program_for,
    live_exchange_between,
)
from exchanges.selectors.interface_language import in_language_of
from exchanges.selectors.teachers import teacher_is_approved
from exchanges.services.notifications import notification_create
from exchanges.services.rooms import room_open

TEXT_MAX = 1000  # PartnerRequest.message and .reply


def _typed(text: str, *, field: str) -> str:
    """The teacher's text, without direction overrides and stripped; refused rather than
    cut when it is too long."""
    text = text_clean(text).strip()
    if len(text) > TEXT_MAX:
        raise ValidationError({field: _(
            "Keep the message to %(max)s characters (it has %(count)s)."
        ) % {"max": TEXT_MAX, "count": len(text)}})
    return text


def _approved_teacher_of(classroom: Classroom, user) -> None:
    if classroom.teacher_id != user.pk:
        raise PermissionDenied(_("That is not your class."))
    if not teacher_is_approved(user=user):
        raise PermissionDenied(
            _("Your teacher application must be approved before you contact other classes.")
        )


@transaction.atomic
def partner_request_create(
    *, from_classroom: Classroom, to_classroom: Classroom, by, message: str = ""
) -> PartnerRequest:
    _approved_teacher_of(from_classroom, by)
    message = _typed(message, field="message")
    if to_classroom.teacher_id == by.pk or not teacher_is_approved(user=to_classroom.teacher):
        raise ValidationError(_("This class cannot be asked."))
    if active_twinning_between(
        city_a_id=from_classroom.city_id, city_b_id=to_classroom.city_id
    ) is None:
        raise ValidationError(_("The two cities have no active twinning."))
    if age_gap(class_record(from_classroom), class_record(to_classroom)) > MAX_AGE_GAP:
        raise ValidationError(_("The two age bands are more than %(years)s years apart.")
                              % {"years": MAX_AGE_GAP})
    # The pair's requests and exchange are read under its classes' locks: two teachers
    # asking each other at once would each find no request the other way.
    _classes_lock(from_classroom, to_classroom)
    if live_exchange_between(a=from_classroom, b=to_classroom) is not None:
        raise ValidationError(_("Your classes are partners already."))
    if PartnerRequest.objects.filter(from_classroom=from_classroom, to_classroom=to_classroom,
                                     status=PartnerRequest.Status.DECLINED).exists():
        # A decline is an answer: its teacher is not asked again and again by the same
        # class (as a declined match is not proposed again); they may still ask back.
        raise ValidationError(_("This class declined your request: its teacher may still "
                                "ask yours."))
    pending = PartnerRequest.objects.filter(status=PartnerRequest.Status.PENDING)
    if pending.filter(from_classroom=to_classroom, to_classroom=from_classroom).exists():
        raise ValidationError(_("This class has asked yours already: answer their request."))
    if pending.filter(from_classroom=from_classroom, to_classroom=to_classroom).exists():
        raise ValidationError(_("You have asked this class already."))
    # The explanation is stored for the asked class's teacher: written in their language.
    with in_language_of(to_classroom.teacher):
        (suggestion,) = suggest(
            class_record(from_classroom), [class_record(to_classroom)], today=timezone.localdate()
        )
    try:
        with transaction.atomic():
            request = PartnerRequest.objects.create(
                from_classroom=from_classroom, to_classroom=to_classroom,
                message=message, explanation=suggestion.explanation[:500],
            )
    except IntegrityError:  # the same request sent twice at once
        raise ValidationError(_("You have asked this class already.")) from None
    notification_create(
        user=to_classroom.teacher, kind="classroom.request",
        message=gettext_noop("%(from)s (%(city)s) asks %(to)s to be partner classes."),
        params={"from": str(from_classroom), "city": from_classroom.city.name,
                "to": to_classroom.name},
        url=reverse("classes"),
    )
    return request


def _classes_lock(a: Classroom, b: Classroom) -> None:
    """Lock the two classes' rows (in id order, as ``class_sessions.classes_lock`` does):
    whatever starts between two classes (a request either way, an exchange) waits for
    another doing the same, so a pair gets one of each."""
    list(Classroom.objects.select_for_update().filter(pk__in=(a.pk, b.pk)).order_by("pk")
         .values_list("pk", flat=True))


def _lock_pending(request: PartnerRequest) -> PartnerRequest:
    locked = PartnerRequest.objects.select_for_update().get(pk=request.pk)
    if not locked.is_pending:
        raise ValidationError(_("This request was already %(status)s.")
                              % {"status": locked.get_status_display().lower()})
    return locked


@transaction.atomic
def partner_request_accept(*, request: PartnerRequest, by, reply: str = "") -> ClassroomExchange:
    """Accepting starts the exchange inside the twinning (and the classroom program that
    covers it, if any) and opens the exchange's class room."""
    _approved_teacher_of(request.to_classroom, by)
    reply = _typed(reply, field="reply")
    # The classes before the request (as a request is created): two requests crossing
    # between them, accepted at once, would each find no exchange yet and start two.
    _classes_lock(request.from_classroom, request.to_classroom)
    request = _lock_pending(request)
    a, b = request.from_classroom, request.to_classroom
    twinning = active_twinning_between(city_a_id=a.city_id, city_b_id=b.city_id)
    if twinning is None:
        raise ValidationError(_("The two cities' twinning is no longer active."))
    # Checked again, as the twinning is: a class edited since the request (its age band)
    # or a teacher no longer approved does not bring children together.
    if age_gap(class_record(a), class_record(b)) > MAX_AGE_GAP:
        raise ValidationError(_("The two classes' age bands are now more than %(years)s years "
                                "apart: this request can no longer be accepted.")
                              % {"years": MAX_AGE_GAP})
    if not teacher_is_approved(user=a.teacher):
        raise ValidationError(_("The asking class's teacher is no longer approved: this "
                                "request can no longer be accepted."))
    if live_exchange_between(a=a, b=b) is not None:
        raise ValidationError(_("Your classes are partners already."))
    exchange = ClassroomExchange.objects.create(
        twinning=twinning, program=classroom_program_for(twinning=twinning),
        classroom_a=a, classroom_b=b, status=ClassroomExchange.Status.ACTIVE,
    )
    # Active as it is created: at the ``created_at`` its save stamps (a time read before
    # it would come first in the teachers' records).
    now = exchange.activated_at = exchange.created_at
    exchange.save(update_fields=["activated_at"])
    request.status = PartnerRequest.Status.ACCEPTED
    request.reply, request.decided_at, request.exchange = reply, now, exchange
    request.save(update_fields=["status", "reply", "decided_at", "exchange"])
    room_open(exchange=exchange)
    values = {"class": str(b), "city": b.city.name}
    if reply:
        message = gettext_noop(
            "%(class)s (%(city)s) accepted: your classes are partners. %(reply)s")
        values["reply"] = reply
    else:
        message = gettext_noop("%(class)s (%(city)s) accepted: your classes are partners.")
    notification_create(user=a.teacher, kind="classroom.accepted", message=message,
                        params=values, url=reverse("classes"))
    return exchange


@transaction.atomic
def partner_request_decline(*, request: PartnerRequest, by, reply: str = "") -> PartnerRequest:
    if request.to_classroom.teacher_id != by.pk:
        raise PermissionDenied(_("Only the asked class's teacher can decline."))
    reply = _typed(reply, field="reply")
    request = _lock_pending(request)
    request.status = PartnerRequest.Status.DECLINED
    request.reply, request.decided_at = reply, timezone.now()
    request.save(update_fields=["status", "reply", "decided_at"])
    recipient = request.from_classroom.teacher
    values = {"class": str(request.to_classroom)}
    if request.reply:
        message = gettext_noop("%(class)s declined your request: %(reply)s")
        values["reply"] = request.reply
    else:
        message = gettext_noop("%(class)s declined your request.")
    notification_create(user=recipient, kind="classroom.declined", message=message,
                        params=values, url=reverse("classes"))
    return request


@transaction.atomic
def partner_request_withdraw(*, request: PartnerRequest, by) -> PartnerRequest:
    if request.from_classroom.teacher_id != by.pk:
        raise PermissionDenied(_("Only the asking class's teacher can withdraw."))
    request = _lock_pending(request)
    request.status = PartnerRequest.Status.WITHDRAWN
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "decided_at"])
    return request
