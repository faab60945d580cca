# Pupil pairing and class sessions (issue 14); written by hand from makemigrations --dry-run.

import django.db.models.deletion
import exchanges.models.class_sessions
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('exchanges', '0007_safe_rooms_wall'),
    ]

    operations = [
        migrations.CreateModel(
            name='ClassSessionProposal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('first_start', models.DateTimeField()),
                ('anchor_tz', models.CharField(max_length=64)),
                ('minutes', models.PositiveSmallIntegerField(default=45)),
                ('status', models.CharField(choices=[('proposed', 'Proposed'), ('confirmed', 'Confirmed'), ('withdrawn', 'Withdrawn')], default='proposed', max_length=10)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('confirmed_at', models.DateTimeField(blank=True, null=True)),
                ('confirmed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('exchange', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='session_proposals', to='exchanges.classroomexchange')),
                ('proposed_by', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-created_at'],
            },
        ),
        migrations.CreateModel(
            name='PupilPairing',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('status', models.CharField(choices=[('proposed', 'Proposed'), ('confirmed', 'Confirmed'), ('replaced', 'Replaced')], default='proposed', max_length=10)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('confirmed_a_at', models.DateTimeField(blank=True, null=True)),
                ('confirmed_b_at', models.DateTimeField(blank=True, null=True)),
                ('confirmed_at', models.DateTimeField(blank=True, null=True)),
                ('total_score', models.FloatField(default=0)),
                ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('exchange', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='pupil_pairings', to='exchanges.classroomexchange')),
            ],
            options={
                'ordering': ['-created_at'],
            },
        ),
        migrations.CreateModel(
            name='PupilGroup',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('score', models.FloatField(default=0)),
                ('explanation', models.JSONField(blank=True, default=list)),
                ('members', models.ManyToManyField(related_name='pupil_groups', to='exchanges.participant')),
                ('room', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='pupil_group', to='exchanges.room')),
                ('pairing', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='groups', to='exchanges.pupilpairing')),
            ],
            options={
                'ordering': ['pairing', 'id'],
            },
        ),
        migrations.CreateModel(
            name='TeacherCalendar',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('token', models.CharField(default=exchanges.models.class_sessions.new_feed_token, max_length=64, unique=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='teacher_calendar', to=settings.AUTH_USER_MODEL)),
            ],
        ),
        migrations.AddConstraint(
            model_name='pupilpairing',
            constraint=models.UniqueConstraint(condition=models.Q(('status__in', ['proposed', 'confirmed'])), fields=('exchange',), name='pupil_pairing_one_live'),
        ),
    ]
