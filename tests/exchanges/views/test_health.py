import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_healthz_reports_ok_with_every_check(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert "redis" in body
    assert response["Cache-Control"].startswith("max-age=0")


def test_healthz_is_degraded_with_503_when_redis_is_unreachable(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "degraded"
    assert body["redis"]["ok"] is False
    assert "error" in body["redis"]


def test_healthz_against_the_real_postgresql_and_redis(client, postgres, redis_url):
    body = client.get(reverse("healthz")).json()
    assert body["status"] == "ok"
    assert body["database"] == {**body["database"], "ok": True, "engine": "postgresql"}
    assert body["redis"]["ok"] is True
    assert body["channel_layer"]["backend"] == "RedisPubSubChannelLayer"
    assert body["broker"] == "redis"


def test_healthz_refuses_post(client):
    assert client.post(reverse("healthz")).status_code == 405
