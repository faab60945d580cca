"""ASGI entry point: HTTP through Django, WebSocket through Channels."""

import gc
import importlib
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

# Django must be set up before the consumers (and their models) are imported.
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.conf import settings  # noqa: E402

from exchanges.realtime.origin import OriginValidator  # noqa: E402
from exchanges.realtime.routing import websocket_urlpatterns  # noqa: E402

# The URLconf, its views and what they import (the matching engine, SciPy) load now,
# not on the first reverse(): a socket handler that reverses a URL (a report's
# notification link) would otherwise hold its socket for seconds of imports.
importlib.import_module(settings.ROOT_URLCONF)

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        # Scheme, host and port of the page's origin (not the host name alone).
        "websocket": OriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)

# Everything imported so far lives as long as the process: move it out of the garbage
# collector's view, so full collections (which pause every socket) scan only new objects.
gc.freeze()
