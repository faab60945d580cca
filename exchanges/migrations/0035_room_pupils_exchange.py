"""A pupils' room (a pair's or a trio's) records its classroom exchange
(``Room.pupils_exchange``): ``selectors.moderation.exchange_rooms`` recognised such a room
by its members, so a room of the same two classes' next exchange whose group a removal
dissolved was taken for the first exchange's, and its purge deleted that room's messages.

The existing pupils' rooms (neither a match's nor a class room) are filled in where their
exchange is known for certain:

- a room with its pupil group takes the group's exchange;
- a room whose group a removal dissolved takes the one exchange that fits it: its two
  classes hold every pupil still in the room, both its teachers are the room's
  moderators (a pupils' room is opened with both), it had a pupil pairing by the time
  the room opened, and the room opened while it ran (not before it was created, not
  after it ended).

A dissolved group's room that more than one exchange fits (the same classes in two
exchanges at once), or none (its exchange deleted, a class's teacher changed since), is
left as it is, of no exchange: no purge deletes the messages its staying pupils wrote
there (a deleted pupil's go with the account), rather than a purge of the wrong exchange.
"""

import django.db.models.deletion
from django.db import migrations, models

BATCH = 500  # SQLite caps bound parameters


def _update(Room, by_exchange: dict[int, list[int]]) -> None:
    for exchange_id, room_ids in by_exchange.items():
        for start in range(0, len(room_ids), BATCH):
            Room.objects.filter(pk__in=room_ids[start:start + BATCH]).update(
                pupils_exchange_id=exchange_id)


def _dissolved_groups_exchange(apps, room_id: int, opened) -> int | None:
    """The one exchange that fits a room whose group is gone, or None."""
    ClassroomExchange = apps.get_model("exchanges", "ClassroomExchange")
    RoomMember = apps.get_model("exchanges", "RoomMember")
    members = RoomMember.objects.filter(room_id=room_id)
    if members.filter(role="member", user__is_pupil=False).exists():
        return None  # not a pupils' room
    classes = set(members.filter(user__is_pupil=True)
                  .values_list("user__participant__classroom_id", flat=True))
    if None in classes:
        return None
    moderators = set(members.filter(role="moderator").values_list("user_id", flat=True))
    candidates = (
        ClassroomExchange.objects.filter(created_at__lte=opened,
                                         pupil_pairings__created_at__lte=opened)
        .filter(models.Q(ended_at__isnull=True) | models.Q(ended_at__gte=opened))
        .values_list("pk", "classroom_a_id", "classroom_b_id",
                     "classroom_a__teacher_id", "classroom_b__teacher_id")
        .distinct()
    )
    if classes:
        candidates = candidates.filter(
            models.Q(classroom_a_id__in=classes) | models.Q(classroom_b_id__in=classes))
    else:
        candidates = candidates.filter(classroom_a__teacher_id__in=moderators,
                                       classroom_b__teacher_id__in=moderators)
    fitting = {pk for pk, a, b, teacher_a, teacher_b in candidates
               if classes <= {a, b} and {teacher_a, teacher_b} <= moderators}
    return fitting.pop() if len(fitting) == 1 else None


def forwards(apps, schema_editor):
    Room = apps.get_model("exchanges", "Room")
    rooms = Room.objects.filter(match__isnull=True, exchange__isnull=True,
                                pupils_exchange__isnull=True)
    grouped: dict[int, list[int]] = {}
    for room_id, exchange_id in (rooms.filter(pupil_group__isnull=False)
                                 .values_list("pk", "pupil_group__pairing__exchange_id")
                                 .order_by("pk").iterator()):
        grouped.setdefault(exchange_id, []).append(room_id)
    _update(Room, grouped)
    dissolved: dict[int, list[int]] = {}
    for room_id, opened in (rooms.filter(pupil_group__isnull=True)
                            .values_list("pk", "created_at").order_by("pk").iterator()):
        exchange_id = _dissolved_groups_exchange(apps, room_id, opened)
        if exchange_id is not None:
            dissolved.setdefault(exchange_id, []).append(room_id)
    _update(Room, dissolved)


class Migration(migrations.Migration):

    dependencies = [
        ("exchanges", "0034_teacher_closed_rooms_reason_restored"),
    ]

    operations = [
        migrations.AddField(
            model_name="room",
            name="pupils_exchange",
            field=models.ForeignKey(
                blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL,
                related_name="pupil_rooms", to="exchanges.classroomexchange",
                verbose_name="class exchange of its pupils"),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
