"""The WebSocket Origin check compares scheme, host and port (exchanges/realtime/origin.py).

Unit cases on ``origin_allowed`` for every part of an origin, then the real ASGI
application through WebsocketCommunicator: a refused origin never reaches the consumer.
"""

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings as django_settings

from exchanges.realtime.origin import origin_allowed, parse_origin
from tests.exchanges.chat_fixtures import session_cookie


def _scope(origin: str | None, host: str = "localhost:8000", scheme: str = "ws") -> dict:
    headers = [(b"host", host.encode())]
    if origin is not None:
        headers.append((b"origin", origin.encode()))
    return {"type": "websocket", "scheme": scheme, "headers": headers}


@pytest.fixture
def _origins(settings):
    settings.ALLOWED_HOSTS = ["localhost", "127.0.0.1", "jumelage.example.org"]
    settings.JUMELAGE_WS_ALLOWED_ORIGINS = ["https://jumelage.example.org"]


@pytest.mark.parametrize(
    ("origin", "host", "scheme"),
    [
        ("http://localhost:8000", "localhost:8000", "ws"),  # the page's own origin
        ("HTTP://LOCALHOST:8000", "localhost:8000", "ws"),  # case-insensitive
        ("http://localhost", "localhost", "ws"),  # default port on both sides
        ("http://localhost:80", "localhost", "ws"),
        ("https://localhost", "localhost:443", "wss"),
        ("https://jumelage.example.org", "10.0.0.5:8000", "ws"),  # listed (behind a proxy)
        ("https://jumelage.example.org:443", "10.0.0.5:8000", "ws"),
    ],
)
@pytest.mark.usefixtures("_origins")
def test_own_and_listed_origins_are_accepted(origin, host, scheme):
    assert origin_allowed(_scope(origin, host, scheme))


@pytest.mark.parametrize(
    ("origin", "host", "scheme"),
    [
        ("http://localhost:9999", "localhost:8000", "ws"),  # another port of the host
        ("https://localhost:8000", "localhost:8000", "ws"),  # another scheme
        ("http://localhost:8000", "localhost:8000", "wss"),
        ("http://evil.test:8000", "localhost:8000", "ws"),  # another host
        ("http://evil.test:8000", "evil.test:8000", "ws"),  # same origin, host not allowed
        ("http://jumelage.example.org", "10.0.0.5:8000", "ws"),  # listed only as https
        ("https://jumelage.example.org:8443", "10.0.0.5:8000", "ws"),
        ("https://sub.jumelage.example.org", "10.0.0.5:8000", "ws"),
        ("null", "localhost:8000", "ws"),
        ("", "localhost:8000", "ws"),
        (None, "localhost:8000", "ws"),  # no Origin header at all
        ("http://localhost:99999", "localhost:99999", "ws"),  # not a port
        ("http://user@localhost:8000", "localhost:8000", "ws"),
        ("http://localhost:8000/path", "localhost:8000", "ws"),
        ("file://", "localhost:8000", "ws"),
    ],
)
@pytest.mark.usefixtures("_origins")
def test_other_scheme_host_or_port_is_refused(origin, host, scheme):
    assert not origin_allowed(_scope(origin, host, scheme))


def test_parse_origin_makes_the_default_port_explicit():
    assert parse_origin("https://Example.org") == ("https", "example.org", 443)
    assert parse_origin("http://[::1]:8000") == ("http", "::1", 8000)
    assert parse_origin("ws://example.org") is None


def test_default_allowed_origins_come_from_the_site_url_and_csrf_origins():
    """The suite runs with DEBUG and without JUMELAGE_WS_ALLOWED_ORIGINS (pyproject)."""
    origins = django_settings.JUMELAGE_WS_ALLOWED_ORIGINS
    site = django_settings.JUMELAGE_SITE_URL
    assert any(site.startswith(o) for o in origins)
    assert set(django_settings.CSRF_TRUSTED_ORIGINS) <= set(origins)
    if django_settings.DEBUG:
        assert {"http://localhost:8000", "http://127.0.0.1:8000"} <= set(origins)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("fresh_channel_layer", "_origins")
@pytest.mark.parametrize(
    ("origin", "accepted"),
    [
        ("http://localhost:8000", True),
        ("http://localhost:9999", False),
        ("https://localhost:8000", False),
        ("http://127.0.0.1:8000", False),  # another host than the socket's, not listed
    ],
)
async def test_the_application_refuses_a_socket_from_another_port_or_scheme(
    match_room, origin, accepted
):
    from config.asgi import application

    room, user_a, *_ = match_room
    cookie = await sync_to_async(session_cookie)(user_a)
    comm = WebsocketCommunicator(
        application, f"/ws/rooms/{room.pk}/",
        headers=[(b"origin", origin.encode()), (b"host", b"localhost:8000"),
                 (b"cookie", f"{django_settings.SESSION_COOKIE_NAME}={cookie}".encode())],
    )
    connected, _ = await comm.connect(timeout=5)
    assert connected is accepted
    if accepted:
        assert (await comm.receive_json_from(timeout=5))["type"] == "room.joined"
    await comm.disconnect()
