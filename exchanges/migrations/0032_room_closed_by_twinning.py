"""A room says whether its twinning's suspension or termination alone closed it, which
reactivation undoes; until now reactivation recognised such a room by its stored reason
("The twinning … is suspended …"), and so also reopened one a teacher closed while the
twinning was suspended (the teacher's close kept the suspension's reason). Rooms closed
with a twinning's reason are marked, except those a teacher closed again since (their
``room.close`` audit event is as late as the room's close): those stay closed."""

from django.db import migrations, models


def forwards(apps, schema_editor):
    Room = apps.get_model("exchanges", "Room")
    AuditEvent = apps.get_model("exchanges", "AuditEvent")
    teachers_last_close = {}
    for target, at in (AuditEvent.objects.filter(verb="room.close", target__startswith="room:")
                       .values_list("target", "created_at").iterator()):
        room_id = target.removeprefix("room:")
        if room_id.isdigit():
            room_id = int(room_id)
            teachers_last_close[room_id] = max(at, teachers_last_close.get(room_id, at))
    marked = [
        pk for pk, closed_at in Room.objects.filter(
            status="closed", closed_reason__startswith="The twinning "
        ).values_list("id", "closed_at").iterator()
        if pk not in teachers_last_close
        or closed_at is None or teachers_last_close[pk] < closed_at
    ]
    for start in range(0, len(marked), 500):  # SQLite caps bound parameters
        Room.objects.filter(id__in=marked[start:start + 500]).update(closed_by_twinning=True)


class Migration(migrations.Migration):
    dependencies = [("exchanges", "0031_message_lang")]

    operations = [
        migrations.AddField(
            model_name="room",
            name="closed_by_twinning",
            field=models.BooleanField(default=False,
                                      verbose_name="closed by its twinning's change"),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
