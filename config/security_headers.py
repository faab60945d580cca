"""Content-Security-Policy and Permissions-Policy on every response.

The pages load scripts and styles from our own origin only (vendored htmx, static/js,
static/css): no inline ``<script>``, no ``on*=`` handlers, no ``style=`` attributes, and
htmx is told not to inject its indicator ``<style>`` (``htmx-config`` in base.html). So
the policy can forbid everything inline, which turns a stored-XSS slip into a dead string.
"""

from django.conf import settings
from django.utils.deprecation import MiddlewareMixin

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",  # same-origin fetches and the rooms' ws(s):// sockets
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

# The platform needs none of these browser features; deny them to every frame.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
)


class SecurityHeadersMiddleware(MiddlewareMixin):
    """Sync and async capable (MiddlewareMixin), so the ASGI stack stays async."""

    def process_response(self, request, response):
        if settings.DEBUG and (response.status_code == 404 or response.status_code >= 500):
            # Django's technical error pages style themselves inline; development only.
            return response
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
