"""The WebSocket Origin check: scheme, host and port, not the host name alone.

A browser sends the cookies of the site it connects to whatever page opened the
socket, so a page at ``http://localhost:9999`` (or any other port or scheme of an
allowed host) must not reach a signed-in user's rooms. Channels'
``AllowedHostsOriginValidator`` compares host names only; this one accepts

* the socket's own origin: the ``Origin`` equals the scheme (``ws`` → ``http``,
  ``wss`` → ``https``), host and port the socket was opened on, and that host is one of
  ``ALLOWED_HOSTS`` (so a rebound DNS name is not "same origin");
* an origin listed in ``JUMELAGE_WS_ALLOWED_ORIGINS`` (settings), exactly.

Anything else, a missing ``Origin`` or ``null`` included, is refused at the handshake.
"""

from urllib.parse import urlsplit

from channels.security.websocket import WebsocketDenier
from django.conf import settings
from django.http.request import split_domain_port, validate_host

_DEFAULT_PORTS = {"http": 80, "https": 443}
_SOCKET_SCHEMES = {"ws": "http", "wss": "https"}

Origin = tuple[str, str, int]


def parse_origin(value: str) -> Origin | None:
    """``(scheme, host, port)`` of an http(s) origin, the port made explicit; None when
    ``value`` is not one (``null``, a path, credentials, another scheme)."""
    try:
        parts = urlsplit(value.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if (scheme not in _DEFAULT_PORTS or not parts.hostname or parts.username is not None
            or parts.path not in {"", "/"} or parts.query or parts.fragment):
        return None
    return scheme, parts.hostname.lower(), port or _DEFAULT_PORTS[scheme]


def _header(scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return value.decode("latin-1")
    return None


def _own_origin(scope) -> Origin | None:
    """The origin a page served by this site has, from the socket's Host and scheme."""
    host = _header(scope, b"host")
    if not host:
        return None
    domain, _ = split_domain_port(host)
    if not domain or not validate_host(domain, settings.ALLOWED_HOSTS):
        return None
    scheme = _SOCKET_SCHEMES.get(scope.get("scheme", "ws"))
    return parse_origin(f"{scheme}://{host}") if scheme else None


def origin_allowed(scope) -> bool:
    raw = _header(scope, b"origin")
    origin = parse_origin(raw) if raw else None
    if origin is None:
        return False
    if origin == _own_origin(scope):
        return True
    return origin in {parse_origin(o) for o in settings.JUMELAGE_WS_ALLOWED_ORIGINS}


class OriginValidator:
    """ASGI middleware: a WebSocket whose Origin is not allowed is refused (HTTP 403)."""

    def __init__(self, application):
        self.application = application

    async def __call__(self, scope, receive, send):
        if scope["type"] == "websocket" and not origin_allowed(scope):
            return await WebsocketDenier()(scope, receive, send)
        return await self.application(scope, receive, send)
