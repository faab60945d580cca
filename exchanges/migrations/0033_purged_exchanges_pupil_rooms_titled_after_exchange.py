"""The pupils' rooms of exchanges purged before a purge titled them after their exchange
(services/retention.py) still name the pupils who stayed, or are blank when none did:
each is titled after its exchange now, as ``ClassroomExchange.__str__`` writes it.

A pupils' room of the exchange is its pupil group's room (the group outlives its deleted
pupils), or a room of a group a removal dissolved, recognised as
``selectors.moderation.exchange_rooms`` does, by its members: pupils of the exchange's
two classes and nobody else, and opened before the exchange ended (a room of the same
two classes' next exchange is not this one's). Match rooms, class rooms and the rooms of
another exchange's pupil groups are left as they are. A dissolved group's room left with
no pupil names nobody and says nothing of its exchange: it stays as it is."""

from django.db import migrations

BATCH = 500  # SQLite caps bound parameters


def _title(exchange) -> str:
    # ClassroomExchange.__str__ over Classroom.__str__ ("name, school"): the historical
    # models have neither method.
    a, b = exchange.classroom_a, exchange.classroom_b
    return f"{a.name}, {a.school} ↔ {b.name}, {b.school}"[:200]


def _pupil_room_ids(apps, exchange) -> set[int]:
    Room = apps.get_model("exchanges", "Room")
    RoomMember = apps.get_model("exchanges", "RoomMember")
    PupilGroup = apps.get_model("exchanges", "PupilGroup")
    User = apps.get_model("exchanges", "User")
    pupil_rooms = Room.objects.filter(match__isnull=True, exchange__isnull=True)
    grouped = set(pupil_rooms.filter(pupil_group__pairing__exchange_id=exchange.pk)
                  .values_list("pk", flat=True))
    pupils = User.objects.filter(is_pupil=True, participant__classroom_id__in=(
        exchange.classroom_a_id, exchange.classroom_b_id))
    with_pupils = RoomMember.objects.filter(user__in=pupils)
    with_others = RoomMember.objects.filter(role="member").exclude(user__in=pupils)
    dissolved = (pupil_rooms.filter(pk__in=with_pupils.values("room_id"))
                 .exclude(pk__in=with_others.values("room_id"))
                 .exclude(pk__in=PupilGroup.objects.filter(room__isnull=False)
                          .values("room_id")))
    if exchange.ended_at is not None:
        dissolved = dissolved.filter(created_at__lte=exchange.ended_at)
    return grouped | set(dissolved.values_list("pk", flat=True))


def forwards(apps, schema_editor):
    ClassroomExchange = apps.get_model("exchanges", "ClassroomExchange")
    Room = apps.get_model("exchanges", "Room")
    purged = (ClassroomExchange.objects.filter(retention__purged_at__isnull=False)
              .select_related("classroom_a", "classroom_b").order_by("pk"))
    for exchange in purged.iterator(chunk_size=BATCH):
        title = _title(exchange)
        room_ids = sorted(_pupil_room_ids(apps, exchange))
        for start in range(0, len(room_ids), BATCH):
            (Room.objects.filter(pk__in=room_ids[start:start + BATCH])
             .exclude(title=title).update(title=title))


class Migration(migrations.Migration):
    dependencies = [("exchanges", "0032_room_closed_by_twinning")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
