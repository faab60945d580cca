"""Pupils' data does not outlive their exchange: a set number of days after a classroom
exchange ends (``JUMELAGE_PUPIL_RETENTION_DAYS``, 90 by default) its pupils' accounts are
deleted, and with them their messages, corrections, reports, wall posts and images
(image files leave the storage after commit), and the notices in other people's bells
that name them. The officers' figures and the register keep counting them for the days
that are over, as anonymous counts (services/metrics_kept.py). A pupil whose class is
still in another exchange (live, or within its own retention) keeps the account; their
messages, wall posts and comments in the ended exchange go all the same, and they leave
its rooms and no longer read its wall (selectors/wall.py); its pupils' rooms, which stay
for the teachers, are titled after the exchange, naming no pupil. A
pupil who joined the class after the exchange ended was never in it, and keeps the
account.

A week before, both teachers are warned (notification and e-mail), exactly once: the
exchange's ExchangeRetention row is claimed with a conditional UPDATE, so overlapping
beat runs cannot warn twice. They can export the wall until the deletion.
"""

import datetime as dt
from smtplib import SMTPException

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, pgettext

from exchanges.models import (
    AuditEvent,
    ClassroomExchange,
    ExchangeRetention,
    Message,
    Participant,
    User,
    WallComment,
    WallImage,
    WallPost,
)
from exchanges.pure.links import site_url
from exchanges.selectors.interface_language import in_language_of
from exchanges.selectors.moderation import exchange_rooms
from exchanges.selectors.notification_text import date_param, pgettext_param
from exchanges.selectors.retention import (
    in_class_zone,
    retention_deletion_date,
    retention_period,
)
from exchanges.services.metrics_kept import counts_kept
from exchanges.services.notifications import (
    notification_create,
    notifications_naming_pupils_delete,
)
from exchanges.services.rooms import (
    pupil_rooms_retitle_neutral,
    pupil_rooms_retitle_without,
    pupils_leave_rooms,
)

WARNING_AHEAD = dt.timedelta(days=7)


def _ended():
    return ClassroomExchange.objects.filter(
        status=ClassroomExchange.Status.ENDED, ended_at__isnull=False
    )


# The format of a date in a sentence ("03 December 2026"): each language says its own.
LONG_DATE = pgettext_param("long date in a sentence (Django date format)", "d F Y")


def _long_date(when: dt.datetime) -> str:
    """A date as the active language writes it in a sentence ("03 December 2026")."""
    return date_format(when, pgettext("long date in a sentence (Django date format)", "d F Y"))


def _short_date(when: dt.datetime) -> str:
    return date_format(when, pgettext("short date in a subject (Django date format)", "d M Y"))


# --- The warning --------------------------------------------------------------------


def retention_warn_due(*, now: dt.datetime | None = None) -> int:
    """Warn the teachers of every exchange whose pupils' data goes within a week."""
    now = now or timezone.now()
    due = (
        _ended()
        .filter(ended_at__lte=now - retention_period() + WARNING_AHEAD)
        .exclude(retention__warned_at__isnull=False)
        .values_list("pk", flat=True)
    )
    return sum(retention_warn(exchange_id=pk, now=now) for pk in list(due))


@transaction.atomic
def retention_warn(*, exchange_id: int, now: dt.datetime) -> bool:
    """Warn both teachers once; False when someone else already did."""
    row, _created = ExchangeRetention.objects.get_or_create(exchange_id=exchange_id)
    claimed = ExchangeRetention.objects.filter(pk=row.pk, warned_at__isnull=True).update(
        warned_at=now
    )
    if not claimed:
        return False
    exchange = ClassroomExchange.objects.select_related(
        "classroom_a__teacher", "classroom_b__teacher", "classroom_a__city", "classroom_b__city"
    ).get(pk=exchange_id)
    for teacher in {exchange.classroom_a.teacher, exchange.classroom_b.teacher}:
        when = in_class_zone(retention_deletion_date(exchange), exchange, teacher.pk)
        notification_create(
            user=teacher, kind="retention.warning",
            message=gettext_noop(
                "On %(date)s the pupils' accounts, messages and wall posts of %(exchange)s "
                "are deleted. Export the wall before then if you want to keep it."
            ),
            params={"date": date_param(when, LONG_DATE), "exchange": str(exchange)},
            url=reverse("wall", args=[exchange.pk]),
        )
        retention_warning_email.delay_on_commit(exchange.pk, teacher.pk)
    return True


def retention_warning_email_send(*, exchange_id: int, teacher_id: int) -> int:
    exchange = ClassroomExchange.objects.select_related(
        "classroom_a__city", "classroom_b__city"
    ).get(pk=exchange_id)
    teacher = User.objects.get(pk=teacher_id)
    if teacher.is_pupil or not teacher.email:
        return 0
    when = in_class_zone(retention_deletion_date(exchange), exchange, teacher.pk)
    ended = in_class_zone(exchange.ended_at, exchange, teacher.pk)
    # In the teacher's interface language: they read it away from any page.
    with in_language_of(teacher):
        values = {"exchange": exchange, "ended": _long_date(ended), "date": _long_date(when)}
        body = (
            _("Your classroom exchange %(exchange)s ended on %(ended)s.") % values + "\n\n"
            + _("On %(date)s the pupils' accounts, their messages and their wall posts are "
                "deleted, as the platform promised their school.") % values + "\n\n"
            + _("To keep the wall (posts, comments and photos), export it before then:")
            + f"\n{site_url(reverse('wall_export', args=[exchange.pk]))}\n"
        )
        subject = _("Pupils' data of %(exchange)s is deleted on %(date)s") % {
            "exchange": exchange, "date": _short_date(when)}
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [teacher.email])


@shared_task(
    name="exchanges.tasks.retention_warning_email",
    autoretry_for=(SMTPException, OSError),
    retry_backoff=30,
    max_retries=5,
)
def retention_warning_email(exchange_id: int, teacher_id: int):
    """E-mail one teacher the warning. A retry after an SMTP failure may re-send a
    message the server did accept: at-least-once, like all mail."""
    return retention_warning_email_send(exchange_id=exchange_id, teacher_id=teacher_id)


# --- The deletion -------------------------------------------------------------------


def retention_purge_due(*, now: dt.datetime | None = None) -> int:
    """Delete the pupils' data of every exchange past its retention; pupils deleted."""
    now = now or timezone.now()
    due = (
        _ended()
        .filter(ended_at__lte=now - retention_period())
        .exclude(retention__purged_at__isnull=False)
        .values_list("pk", flat=True)
    )
    return sum(retention_purge(exchange_id=pk, now=now) for pk in list(due))


def _classes_still_needed(exchange: ClassroomExchange, now: dt.datetime) -> set[int]:
    """Classes of the exchange that are also in another exchange not yet past retention."""
    classes = exchange.classroom_ids
    others = (
        ClassroomExchange.objects.filter(Q(classroom_a_id__in=classes)
                                         | Q(classroom_b_id__in=classes))
        .exclude(pk=exchange.pk)
        .filter(Q(ended_at__isnull=True) | Q(ended_at__gt=now - retention_period()))
        .values_list("classroom_a_id", "classroom_b_id")
    )
    return {c for pair in others for c in pair if c in classes}


@transaction.atomic
def retention_purge(*, exchange_id: int, now: dt.datetime) -> int:
    """Delete the exchange's pupils' data (once); returns how many accounts went."""
    row, _created = ExchangeRetention.objects.get_or_create(exchange_id=exchange_id)
    row = ExchangeRetention.objects.select_for_update().get(pk=row.pk)
    if row.purged_at is not None:
        return 0
    exchange = ClassroomExchange.objects.get(pk=exchange_id)
    leaving = set(exchange.classroom_ids) - _classes_still_needed(exchange, now)
    # The exchange's pupils: one who joined the class after it ended (for the class's
    # next exchange) was never in it, and stays.
    pupils = User.objects.filter(is_pupil=True, participant__classroom_id__in=leaving,
                                 date_joined__lte=exchange.ended_at or now)
    pupils_here = User.objects.filter(is_pupil=True,
                                      participant__classroom_id__in=exchange.classroom_ids)
    posts = WallPost.objects.filter(Q(author__in=pupils) | Q(exchange=exchange,
                                                             author__in=pupils_here))
    # Their files leave the storage once this commits, as the rows go (services.wall).
    images = WallImage.objects.filter(post__in=posts).count()
    # Pupils who stay (their class is in another exchange) lose what they wrote here:
    # messages, and comments on the posts that stay (their teachers').
    Message.objects.filter(room__in=exchange_rooms(exchange=exchange),
                           author__in=pupils_here).delete()
    WallComment.objects.filter(post__exchange=exchange, author__in=pupils_here).delete()
    # ...and its rooms: the class room and the pupils' rooms stay for the teachers only.
    pupils_leave_rooms(rooms=exchange_rooms(exchange=exchange), users=pupils_here)
    posts.delete()
    deleted = pupils.count()
    notifications_naming_pupils_delete(pupils=pupils)
    pupil_rooms_retitle_without(users=pupils)  # their rooms of other exchanges too
    # This exchange's pupils' rooms name none of its pupils, even those who stay.
    pupil_rooms_retitle_neutral(rooms=_pupil_rooms(exchange), exchange=exchange)
    # The figures keep counting them, anonymously, for the days that are over.
    with counts_kept(participant_ids=Participant.objects.filter(user__in=pupils).values_list(
        "pk", flat=True
    ), now=now):
        pupils.delete()  # cascades: participant, messages, reports, pair matches and rooms
    row.purged_at = now
    row.pupils_deleted = deleted
    row.save(update_fields=["purged_at", "pupils_deleted"])
    AuditEvent.objects.create(actor=None, verb="retention.purge",
                              target=f"exchange:{exchange.pk}",
                              data={"pupils_deleted": deleted, "images_deleted": images})
    return deleted


def _pupil_rooms(exchange: ClassroomExchange):
    """The exchange's pupils' rooms: all its rooms but its class room."""
    return exchange_rooms(exchange=exchange).filter(exchange__isnull=True)
