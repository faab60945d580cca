"""No Docker engine runs here: check the compose file and Dockerfile as data."""

from pathlib import Path

import pytest
import yaml
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_the_production_services_are_all_there(compose):
    assert {"postgres", "redis", "web", "worker", "beat"} <= set(compose["services"])


def test_web_serves_the_asgi_application(compose):
    command = compose["services"]["web"]["command"]
    assert command[0] in {"uvicorn", "daphne"}
    assert "config.asgi:application" in command
    assert "8000:8000" in compose["services"]["web"]["ports"]


def test_celery_worker_and_beat_use_the_project_app(compose):
    worker = compose["services"]["worker"]["command"]
    beat = compose["services"]["beat"]["command"]
    assert worker[:4] == ["celery", "-A", "config", "worker"]
    assert beat[:4] == ["celery", "-A", "config", "beat"]


@pytest.mark.parametrize("service", ["web", "worker", "beat", "migrate"])
def test_app_services_point_at_postgres_and_redis_without_debug(compose, service):
    env = compose["services"][service]["environment"]
    assert env["DATABASE_URL"].startswith("postgres://")
    assert "@postgres:5432/" in env["DATABASE_URL"]
    assert env["REDIS_URL"] == "redis://redis:6379/0"
    assert env["DJANGO_DEBUG"] == "0"
    assert "DJANGO_SECRET_KEY" in env
    depends = compose["services"][service]["depends_on"]
    assert "postgres" in depends or "migrate" in depends


def test_data_services_keep_their_data_and_report_health(compose):
    for name in ("postgres", "redis"):
        service = compose["services"][name]
        assert service["volumes"]
        assert service["healthcheck"]["test"]


def test_migrations_run_before_the_app_starts(compose):
    migrate = compose["services"]["migrate"]["command"]
    assert "migrate" in " ".join(migrate)
    for name in ("web", "worker", "beat"):
        assert compose["services"][name]["depends_on"]["migrate"]["condition"] == (
            "service_completed_successfully"
        )


def test_dockerfile_builds_the_same_app():
    text = (ROOT / "Dockerfile").read_text()
    assert text.startswith("#") or "FROM python:3.11" in text
    assert "FROM python:3.11" in text
    assert "collectstatic" in text
    assert "config.asgi:application" in text
    assert "USER " in text
