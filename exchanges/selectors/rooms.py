from exchanges.models import Room


def rooms_for_dashboard(*, participant) -> list[Room]:
    return list(Room.objects.filter(memberships__user_id=participant.user_id).order_by("-created_at"))
