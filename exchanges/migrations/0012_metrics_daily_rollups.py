"""Daily roll-ups of the metrics summaries (exchanges/models/metrics.py): sessions and
active people by program, twinning, cities and UTC day, messages by program, twinning and
day, languages learned by joining day, and the register's participants by twinning and
joining day, so the officers' figures and the transparency register sum a few thousand
rows instead of scanning one per session, message or person. Written by hand from
`makemigrations --dry-run`; filled by the next full refresh (`metrics_refresh(full=True)`)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("exchanges", "0011_user_language"),
    ]

    operations = [
        migrations.CreateModel(
            name="ActiveDay",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("day", models.DateField()),
                ("previous_day", models.DateField(null=True)),
                ("previous_in_twinning_day", models.DateField(null=True)),
                ("count", models.PositiveIntegerField(default=0)),
                (
                    "city",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="exchanges.city",
                    ),
                ),
                (
                    "program",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="exchanges.program",
                    ),
                ),
                (
                    "twinning",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="exchanges.twinning",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(fields=["program", "day"], name="exchanges_a_program_4ab127_idx")
                ],
            },
        ),
        migrations.CreateModel(
            name="RegisterPeopleDay",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("day", models.DateField()),
                ("count", models.PositiveIntegerField(default=0)),
                (
                    "twinning",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="exchanges.twinning",
                    ),
                ),
            ],
            options={
                "indexes": [models.Index(fields=["day"], name="exchanges_r_day_f883b3_idx")],
            },
        ),
        migrations.CreateModel(
            name="SessionDay",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("day", models.DateField()),
                ("scheduled", models.PositiveIntegerField(default=0)),
                ("held", models.PositiveIntegerField(default=0)),
                ("missed", models.PositiveIntegerField(default=0)),
                ("cancelled", models.PositiveIntegerField(default=0)),
                ("together_seconds", models.BigIntegerField(default=0)),
                ("a_sessions", models.PositiveIntegerField(default=0)),
                ("b_sessions", models.PositiveIntegerField(default=0)),
                ("a_came", models.PositiveIntegerField(default=0)),
                ("b_came", models.PositiveIntegerField(default=0)),
                (
                    "city_a",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="exchanges.city",
                    ),
                ),
                (
                    "city_b",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="exchanges.city",
                    ),
                ),
                (
                    "program",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="exchanges.program",
                    ),
                ),
                (
                    "twinning",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="exchanges.twinning",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(fields=["program", "day"], name="exchanges_s_program_17cb0a_idx"),
                    models.Index(fields=["day"], name="exchanges_s_day_52d6e9_idx"),
                ],
            },
        ),
        migrations.CreateModel(
            name="LanguageDay",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("day", models.DateField()),
                ("code", models.CharField(max_length=2)),
                ("count", models.PositiveIntegerField(default=0)),
                (
                    "program",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="exchanges.program",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(fields=["program", "day"], name="exchanges_l_program_20e27c_idx")
                ],
            },
        ),
        migrations.CreateModel(
            name="MessageDay",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("day", models.DateField()),
                ("count", models.PositiveIntegerField(default=0)),
                (
                    "program",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="exchanges.program",
                    ),
                ),
                (
                    "twinning",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="exchanges.twinning",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(fields=["program", "day"], name="exchanges_m_program_fe4002_idx")
                ],
            },
        ),
    ]
