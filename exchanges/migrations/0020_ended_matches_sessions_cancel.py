"""Sessions still to come of matches that have ended (a block used to leave them
scheduled) are cancelled as ``services.session_series.match_sessions_stop`` now does: the
SEQUENCE bump tells subscribed calendars, their unsent reminders are cancelled, and
pending slot proposals and moves go. Nothing to undo: going back leaves them cancelled."""

from django.db import migrations
from django.db.models import F
from django.utils import timezone

OVER = ("ended", "declined")


def forwards(apps, schema_editor):
    Session = apps.get_model("exchanges", "Session")
    Reminder = apps.get_model("exchanges", "Reminder")
    SlotProposal = apps.get_model("exchanges", "SlotProposal")
    now = timezone.now()
    ids = list(
        Session.objects.filter(
            match__status__in=OVER, status="scheduled", starts_at__gt=now
        ).values_list("id", flat=True)
    )
    for start in range(0, len(ids), 500):  # SQLite caps bound parameters
        chunk = ids[start:start + 500]
        Reminder.objects.filter(session_id__in=chunk, sent_at__isnull=True).update(
            cancelled=True
        )
        Session.objects.filter(id__in=chunk).update(
            status="cancelled", sequence=F("sequence") + 1, updated_at=now
        )
    Session.objects.filter(match__status__in=OVER, move_to__isnull=False).update(
        move_to=None, move_proposed_by=None
    )
    SlotProposal.objects.filter(match__status__in=OVER, status="proposed").update(
        status="withdrawn"
    )


class Migration(migrations.Migration):
    dependencies = [("exchanges", "0019_class_exchange_end")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
