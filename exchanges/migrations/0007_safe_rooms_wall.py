# Safe rooms for minors and the exchange wall (issue 14): hidden messages, muted members,
# wall posts with images and comments, and the pupils' retention of an ended exchange.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import exchanges.models.wall


class Migration(migrations.Migration):

    dependencies = [
        ("exchanges", "0006_metrics_summaries"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="message",
            name="hidden_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="message",
            name="hidden_by",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name="roommember",
            name="muted_until",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.CreateModel(
            name="WallPost",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("text", models.TextField(blank=True, max_length=2000)),
                ("status", models.CharField(choices=[("pending", "Waiting for the teacher"), ("approved", "Published"), ("rejected", "Not published")], default="pending", max_length=10)),
                ("decided_at", models.DateTimeField(blank=True, null=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("author", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="wall_posts", to=settings.AUTH_USER_MODEL)),
                ("decided_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                ("exchange", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="wall_posts", to="exchanges.classroomexchange")),
            ],
            options={
                "ordering": ["-created_at", "-id"],
                "indexes": [models.Index(fields=["exchange", "status", "created_at"], name="exchanges_w_exchang_e0135e_idx")],
            },
        ),
        migrations.CreateModel(
            name="WallImage",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("file", models.FileField(max_length=200, upload_to=exchanges.models.wall.wall_image_path)),
                ("content_type", models.CharField(max_length=40)),
                ("width", models.PositiveIntegerField()),
                ("height", models.PositiveIntegerField()),
                ("position", models.PositiveSmallIntegerField(default=0)),
                ("post", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="images", to="exchanges.wallpost")),
            ],
            options={
                "ordering": ["post", "position", "id"],
            },
        ),
        migrations.CreateModel(
            name="WallComment",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("text", models.TextField(max_length=1000)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("author", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="wall_comments", to=settings.AUTH_USER_MODEL)),
                ("post", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="comments", to="exchanges.wallpost")),
            ],
            options={
                "ordering": ["created_at", "id"],
            },
        ),
        migrations.CreateModel(
            name="ExchangeRetention",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("warned_at", models.DateTimeField(blank=True, null=True)),
                ("purged_at", models.DateTimeField(blank=True, null=True)),
                ("pupils_deleted", models.PositiveIntegerField(default=0)),
                ("exchange", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name="retention", to="exchanges.classroomexchange")),
            ],
        ),
    ]
