"""A person closes their own account, and everything it holds goes with it: profile,
languages, interests, availability, matches with their rooms and messages, sessions,
reports, notifications, e-mail addresses. Partners of a live match are told (here, and
by e-mail after commit: their upcoming sessions with that person are gone), the room's
open sockets close, partners' notices lose their links to the pages that go, and blocks
against the person outlive the account as digests."""

from smtplib import SMTPException

from allauth.account.models import EmailAddress
from celery import shared_task
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from exchanges.models import (
    Block,
    BlockedAddress,
    Match,
    Notification,
    Participant,
    Room,
    Session,
    User,
)
from exchanges.pure.address_digest import address_digest
from exchanges.pure.links import site_url
from exchanges.selectors.accounts import own_account_refusal
from exchanges.selectors.interface_language import in_language_of
from exchanges.selectors.participants import participant_for_user
from exchanges.services.account_delete_limits import signed_in_password_refusal
from exchanges.services.metrics import metrics_lock
from exchanges.services.metrics_kept import counts_kept
from exchanges.services.notifications import notification_create
from exchanges.services.participants import pool_words
from exchanges.services.rooms import room_close


@transaction.atomic
def account_delete(*, user: User, password: str) -> None:
    """Delete ``user``'s account once their password confirms it is them."""
    refusal = own_account_refusal(user=user)
    if refusal:
        raise PermissionDenied(refusal)
    refused = signed_in_password_refusal(user=user, password=password)
    if refused:
        raise ValidationError({"password": refused})
    participant = participant_for_user(user=user)
    if participant is not None:
        # Before the matches and sessions: a settle holding them would wait on it while
        # the deletion waited on them (metrics.metrics_lock).
        metrics_lock()
        _live_matches_end(participant)
        _blocks_carry(participant)
        _partner_links_drop(participant)
    # Erasure takes the person's data, not the anonymous counts of days that are over:
    # past figures keep counting them (services/metrics_kept.py).
    with counts_kept(participant_ids=[participant.pk] if participant else []):
        user.delete()


def _partner_links_drop(participant: Participant) -> None:
    """Partners' notifications that link to the pages of a match going with the account
    (its schedule, its room) keep their text and lose the link, which would answer 404.
    Dropped rather than pointed at the dashboard: the text ("Carol proposes Mondays…")
    stays true as a record, but no page behind it does."""
    matches = Match.objects.filter(Q(participant_a=participant) | Q(participant_b=participant))
    urls = [reverse("match_schedule", args=[pk]) for pk in matches.values_list("pk", flat=True)]
    urls += [reverse("room_detail", args=[pk])
             for pk in Room.objects.filter(match__in=matches).values_list("pk", flat=True)]
    if urls:
        Notification.objects.filter(url__in=urls).exclude(user=participant.user).update(url="")


def _blocks_carry(participant: Participant) -> None:
    """Blocks against the person outlive the account as digests of their addresses, so
    signing up again with one of them does not undo a block."""
    user = participant.user
    addresses = {user.email,
                 *EmailAddress.objects.filter(user=user).values_list("email", flat=True)}
    digests = {address_digest(address) for address in addresses if address}
    BlockedAddress.objects.bulk_create(
        [BlockedAddress(blocker_id=blocker_id, digest=digest)
         for blocker_id in Block.objects.filter(blocked=participant).values_list(
             "blocker_id", flat=True)
         for digest in digests],
        ignore_conflicts=True,
    )


def _live_matches_end(participant: Participant) -> None:
    live = (
        Match.objects.select_for_update()
        .filter(Q(participant_a=participant) | Q(participant_b=participant),
                status__in=[Match.Status.PROPOSED, Match.Status.ACTIVE])
        .select_related("participant_a__user", "participant_b__user")
        .order_by("pk")
    )
    name = participant.user.public_name
    for match in live:
        partner = match.partner_of(participant)
        for room in Room.objects.filter(match=match, status=Room.Status.OPEN):
            room_close(room=room, reason="left")
        notification_create(
            user=partner.user, kind="match.left",
            # A proposal has no sessions to cancel.
            message=pool_words(
                partner,
                staying=gettext_noop(
                    "%(name)s has left Jumelage, so your proposed match with them has ended. "
                    "You stay in the pool for the next run."),
                paused=gettext_noop(
                    "%(name)s has left Jumelage, so your proposed match with them has ended. "
                    "New matches are paused for you: resume them on your dashboard when you "
                    "are ready."),
                closed=gettext_noop(
                    "%(name)s has left Jumelage, so your proposed match with them has ended. "
                    "No matching run can propose you a new partner for now: none of your "
                    "programs is open for matching in your city."),
            ) if match.status == Match.Status.PROPOSED else pool_words(
                partner,
                staying=gettext_noop(
                    "%(name)s has left Jumelage: your match has ended and its sessions are "
                    "cancelled. You stay in the pool for the next run."),
                paused=gettext_noop(
                    "%(name)s has left Jumelage: your match has ended and its sessions are "
                    "cancelled. New matches are paused for you: resume them on your dashboard "
                    "when you are ready."),
                closed=gettext_noop(
                    "%(name)s has left Jumelage: your match has ended and its sessions are "
                    "cancelled. No matching run can propose you a new partner for now: none of "
                    "your programs is open for matching in your city."),
            ),
            params={"name": name}, url=reverse("dashboard"),
        )
        upcoming = Session.objects.filter(
            match=match, status=Session.Status.SCHEDULED, starts_at__gt=timezone.now()
        ).count()
        if upcoming:
            # The rows go with the account: the task gets what the e-mail says.
            partner_left_email.delay_on_commit(partner.pk, name, upcoming)


def partner_left_email_send(*, recipient_id: int, name: str, upcoming: int) -> int:
    """E-mail a partner whose upcoming sessions went with the other's account."""
    recipient = Participant.objects.select_related("user").filter(pk=recipient_id).first()
    if recipient is None or recipient.user.is_pupil or not recipient.user.email:
        return 0
    with in_language_of(recipient.user):
        subject = _("%(name)s has left Jumelage") % {"name": name}
        # Read when sent: a pause since the deletion is what holds now.
        body = pool_words(
            recipient,
            staying=ngettext(
                "%(name)s has deleted their account, so your match has ended and your "
                "upcoming session with them is cancelled. You stay in the pool for the next "
                "run.",
                "%(name)s has deleted their account, so your match has ended and your "
                "%(count)s upcoming sessions with them are cancelled. You stay in the pool for "
                "the next run.",
                upcoming),
            paused=ngettext(
                "%(name)s has deleted their account, so your match has ended and your "
                "upcoming session with them is cancelled. New matches are paused for you: "
                "resume them on your dashboard when you are ready.",
                "%(name)s has deleted their account, so your match has ended and your "
                "%(count)s upcoming sessions with them are cancelled. New matches are paused "
                "for you: resume them on your dashboard when you are ready.",
                upcoming),
            closed=ngettext(
                "%(name)s has deleted their account, so your match has ended and your "
                "upcoming session with them is cancelled. No matching run can propose you a "
                "new partner for now: none of your programs is open for matching in your city.",
                "%(name)s has deleted their account, so your match has ended and your "
                "%(count)s upcoming sessions with them are cancelled. No matching run can "
                "propose you a new partner for now: none of your programs is open for matching "
                "in your city.",
                upcoming),
        ) % {"name": name, "count": upcoming}
        body += "\n\n" + _("Your dashboard: %(url)s") % {"url": site_url(reverse("dashboard"))}
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient.user.email])


@shared_task(
    name="exchanges.tasks.partner_left_email",
    autoretry_for=(SMTPException, OSError),
    retry_backoff=30,
    max_retries=5,
)
def partner_left_email(recipient_id: int, name: str, upcoming: int):
    """E-mail the partner of a person who deleted their account (at-least-once, like all
    mail)."""
    return partner_left_email_send(recipient_id=recipient_id, name=name, upcoming=upcoming)
