"""A room a teacher closed while its twinning's suspension had it closed already kept the
suspension's words until 0032 (the teacher's close now replaces them, and clears
``Room.closed_by_twinning``); 0032 left such rooms unmarked, so they are the only ones
whose reason reads as a twinning's without being one. Each takes its teacher's reason,
from the audit event of the close (0032's test: an event as late as the room's close),
as a close today would store it; the default words when the event has none."""

from django.db import migrations

BATCH = 500  # SQLite caps bound parameters
TEACHERS_DEFAULT = "closed by a teacher"  # services.moderation.room_moderate_close's


def forwards(apps, schema_editor):
    Room = apps.get_model("exchanges", "Room")
    AuditEvent = apps.get_model("exchanges", "AuditEvent")
    rooms = dict(
        Room.objects.filter(status="closed", closed_by_twinning=False,
                            closed_reason__startswith="The twinning ",
                            closed_at__isnull=False)
        .values_list("id", "closed_at").iterator()
    )
    if not rooms:
        return
    teachers_last = {}
    events = (AuditEvent.objects.filter(verb="room.close", target__startswith="room:")
              .order_by("created_at", "id").values_list("target", "created_at", "data"))
    for target, at, data in events.iterator():
        room_id = target.removeprefix("room:")
        if room_id.isdigit() and int(room_id) in rooms and at >= rooms[int(room_id)]:
            reason = data.get("reason") if isinstance(data, dict) else None
            teachers_last[int(room_id)] = (reason or TEACHERS_DEFAULT)[:200]
    by_reason = {}
    for room_id, reason in teachers_last.items():
        by_reason.setdefault(reason, []).append(room_id)
    for reason, ids in by_reason.items():
        for start in range(0, len(ids), BATCH):
            Room.objects.filter(id__in=ids[start:start + BATCH]).update(closed_reason=reason)


class Migration(migrations.Migration):
    dependencies = [("exchanges", "0033_purged_exchanges_pupil_rooms_titled_after_exchange")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
