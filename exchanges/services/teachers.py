"""Teacher applications: apply, approve, refuse; the teacher hears the decision in the
app and by e-mail (sent after commit by the task beside the service)."""

import re
from smtplib import SMTPException

from celery import shared_task
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from exchanges.models import City, Role, TeacherApplication
from exchanges.pure.links import site_url
from exchanges.pure.text_safety import NameRefused, name_clean, text_clean
from exchanges.selectors.interface_language import in_language_of
from exchanges.selectors.teachers import officer_covers_city, teacher_is_approved
from exchanges.selectors.twinnings import cities_with_active_twinning
from exchanges.services.notifications import notification_create
from exchanges.services.typed_text import name_checked

_DOMAIN = re.compile(r"^@?(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$", re.I)


def _clean_verification(value: str) -> str:
    value = value.strip()
    if _DOMAIN.match(value):
        return value.lstrip("@").lower()
    try:
        # URLValidator lets a direction override through, in the host and the path: the
        # officer would read another address than the one it opens.
        name_clean(value)
        URLValidator(schemes=["https", "http"])(value)
    except (ValidationError, NameRefused):
        raise ValidationError(
            {"verification": _("Give the school's e-mail domain (school.example) or a link to "
                               "its staff page (https://…).")}
        ) from None
    return value


@transaction.atomic
def teacher_apply(
    *, user, school: str, city: City, role_at_school: str, verification: str
) -> TeacherApplication:
    if user.is_pupil:
        raise PermissionDenied(_("Pupils cannot apply as teachers."))
    if teacher_is_approved(user=user):
        raise ValidationError(_("You are already an approved teacher."))
    if TeacherApplication.objects.select_for_update().filter(
        user=user, status=TeacherApplication.Status.PENDING
    ).exists():
        raise ValidationError(_("Your application is already waiting for a decision."))
    if not cities_with_active_twinning().filter(pk=city.pk).exists():
        raise ValidationError({"city": _("This city has no active twinning on Jumelage yet.")})
    if not school.strip():
        raise ValidationError({"school": _("Give your school's name.")})
    if not role_at_school.strip():
        raise ValidationError({"role_at_school": _("Say what you do at the school.")})
    school = name_checked(school, field="school")
    role_at_school = name_checked(role_at_school, field="role_at_school")
    verification = _clean_verification(verification)
    try:
        with transaction.atomic():
            return TeacherApplication.objects.create(
                user=user, school=school[:160], city=city, role_at_school=role_at_school[:80],
                verification=verification,
            )
    except IntegrityError:  # a second tab sent the same application at the same moment
        raise ValidationError(
            _("Your application is already waiting for a decision.")
        ) from None


def _decide(application: TeacherApplication, by, status: str, reason: str):
    if not officer_covers_city(user=by, city_id=application.city_id):
        raise PermissionDenied(_("Only an officer of a program covering this city can decide."))
    if application.user_id == by.pk:
        # Teachers read minors' rooms: nobody vets themselves.
        raise PermissionDenied(_("Your own application is decided by another officer."))
    locked = TeacherApplication.objects.select_for_update().get(pk=application.pk)
    if not locked.is_pending:
        status = locked.get_status_display().lower()
        raise ValidationError(_("This application was already %(status)s.") % {"status": status})
    locked.status = status
    locked.decided_by = by
    locked.decided_at = timezone.now()
    locked.reason = reason
    locked.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    return locked


@transaction.atomic
def teacher_application_approve(*, application: TeacherApplication, by) -> TeacherApplication:
    application = _decide(application, by, TeacherApplication.Status.APPROVED, "")
    application.user.groups.add(Group.objects.get_or_create(name=Role.TEACHER)[0])
    notification_create(user=application.user, kind="teacher.approved",
                        message=gettext_noop(
                            "You are approved as a teacher at %(school)s: create your class."),
                        params={"school": application.school},
                        url=reverse("classes"))
    teacher_decision_email.delay_on_commit(application.pk)
    return application


REASON_MAX = 500  # TeacherApplication.reason


@transaction.atomic
def teacher_application_refuse(
    *, application: TeacherApplication, by, reason: str
) -> TeacherApplication:
    reason = " ".join(text_clean(reason).split())
    if not reason:
        raise ValidationError({"reason": _("Say why, so the teacher can apply again.")})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": _(
            "Keep the reason to %(max)s characters (it has %(count)s)."
        ) % {"max": REASON_MAX, "count": len(reason)}})
    application = _decide(application, by, TeacherApplication.Status.REFUSED, reason)
    notification_create(user=application.user, kind="teacher.refused",
                        message=gettext_noop("Your teacher application was refused: %(reason)s"),
                        params={"reason": reason},
                        url=reverse("classes"))
    teacher_decision_email.delay_on_commit(application.pk)
    return application


def teacher_decision_email_send(*, application_id: int) -> int:
    application = TeacherApplication.objects.select_related("user").get(pk=application_id)
    user = application.user
    if user.is_pupil or not user.email:
        return 0
    values = {"role": application.role_at_school, "school": application.school,
              "reason": application.reason}
    with in_language_of(user):
        if application.is_approved:
            subject = _("You are approved as a teacher on Jumelage")
            body = _("Your application as %(role)s at %(school)s is approved. You can now "
                     "admit pupils and find a partner class.") % values
        else:
            subject = _("Your teacher application on Jumelage")
            body = _("Your application as %(role)s at %(school)s was refused: %(reason)s\n"
                     "You may apply again.") % values
    body += f"\n\n{site_url(reverse('classes'))}"
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])


@shared_task(
    name="exchanges.tasks.teacher_decision_email",
    autoretry_for=(SMTPException, OSError),
    retry_backoff=30,
    max_retries=5,
)
def teacher_decision_email(application_id: int):
    """E-mail the decision. At-least-once, like all mail: an SMTP retry may re-send."""
    return teacher_decision_email_send(application_id=application_id)
