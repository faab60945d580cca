"""Each twinning status change says whether a person or the data file made it. A row
without an actor is the data file's, unless its audit event (written with the change,
kept when an account goes) shows a person acted and their account has since been deleted:
the file's events say ``"actor": "data load"``."""

from django.db import migrations, models

LIFECYCLE_VERBS = ("twinning.suspended", "twinning.terminated", "twinning.reactivated")


def forwards(apps, schema_editor):
    TwinningStatusChange = apps.get_model("exchanges", "TwinningStatusChange")
    AuditEvent = apps.get_model("exchanges", "AuditEvent")
    by_person = {
        data.get("change")
        for data in AuditEvent.objects.filter(verb__in=LIFECYCLE_VERBS)
        .values_list("data", flat=True).iterator()
        if isinstance(data, dict) and data.get("actor") != "data load"
    }
    file_rows = [
        pk for pk in TwinningStatusChange.objects.filter(actor__isnull=True)
        .values_list("id", flat=True) if pk not in by_person
    ]
    for start in range(0, len(file_rows), 500):  # SQLite caps bound parameters
        TwinningStatusChange.objects.filter(id__in=file_rows[start:start + 500]).update(
            origin="data_file"
        )


class Migration(migrations.Migration):
    dependencies = [("exchanges", "0027_metrics_kept_counts")]

    operations = [
        migrations.AddField(
            model_name="twinningstatuschange",
            name="origin",
            field=models.CharField(
                choices=[("person", "A person on the platform"),
                         ("data_file", "The twinnings data file")],
                default="person", max_length=9, verbose_name="recorded by",
            ),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
