"""The user's interface language (issue 13): pages, e-mails and notifications in it.
Written by hand from `makemigrations --dry-run`; existing accounts start empty (the
browser's language on pages, English by mail) until they choose or sign in."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("exchanges", "0010_session_summary_previous_attendance"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="language",
            field=models.CharField(
                blank=True,
                choices=[("en", "English"), ("fr", "Français"), ("de", "Deutsch"),
                         ("ja", "日本語")],
                default="",
                max_length=8,
                verbose_name="interface language",
            ),
        ),
    ]
