"""The room page (history, composer, presence) and the block action."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from exchanges.models import Room
from exchanges.selectors.rooms import room_for_member, room_page, room_partner
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
    context = room_page(room=room, user=request.user)
    return render(request, "exchanges/rooms/detail.html", context)


@login_required
@require_POST
def room_block(request, room_id: int):
    room = _room_for_member(request, room_id)
    partner = room_partner(room=room, user=request.user)
    if partner is None:
        raise PermissionDenied("Only the two partners of a match can block each other.")
    block_create(blocker=request.user.participant, blocked=partner)
    messages.success(
        request, f"You blocked {partner}. The room is closed and you will not be matched again."
    )
    return redirect("room_detail", room_id=room.pk)
