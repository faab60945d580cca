"""Daily roll-ups of the participant summaries (people by city, joining day and days to
match; by role, birth year and class), and indexes on the summaries' milestone dates
for the few reached after a range's last day; the partner's city on the active-people
roll-up (exchanges/models/metrics.py). Written by
hand from `makemigrations --dry-run`; filled by the next full refresh."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("exchanges", "0012_metrics_daily_rollups"),
    ]

    operations = [
        migrations.AddField(
            model_name="activeday",
            name="partner_city",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="exchanges.city",
            ),
        ),
        migrations.CreateModel(
            name="PeopleDay",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("day", models.DateField()),
                ("days_to_match", models.PositiveIntegerField(null=True)),
                ("count", models.PositiveIntegerField(default=0)),
                ("matched", models.PositiveIntegerField(default=0)),
                ("completed", models.PositiveIntegerField(default=0)),
                ("held", models.PositiveIntegerField(default=0)),
                ("retained", models.PositiveIntegerField(default=0)),
            ],
        ),
        migrations.CreateModel(
            name="ProfileDay",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("day", models.DateField()),
                ("role", models.CharField(max_length=8)),
                ("birth_year", models.PositiveSmallIntegerField(null=True)),
                ("classroom_id", models.IntegerField(null=True)),
                ("count", models.PositiveIntegerField(default=0)),
                ("held", models.PositiveIntegerField(default=0)),
                ("retained", models.PositiveIntegerField(default=0)),
            ],
        ),
        migrations.AddIndex(
            model_name="participantsummary",
            index=models.Index(
                fields=["program", "first_active_at"], name="exchanges_p_program_dbbd8f_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="participantsummary",
            index=models.Index(
                fields=["program", "completed_at"], name="exchanges_p_program_328df2_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="participantsummary",
            index=models.Index(
                fields=["program", "first_held_at"], name="exchanges_p_program_959bc5_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="participantsummary",
            index=models.Index(
                fields=["program", "retained_at"], name="exchanges_p_program_c69b88_idx"
            ),
        ),
        migrations.AddField(
            model_name="peopleday",
            name="city",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="exchanges.city",
            ),
        ),
        migrations.AddField(
            model_name="peopleday",
            name="program",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="exchanges.program",
            ),
        ),
        migrations.AddField(
            model_name="profileday",
            name="program",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="exchanges.program",
            ),
        ),
        migrations.AddIndex(
            model_name="peopleday",
            index=models.Index(fields=["program", "day"], name="exchanges_p_program_1b3a91_idx"),
        ),
        migrations.AddIndex(
            model_name="profileday",
            index=models.Index(fields=["program", "day"], name="exchanges_p_program_5273ef_idx"),
        ),
    ]
