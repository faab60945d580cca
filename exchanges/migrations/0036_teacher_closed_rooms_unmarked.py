"""0032 marked a room as closed by its twinning when its reason began "The twinning "
unless a teacher's ``room.close`` audit event was as late as the room's close. A
teacher who closed an open room with their own words beginning so was marked too: their
event is written a moment before the close it makes (services.moderation.
room_moderate_close), and a reactivation would reopen their room. Such a room is
unmarked: one whose teacher's event, at most a minute before its close, carries its
very reason (a twinning only closes open rooms, so no twinning's close follows a
teacher's that closely with the teacher's words)."""

import datetime as dt

from django.db import migrations

BATCH = 500  # SQLite caps bound parameters
TEACHERS_DEFAULT = "closed by a teacher"  # services.moderation.room_moderate_close's
SAME_CLOSE = dt.timedelta(minutes=1)  # the event and the close share one transaction


def forwards(apps, schema_editor):
    Room = apps.get_model("exchanges", "Room")
    AuditEvent = apps.get_model("exchanges", "AuditEvent")
    rooms = {
        pk: (closed_at, reason) for pk, closed_at, reason in
        Room.objects.filter(status="closed", closed_by_twinning=True,
                            closed_reason__startswith="The twinning ",
                            closed_at__isnull=False)
        .values_list("id", "closed_at", "closed_reason").iterator()
    }
    if not rooms:
        return
    teachers = set()
    events = (AuditEvent.objects.filter(verb="room.close", target__startswith="room:")
              .values_list("target", "created_at", "data"))
    for target, at, data in events.iterator():
        room_id = target.removeprefix("room:")
        if not room_id.isdigit() or int(room_id) not in rooms:
            continue
        closed_at, reason = rooms[int(room_id)]
        words = data.get("reason") if isinstance(data, dict) else None
        if (closed_at - SAME_CLOSE <= at <= closed_at
                and (words or TEACHERS_DEFAULT)[:200] == reason):
            teachers.add(int(room_id))
    ids = sorted(teachers)
    for start in range(0, len(ids), BATCH):
        Room.objects.filter(id__in=ids[start:start + BATCH]).update(closed_by_twinning=False)


class Migration(migrations.Migration):
    dependencies = [("exchanges", "0035_room_pupils_exchange")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
