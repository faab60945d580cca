"""Each partner's previous attended session on the session summaries, so active people are
counted without DISTINCT (exchanges/models/metrics.py). Written by hand from
`makemigrations --dry-run`. Existing rows get theirs at the next full refresh (nightly, or
`metrics_refresh(full=True)`)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("exchanges", "0009_session_move_proposals"),
    ]

    operations = [
        migrations.AddField(
            model_name="sessionsummary",
            name="a_prev_attended_at",
            field=models.DateTimeField(null=True),
        ),
        migrations.AddField(
            model_name="sessionsummary",
            name="a_prev_in_twinning_at",
            field=models.DateTimeField(null=True),
        ),
        migrations.AddField(
            model_name="sessionsummary",
            name="b_prev_attended_at",
            field=models.DateTimeField(null=True),
        ),
        migrations.AddField(
            model_name="sessionsummary",
            name="b_prev_in_twinning_at",
            field=models.DateTimeField(null=True),
        ),
    ]
