"""Summaries behind the officers' figures (exchanges/models/metrics.py); written by hand
from `makemigrations --dry-run`, keeping only this feature's models."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('exchanges', '0005_classrooms'),
    ]

    operations = [
        migrations.CreateModel(
            name='SummaryMark',
            fields=[
                ('name', models.CharField(max_length=40, primary_key=True, serialize=False)),
                ('refreshed_until', models.DateTimeField()),
            ],
        ),
        migrations.CreateModel(
            name='PresenceInterval',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('started_at', models.DateTimeField()),
                ('ended_at', models.DateTimeField()),
                ('attendance', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='intervals', to='exchanges.attendance')),
            ],
            options={
                'ordering': ['attendance', 'started_at'],
            },
        ),
        migrations.CreateModel(
            name='ParticipantSummary',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('role', models.CharField(choices=[('citizen', 'Citizen'), ('student', 'Student'), ('pupil', 'Pupil')], max_length=8)),
                ('classroom_id', models.IntegerField(null=True)),
                ('birth_year', models.PositiveSmallIntegerField(null=True)),
                ('joined_at', models.DateTimeField()),
                ('first_active_at', models.DateTimeField(null=True)),
                ('days_to_match', models.PositiveIntegerField(null=True)),
                ('first_held_at', models.DateTimeField(null=True)),
                ('retained_at', models.DateTimeField(null=True)),
                ('completed_at', models.DateTimeField(null=True)),
                ('refreshed_at', models.DateTimeField()),
                ('city', models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='exchanges.city')),
                ('participant', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='exchanges.participant')),
                ('program', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='exchanges.program')),
            ],
            options={
                'indexes': [models.Index(fields=['program', 'joined_at'], name='exchanges_p_program_94583a_idx')],
                'constraints': [models.UniqueConstraint(fields=('participant', 'program'), name='participant_summary_once')],
            },
        ),
        migrations.CreateModel(
            name='RoomMessageDay',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField()),
                ('count', models.PositiveIntegerField(default=0)),
                ('room', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='exchanges.room')),
                ('program', models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='exchanges.program')),
                ('twinning', models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='exchanges.twinning')),
            ],
            options={
                'indexes': [models.Index(fields=['program', 'day'], name='exchanges_r_program_6573a8_idx')],
                'constraints': [models.UniqueConstraint(fields=('room', 'day'), name='room_message_day_once')],
            },
        ),
        migrations.CreateModel(
            name='SessionSummary',
            fields=[
                ('session', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='summary', serialize=False, to='exchanges.session')),
                ('starts_at', models.DateTimeField()),
                ('status', models.CharField(choices=[('scheduled', 'Scheduled'), ('held', 'Held'), ('missed', 'Missed'), ('cancelled', 'Cancelled')], max_length=10)),
                ('a_attended', models.BooleanField(default=False)),
                ('b_attended', models.BooleanField(default=False)),
                ('together_seconds', models.PositiveIntegerField(default=0)),
                ('refreshed_at', models.DateTimeField()),
                ('city_a', models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='exchanges.city')),
                ('city_b', models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='exchanges.city')),
                ('participant_a', models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='exchanges.participant')),
                ('participant_b', models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='exchanges.participant')),
                ('program', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='exchanges.program')),
                ('twinning', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='exchanges.twinning')),
            ],
            options={
                'indexes': [models.Index(fields=['program', 'starts_at'], name='exchanges_s_program_d53d02_idx')],
            },
        ),
    ]
