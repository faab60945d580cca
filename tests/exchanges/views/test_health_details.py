"""/healthz: the status for everyone, the details for superusers and local probes."""

import pytest
import redis
from django.urls import reverse

from exchanges.selectors import health
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PUBLIC = {"REMOTE_ADDR": "203.0.113.9"}


def test_the_public_learns_the_status_only(client):
    response = client.get(reverse("healthz"), **PUBLIC)
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_the_public_learns_a_degraded_status_without_the_error(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get(reverse("healthz"), **PUBLIC)
    assert response.status_code == 503
    assert response.json() == {"status": "degraded"}
    assert b"127.0.0.1" not in response.content


def test_a_forwarded_header_does_not_pass_for_localhost(client):
    for header in ("HTTP_X_FORWARDED_FOR", "HTTP_FORWARDED", "HTTP_X_REAL_IP"):
        response = client.get(reverse("healthz"), REMOTE_ADDR="127.0.0.1", **{header: "127.0.0.1"})
        assert response.json() == {"status": "ok"}, header


def test_a_trusted_proxy_relaying_localhost_does_not_pass_either(client, settings):
    settings.JUMELAGE_TRUSTED_PROXIES = ["10.0.0.2"]
    response = client.get(
        reverse("healthz"), REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="127.0.0.1"
    )
    assert response.json() == {"status": "ok"}


@pytest.mark.parametrize("who", ["participant", "officer"])
def test_signed_in_non_superusers_learn_the_status_only(client, who):
    client.force_login(UserFactory(is_staff=who == "officer"))
    assert client.get(reverse("healthz"), **PUBLIC).json() == {"status": "ok"}


def test_a_superuser_sees_the_details_from_anywhere(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    body = client.get(reverse("healthz"), **PUBLIC).json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert "ms" in body["database"]


@pytest.mark.parametrize("remote", ["127.0.0.1", "::1"])
def test_a_direct_local_probe_sees_the_details(client, remote):
    body = client.get(reverse("healthz"), REMOTE_ADDR=remote).json()
    assert body["database"]["ok"] is True
    assert "redis" in body


def test_redis_is_probed_through_one_client_per_process(client, redis_url, monkeypatch):
    made = []
    real_from_url = redis.Redis.from_url

    def counting_from_url(*args, **kwargs):
        made.append(args)
        return real_from_url(*args, **kwargs)

    health._redis_client.cache_clear()
    monkeypatch.setattr(redis.Redis, "from_url", counting_from_url)
    for _ in range(5):
        assert client.get(reverse("healthz")).json()["redis"]["ok"] is True
    assert len(made) == 1
    pool = health._redis_client(redis_url).connection_pool
    assert pool is health._redis_client(redis_url).connection_pool
    health._redis_client.cache_clear()
