"""Settings read the environment only: check them in fresh processes with chosen variables."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings

pytestmark = pytest.mark.slow
ROOT = django_settings.BASE_DIR
PROBE = """
import json, django
from django.conf import settings
django.setup()
from config.celery import app
app.loader.import_default_modules()
print(json.dumps({
    "debug": settings.DEBUG,
    "engine": settings.DATABASES["default"]["ENGINE"],
    "db_name": settings.DATABASES["default"]["NAME"],
    "layer": settings.CHANNEL_LAYERS["default"]["BACKEND"],
    "cache": settings.CACHES["default"]["BACKEND"],
    "broker": app.conf.broker_url,
    "task_is_django": __import__("celery.contrib.django.task", fromlist=["DjangoTask"]).DjangoTask
        in type(app.tasks["exchanges.tasks.matching_run"]).__mro__,
    "serializer": app.conf.task_serializer,
    "time_limit": app.conf.task_time_limit,
    "email": settings.EMAIL_BACKEND,
    "ssl_redirect": settings.SECURE_SSL_REDIRECT,
    "broker_folder": app.conf.broker_transport_options.get("data_folder_in"),
    "openblas_threads": __import__("os").environ.get("OPENBLAS_NUM_THREADS"),
}))
"""


def probe(module: str = "config.settings", **env) -> dict:
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_", "EMAIL_", "JUMELAGE_",
                                  "OPENBLAS_"))}
    clean.update(env)
    clean["DJANGO_SETTINGS_MODULE"] = module
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=clean,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_embedded_default_without_services():
    values = probe(DJANGO_DEBUG="1")
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["layer"] == "channels.layers.InMemoryChannelLayer"
    assert values["cache"].endswith("LocMemCache")
    assert values["broker"].startswith("filesystem://")
    assert values["email"].endswith("console.EmailBackend")
    assert values["debug"] is True
    assert values["ssl_redirect"] is False
    # NumPy's BLAS on one thread, set before NumPy loads (the small-count checks).
    assert values["openblas_threads"] == "1"


def test_the_suites_tasks_queue_outside_make_runs_broker_folder():
    """Without Redis, a task a test queues must not wait in var/celery for `make run`'s
    worker, which would run it against the demo database."""
    var = Path(ROOT) / "var"
    served = probe(DJANGO_DEBUG="1")
    assert Path(served["broker_folder"]).is_relative_to(var)
    tested = probe("config.settings_test", DJANGO_DEBUG="1")
    assert tested["broker"].startswith("filesystem://")
    assert not Path(tested["broker_folder"]).is_relative_to(var), tested["broker_folder"]
    # A process given a var folder of its own (a journey's platform) queues there.
    own = probe("config.settings_test", DJANGO_DEBUG="1", JUMELAGE_VAR_DIR="/tmp/jumelage-own")
    assert own["broker_folder"] == "/tmp/jumelage-own/celery/out"


def test_services_from_the_environment():
    values = probe(
        DJANGO_DEBUG="1",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/jumelage_probe",
        REDIS_URL="redis://127.0.0.1:6379/3",
        EMAIL_HOST="smtp.example.org",
    )
    assert values["engine"] == "django.db.backends.postgresql"
    assert values["db_name"] == "jumelage_probe"
    assert values["layer"] == "channels_redis.pubsub.RedisPubSubChannelLayer"
    assert values["cache"].endswith("RedisCache")
    assert values["broker"] == "redis://127.0.0.1:6379/3"
    assert values["email"].endswith("smtp.EmailBackend")


def test_celery_uses_django_task_json_and_time_limits():
    values = probe(DJANGO_DEBUG="1")
    assert values["task_is_django"] is True
    assert values["serializer"] == "json"
    assert values["time_limit"] > 0


def test_production_needs_a_secret_key():
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "JUMELAGE_"))}
    clean["DJANGO_SETTINGS_MODULE"] = "config.settings"
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=clean,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in done.stderr


def test_bad_boolean_is_a_clear_error():
    clean = {**os.environ, "DJANGO_DEBUG": "maybe", "DJANGO_SETTINGS_MODULE": "config.settings"}
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=clean,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    assert "DJANGO_DEBUG must be a boolean" in done.stderr


def test_production_settings_pass_check_deploy():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "JUMELAGE_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="x7#kP2!vQ9zL4mN8@rT1wY6eU3iO5aS0dF7gH2jK9lZ4xC8vB1nM6qW3eR5tY0uI",
        DJANGO_ALLOWED_HOSTS="jumelage.example.org",
    )
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_production_without_smtp_sends_no_mail_to_the_log():
    """Regression: with DEBUG off and no EMAIL_HOST, every message (addresses, reset and
    confirmation links) was printed into the server's log by the console backend."""
    values = probe(DJANGO_SECRET_KEY="x" * 50, DJANGO_ALLOWED_HOSTS="jumelage.example.org")
    assert values["email"] == "config.mail_backends.UnsentMailBackend"
