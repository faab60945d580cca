# The admin says "class code", as every page does (the field keeps its name).

import exchanges.models.classrooms
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('exchanges', '0028_status_change_origin'),
    ]

    operations = [
        migrations.AlterField(
            model_name='classroom',
            name='join_code',
            field=models.CharField(default=exchanges.models.classrooms.new_join_code, max_length=12, unique=True, verbose_name='class code'),
        ),
        migrations.AlterField(
            model_name='classroom',
            name='join_code_expires_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='class code expires at'),
        ),
    ]
