# A session's move is proposed by one partner and confirmed by the other.
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("exchanges", "0008_pupil_pairs_class_sessions")]

    operations = [
        migrations.AddField(
            model_name="session",
            name="move_proposed_by",
            field=models.ForeignKey(
                blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL,
                related_name="+", to="exchanges.participant",
            ),
        ),
        migrations.AddField(
            model_name="session",
            name="move_to",
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
