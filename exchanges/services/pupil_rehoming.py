"""A pupil leaving their class (removed by the teacher): in each final pairing of their
class's going exchanges, the partners they would leave alone move into another group, so
nobody stays without a partner of the other class."""

from django.db import transaction

from exchanges.models import ClassroomExchange, Participant, PupilGroup, PupilPairing
from exchanges.selectors.pupil_pairing import GOING, going_exchanges_of_classroom, pairing_live
from exchanges.services.pupil_pairing import exchange_lock, group_join
from exchanges.services.rooms import room_close

# A closed pair room's reason, said in the reader's language (selectors.rooms).
PARTNER_LEFT = "partner left the class"


@transaction.atomic
def pupil_partners_rehome(*, leaving: Participant) -> int:
    """Before a pupil leaves their class: in each final pairing, the pupils of their group
    left with nobody of the other class move into the smallest other group (a pair
    becomes a trio, as for a pupil who joins later), so nobody stays without a partner
    for the rest of the exchange; proposed pairs that it would leave so are withdrawn, to
    be proposed again. Returns how many pupils moved."""
    moved = 0
    # Paused exchanges too: they resume with their twinning, and a pupil left alone then
    # would have a room with nobody of the other class.
    for exchange in sorted(going_exchanges_of_classroom(classroom_id=leaving.classroom_id),
                           key=lambda exchange: exchange.pk):
        # Under the lock a confirmation holds: final pairs are not withdrawn as proposed.
        exchange = exchange_lock(exchange)
        if exchange.status not in GOING:
            continue  # ended meanwhile: its pairs stay as they were
        pairing = pairing_live(exchange=exchange)
        if pairing is None:
            continue
        groups = list(pairing.groups.all())
        left = next((g for g in groups if leaving in g.members.all()), None)
        if left is None:
            continue
        rest = [m for m in left.members.all() if m.pk != leaving.pk]
        if len({m.classroom_id for m in rest}) > 1:
            continue  # a trio keeps a pair of the two classes
        if pairing.is_proposed:
            # Not final: confirmed as it is, it would give a pupil a room with nobody of
            # the other class. The teachers propose again (the page offers it).
            pairing.status = PupilPairing.Status.REPLACED
            pairing.save(update_fields=["status"])
            continue
        others = [g for g in groups if g.pk != left.pk]
        for pupil in rest if others else []:
            group = min(others, key=lambda g: (len(g.members.all()), g.pk))
            left.members.remove(pupil)
            group_join(group, pupil, paused=exchange.status == ClassroomExchange.Status.PAUSED)
            # Its new size counts when the next pupil picks the smallest group.
            group = PupilGroup.objects.prefetch_related("members__user").get(pk=group.pk)
            others = [group if g.pk == group.pk else g for g in others]
            moved += 1
        if others and rest:
            # The old pair's room keeps its history, closed; the group is gone with it.
            if left.room is not None:
                room_close(room=left.room, reason=PARTNER_LEFT)
            left.delete()
    return moved
