# The matching-run lease (issue 11, faults): the run's last sign of life, its claims
# and the workers that stopped holding it.
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("exchanges", "0002_attendance_open_connections")]

    operations = [
        migrations.AddField(
            model_name="matchrun",
            name="attempts",
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="matchrun",
            name="heartbeat_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="matchrun",
            name="workers_lost",
            field=models.PositiveSmallIntegerField(default=0),
        ),
    ]
