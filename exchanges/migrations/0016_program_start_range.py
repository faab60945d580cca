"""A program starts from 2000 to the end of the year ten years ahead (the model's
validate_start_date), so that its end and weekly dates, which the dashboard counts, are
dates."""

from django.db import migrations, models

import exchanges.models.programs


class Migration(migrations.Migration):
    dependencies = [
        ("exchanges", "0015_match_day_statement_triggers"),
    ]

    operations = [
        migrations.AlterField(
            model_name="program",
            name="start_date",
            field=models.DateField(validators=[exchanges.models.programs.validate_start_date]),
        ),
    ]
