"""The room page (history, composer, presence), the list of one's rooms, the block action
and reporting."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from exchanges.models import Room
from exchanges.models.rooms import MESSAGE_MAX_LENGTH
from exchanges.realtime.protocol import message_event
from exchanges.selectors.chat import own_messages_by_client_id
from exchanges.selectors.rooms import room_for_member, room_page, room_partner, rooms_page
from exchanges.services import chat, chat_refusals
from exchanges.services.rooms import block_create


def _room_for_member(request, room_id: int) -> Room:
    # 404 for a room that exists and one that does not alike, so that room ids cannot
    # be enumerated (the room socket closes both with 4404).
    room = room_for_member(room_id=room_id, user=request.user)
    if room is None:
        raise Http404("No such room for you.")
    return room


@login_required
def room_detail(request, room_id: int):
    room = _room_for_member(request, room_id)
    # Older pages are for closed rooms: an open room's socket loads them (and would
    # replay everything after the last message shown).
    before = None if room.is_open else _before(request)
    context = room_page(room=room, user=request.user, before=before)
    # The composer checks a text against the service's limit, measured as the service
    # measures it, and warns in the service's words (static/js/room/text.js).
    context.update(message_max_length=MESSAGE_MAX_LENGTH,
                   too_long_text=chat_refusals.too_long_text(to_pupil=request.user.is_pupil),
                   report_max_length=chat_refusals.REPORT_MAX_LENGTH)
    return render(request, "exchanges/rooms/detail.html", context)


def _before(request) -> int | None:
    """``?before=<message id>``: the page of history before it (anything else: the newest)."""
    value = request.GET.get("before", "")
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 19 else None


# At most this many client ids in one lookup (a page rarely holds more than a few pending).
SENT_LOOKUP_MAX = 100


@login_required
def room_sent(request, room_id: int):
    """``?client_id=…`` (repeated): which of the asker's own pending messages the room
    saved, as ``message`` events. The page asks when its socket ended for good (the room
    closed, the account logged out) with messages still "sending…"; an open or a closed
    room alike. Nobody else's messages: another member's client ids find nothing."""
    room = _room_for_member(request, room_id)
    client_ids = [c for c in request.GET.getlist("client_id")[:SENT_LOOKUP_MAX] if c]
    found = own_messages_by_client_id(room=room, author_id=request.user.pk,
                                      client_ids=client_ids) if client_ids else []
    return JsonResponse({"messages": [message_event(m) for m in found]})


@login_required
def room_list(request):
    page = rooms_page(user=request.user, number=request.GET.get("page"))
    return render(request, "exchanges/rooms/list.html", {"page": page})


@login_required
@require_POST
def room_block(request, room_id: int):
    room = _room_for_member(request, room_id)
    partner = room_partner(room=room, user=request.user)
    if partner is None:
        raise PermissionDenied(_("Only the two partners of a match can block each other."))
    block_create(blocker=request.user.participant, blocked=partner)
    messages.success(
        request,
        _("You blocked %(name)s. Your upcoming sessions are cancelled, the room is closed "
          "and you will not be matched again.")
        % {"name": partner.user.public_name},  # never the e-mail str() falls back to
    )
    return redirect("room_detail", room_id=room.pk)


@login_required
@require_POST
def room_message_report(request, room_id: int, message_id: int):
    """Report a message over HTTP: the page's fallback when the room's socket is gone
    (a closed room) or JavaScript is off. Answers JSON to fetch, a redirect to a form."""
    room = _room_for_member(request, room_id)
    try:
        chat.message_report(room=room, reporter=request.user, message_id=message_id,
                            reason=request.POST.get("reason", ""))
    except chat.ChatError as exc:
        if exc.code == "not_found":
            raise Http404("No such message in this room.") from exc
        text = exc.text(to_pupil=request.user.is_pupil)
        if _wants_json(request):
            return JsonResponse({"code": exc.code, "detail": text}, status=400)
        messages.error(request, text)
    else:
        if _wants_json(request):
            return JsonResponse({"reported": message_id})
        messages.success(request, pgettext(
            "to a pupil", "Thank you for telling us: your teachers will look at it.")
            if request.user.is_pupil else
            _("Thank you: the message was reported to the moderators."))
    return redirect("room_detail", room_id=room.pk)


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")
