"""A person closes their own account, and everything it holds goes with it: profile,
languages, interests, availability, matches with their rooms and messages, sessions,
reports, notifications, e-mail addresses. Partners of a live match are told, and the
room's open sockets close."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from exchanges.models import Match, Participant, Room, User
from exchanges.selectors.accounts import own_account_refusal
from exchanges.selectors.interface_language import in_language_of
from exchanges.selectors.participants import participant_for_user
from exchanges.services.notifications import notification_create
from exchanges.services.rooms import room_close


@transaction.atomic
def account_delete(*, user: User, password: str) -> None:
    """Delete ``user``'s account once their password confirms it is them."""
    refusal = own_account_refusal(user=user)
    if refusal:
        raise PermissionDenied(refusal)
    if not user.check_password(password):
        raise ValidationError({"password": _("That is not your password.")})
    participant = participant_for_user(user=user)
    if participant is not None:
        _live_matches_end(participant)
    user.delete()


def _live_matches_end(participant: Participant) -> None:
    live = (
        Match.objects.select_for_update()
        .filter(Q(participant_a=participant) | Q(participant_b=participant),
                status__in=[Match.Status.PROPOSED, Match.Status.ACTIVE])
        .select_related("participant_a__user", "participant_b__user")
    )
    name = participant.user.public_name
    for match in live:
        partner = match.partner_of(participant)
        for room in Room.objects.filter(match=match, status=Room.Status.OPEN):
            room_close(room=room, reason="left")
        with in_language_of(partner.user):
            text = _(
                "%(name)s has left Jumelage: your match has ended and its sessions are "
                "cancelled. You stay in the pool for the next run."
            ) % {"name": name}
        notification_create(user=partner.user, kind="match.left", text=text,
                            url=reverse("dashboard"))
