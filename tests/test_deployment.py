"""No Docker engine runs here: check the compose file and Dockerfile as data."""

import re
from pathlib import Path

import pytest
import yaml
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


_VARIABLE = re.compile(r"\$\{(?P<name>\w+)(?:(?P<op>:-|:\?)(?P<arg>[^}]*))?\}")


class MissingVariable(Exception):
    pass


def _interpolate(value: str, env: dict | None = None) -> str:
    """What compose makes of ``value`` with only ``env`` set (``:?`` raises)."""
    env = env or {}

    def replace(match):
        name, op, arg = match["name"], match["op"], match["arg"]
        if env.get(name):
            return env[name]
        if op == ":?":
            raise MissingVariable(name)
        return arg or ""

    return _VARIABLE.sub(replace, value)


def test_the_production_services_are_all_there(compose):
    assert {"postgres", "redis", "web", "worker", "beat"} <= set(compose["services"])


def test_web_serves_the_asgi_application(compose):
    command = compose["services"]["web"]["command"]
    assert command[0] in {"uvicorn", "daphne"}
    assert "config.asgi:application" in command
    assert [_interpolate(port) for port in compose["services"]["web"]["ports"]] == [
        "127.0.0.1:8000:8000"
    ]


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


def test_web_trusts_forwarded_headers_only_from_the_configured_proxies(compose):
    command = compose["services"]["web"]["command"]
    allowed = command[command.index("--forwarded-allow-ips") + 1]
    assert "*" not in allowed
    assert "JUMELAGE_TRUSTED_PROXIES" in allowed
    assert _interpolate(allowed) == "127.0.0.1"
    assert _interpolate(allowed, {"JUMELAGE_TRUSTED_PROXIES": "10.0.0.2"}) == "10.0.0.2"
    env = compose["services"]["web"]["environment"]
    assert "JUMELAGE_TRUSTED_PROXIES" in env["JUMELAGE_TRUSTED_PROXIES"]


def test_web_is_published_on_the_host_loopback_only_by_default(compose):
    for port in compose["services"]["web"]["ports"]:
        host_ip = _interpolate(port).split(":")[0]
        assert host_ip == "127.0.0.1"


def test_no_server_banner(compose):
    assert "--no-server-header" in compose["services"]["web"]["command"]
    assert "--no-server-header" in (ROOT / "Dockerfile").read_text()


def _secret_values(compose):
    for name, service in compose["services"].items():
        for key, value in (service.get("environment") or {}).items():
            if any(word in key for word in ("PASSWORD", "SECRET", "DATABASE_URL")):
                yield name, key, str(value)


def test_no_secret_has_a_default(compose):
    found = list(_secret_values(compose))
    assert {key for _, key, _ in found} >= {
        "POSTGRES_PASSWORD",
        "DJANGO_SECRET_KEY",
        "DATABASE_URL",
        "EMAIL_HOST_PASSWORD",
    }
    for service, key, value in found:
        assert "${" in value, f"{service}.{key} is written into the file"
        for match in _VARIABLE.finditer(value):
            if "PASSWORD" in match["name"] or "SECRET" in match["name"]:
                assert match["op"] != ":-" or not match["arg"], (
                    f"{service}.{key}: ${{{match['name']}}} has a default"
                )


@pytest.mark.parametrize("missing", ["POSTGRES_PASSWORD", "DJANGO_SECRET_KEY"])
def test_compose_refuses_to_start_without_the_database_password_and_secret_key(compose, missing):
    env = {"POSTGRES_PASSWORD": "s3cret", "DJANGO_SECRET_KEY": "k" * 50}
    del env[missing]
    values = [value for _, _, value in _secret_values(compose)]
    with pytest.raises(MissingVariable, match=missing):
        for value in values:
            _interpolate(value, env)


def _server_commands(compose) -> dict[str, str]:
    """Every place that starts the production web server, as one line of text each."""
    dockerfile = (ROOT / "Dockerfile").read_text()
    return {
        "Dockerfile": next(line for line in dockerfile.splitlines() if line.startswith("CMD")),
        "docker-compose.yml": " ".join(compose["services"]["web"]["command"]),
        "serve_platform (make run)": (
            ROOT / "exchanges/management/commands/serve_platform.py"
        ).read_text(),
        "the chat load's spawned servers": (ROOT / "benchmarks/chat_servers.py").read_text(),
    }


def test_every_server_command_turns_permessage_deflate_off(compose):
    # Chat frames are small JSON: compressing each frame once per socket costs CPU on
    # both ends. The load script's servers run as production does, so they agree too.
    for where, text in _server_commands(compose).items():
        flat = re.sub(r'[\s",\[\]]+', " ", text)
        assert "--ws-per-message-deflate false" in flat, where
        assert "--ws-max-size 65536" in flat, where
