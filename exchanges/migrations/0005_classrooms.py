# Teachers and classroom exchanges (issue 14): teacher applications; classes with their
# languages, school hours, term and holidays, consent record and expiring join code;
# partner requests between classes; pupils' one-time passwords.
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("exchanges", "0004_twinning_lifecycle")]

    operations = [
        migrations.CreateModel(
            name='ClassroomLanguage',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(help_text='ISO 639-1 code', max_length=2)),
                ('level', models.CharField(choices=[('A1', 'A1 – beginner'), ('A2', 'A2 – elementary'), ('B1', 'B1 – intermediate'), ('B2', 'B2 – upper intermediate'), ('C1', 'C1 – advanced'), ('C2', 'C2 – proficient'), ('native', 'Native')], max_length=6)),
                ('learning', models.BooleanField(default=False)),
            ],
            options={
                'ordering': ['classroom', 'learning', 'code'],
            },
        ),
        migrations.CreateModel(
            name='PartnerRequest',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('message', models.TextField(blank=True, max_length=1000)),
                ('explanation', models.CharField(blank=True, max_length=500)),
                ('status', models.CharField(choices=[('pending', 'Pending'), ('accepted', 'Accepted'), ('declined', 'Declined'), ('withdrawn', 'Withdrawn')], default='pending', max_length=10)),
                ('reply', models.TextField(blank=True, max_length=1000)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('decided_at', models.DateTimeField(blank=True, null=True)),
            ],
            options={
                'ordering': ['-created_at'],
            },
        ),
        migrations.CreateModel(
            name='SchoolHours',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('weekday', models.PositiveSmallIntegerField(choices=[(0, 'Monday'), (1, 'Tuesday'), (2, 'Wednesday'), (3, 'Thursday'), (4, 'Friday'), (5, 'Saturday'), (6, 'Sunday')])),
                ('start', models.TimeField()),
                ('end', models.TimeField()),
            ],
            options={
                'verbose_name_plural': 'school hours',
                'ordering': ['classroom', 'weekday', 'start'],
            },
        ),
        migrations.CreateModel(
            name='TeacherApplication',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('school', models.CharField(max_length=160)),
                ('role_at_school', models.CharField(max_length=80)),
                ('verification', models.CharField(max_length=300)),
                ('status', models.CharField(choices=[('pending', 'Pending'), ('approved', 'Approved'), ('refused', 'Refused')], default='pending', max_length=10)),
                ('decided_at', models.DateTimeField(blank=True, null=True)),
                ('reason', models.CharField(blank=True, max_length=500)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
            ],
            options={
                'ordering': ['-created_at'],
            },
        ),
        migrations.CreateModel(
            name='TermHoliday',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('first_day', models.DateField()),
                ('last_day', models.DateField()),
                ('name', models.CharField(blank=True, max_length=80)),
            ],
            options={
                'ordering': ['classroom', 'first_day'],
            },
        ),
        migrations.RemoveField(
            model_name='classroom',
            name='learns',
        ),
        migrations.RemoveField(
            model_name='classroom',
            name='speaks',
        ),
        migrations.AddField(
            model_name='classroom',
            name='consent_age',
            field=models.PositiveSmallIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='classroom',
            name='consent_confirmed_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='classroom',
            name='consent_confirmed_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='classroom',
            name='consent_country',
            field=models.CharField(blank=True, max_length=2),
        ),
        migrations.AddField(
            model_name='classroom',
            name='join_code_expires_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='classroom',
            name='size',
            field=models.PositiveSmallIntegerField(default=20, verbose_name='number of pupils'),
        ),
        migrations.AddField(
            model_name='classroom',
            name='term_end',
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='classroom',
            name='term_start',
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='classroomexchange',
            name='activated_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='classroomexchange',
            name='ended_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='user',
            name='must_set_password',
            field=models.BooleanField(default=False),
        ),
        migrations.AddConstraint(
            model_name='classroom',
            constraint=models.CheckConstraint(condition=models.Q(('age_max__gte', models.F('age_min'))), name='classroom_age_band'),
        ),
        migrations.AddConstraint(
            model_name='classroom',
            constraint=models.CheckConstraint(condition=models.Q(('term_start__isnull', True), ('term_end__isnull', True), ('term_end__gte', models.F('term_start')), _connector='OR'), name='classroom_term_order'),
        ),
        migrations.AddConstraint(
            model_name='classroomexchange',
            constraint=models.CheckConstraint(condition=models.Q(('classroom_a', models.F('classroom_b')), _negated=True), name='exchange_two_classes'),
        ),
        migrations.AddField(
            model_name='classroomlanguage',
            name='classroom',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='languages', to='exchanges.classroom'),
        ),
        migrations.AddField(
            model_name='partnerrequest',
            name='exchange',
            field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='request', to='exchanges.classroomexchange'),
        ),
        migrations.AddField(
            model_name='partnerrequest',
            name='from_classroom',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='requests_sent', to='exchanges.classroom'),
        ),
        migrations.AddField(
            model_name='partnerrequest',
            name='to_classroom',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='requests_received', to='exchanges.classroom'),
        ),
        migrations.AddField(
            model_name='schoolhours',
            name='classroom',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='hours', to='exchanges.classroom'),
        ),
        migrations.AddField(
            model_name='teacherapplication',
            name='city',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='teacher_applications', to='exchanges.city'),
        ),
        migrations.AddField(
            model_name='teacherapplication',
            name='decided_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='teacherapplication',
            name='user',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='teacher_applications', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='termholiday',
            name='classroom',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='holidays', to='exchanges.classroom'),
        ),
        migrations.AddConstraint(
            model_name='classroomlanguage',
            constraint=models.UniqueConstraint(fields=('classroom', 'code', 'learning'), name='classroom_language_unique'),
        ),
        migrations.AddConstraint(
            model_name='partnerrequest',
            constraint=models.CheckConstraint(condition=models.Q(('from_classroom', models.F('to_classroom')), _negated=True), name='partner_request_two_classes'),
        ),
        migrations.AddConstraint(
            model_name='partnerrequest',
            constraint=models.UniqueConstraint(condition=models.Q(('status', 'pending')), fields=('from_classroom', 'to_classroom'), name='partner_request_one_pending'),
        ),
        migrations.AddConstraint(
            model_name='schoolhours',
            constraint=models.CheckConstraint(condition=models.Q(('end__gt', models.F('start'))), name='school_hours_start_before_end'),
        ),
        migrations.AddConstraint(
            model_name='teacherapplication',
            constraint=models.UniqueConstraint(condition=models.Q(('status', 'pending')), fields=('user',), name='teacher_application_one_pending'),
        ),
        migrations.AddConstraint(
            model_name='termholiday',
            constraint=models.CheckConstraint(condition=models.Q(('last_day__gte', models.F('first_day'))), name='holiday_first_before_last'),
        ),
    ]
