# The twinning lifecycle (issue 12): status history, city regions, the program's
# completion threshold and the paused classroom exchange. Written by hand (reserved file).
import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import exchanges.pure.regions

STATUSES = [("active", "Active"), ("suspended", "Suspended"), ("terminated", "Terminated")]


def history_backfill(apps, schema_editor):
    """Twinnings already suspended or terminated get the one history row their data
    implies, so the public register shows when and why for every one of them."""
    Twinning = apps.get_model("exchanges", "Twinning")
    Change = apps.get_model("exchanges", "TwinningStatusChange")
    rows = [
        Change(
            twinning=twinning,
            from_status="active",
            to_status=twinning.status,
            effective=twinning.status_changed,
            effective_precision=twinning.status_changed_precision,
            side="unknown",
            reason=twinning.note,
        )
        for twinning in Twinning.objects.exclude(status="active").filter(
            status_changed__isnull=False, status_changes__isnull=True
        )
    ]
    Change.objects.bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [
        ("exchanges", "0003_matchrun_lease"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="city",
            name="region",
            field=models.CharField(
                blank=True,
                help_text="ISO 3166-2 subdivision code, e.g. US-IN",
                max_length=6,
                validators=[exchanges.pure.regions.validate_subdivision_code],
            ),
        ),
        migrations.AddField(
            model_name="program",
            name="completion_sessions",
            field=models.PositiveSmallIntegerField(
                default=8,
                validators=[
                    django.core.validators.MinValueValidator(1),
                    django.core.validators.MaxValueValidator(200),
                ],
            ),
        ),
        migrations.AlterField(
            model_name="classroomexchange",
            name="status",
            field=models.CharField(
                choices=[
                    ("proposed", "Proposed"),
                    ("active", "Active"),
                    ("paused", "Paused"),
                    ("ended", "Ended"),
                ],
                default="proposed",
                max_length=10,
            ),
        ),
        migrations.CreateModel(
            name="TwinningStatusChange",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("from_status", models.CharField(choices=STATUSES, max_length=10)),
                ("to_status", models.CharField(choices=STATUSES, max_length=10)),
                ("effective", models.DateField()),
                (
                    "effective_precision",
                    models.CharField(
                        choices=[("year", "Year"), ("month", "Month"), ("day", "Day")],
                        default="day",
                        max_length=5,
                    ),
                ),
                (
                    "side",
                    models.CharField(
                        choices=[
                            ("city_a", "City A"),
                            ("city_b", "City B"),
                            ("both", "Both cities"),
                            ("unknown", "Unknown"),
                        ],
                        default="unknown",
                        max_length=7,
                    ),
                ),
                ("reason", models.TextField(blank=True)),
                ("source", models.URLField(blank=True, max_length=500)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "actor",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "twinning",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="status_changes",
                        to="exchanges.twinning",
                    ),
                ),
            ],
            options={
                "ordering": ["effective", "created_at", "id"],
                "indexes": [
                    models.Index(
                        fields=["twinning", "effective"], name="exchanges_t_twinnin_013658_idx"
                    )
                ],
            },
        ),
        migrations.RunPython(history_backfill, migrations.RunPython.noop),
    ]
