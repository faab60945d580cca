"""Times are shown in the viewer's zone: their profile's, else their browser's.

The browser's zone arrives in a cookie that static/js/zone.js sets; a zone that is not
a real IANA name is ignored. Without either, pages show UTC and say so. The profile's zone
comes joined to the signed-in user (see ``selectors.viewer_zone``), so it is current on
every device from the request after a change, and costs no query.
"""

from functools import cache
from zoneinfo import available_timezones

from django.utils import timezone, translation

from exchanges.selectors.interface_language import supported_language
from exchanges.selectors.viewer_zone import viewer_zone
from exchanges.services.interface_language import user_language_remember_if_unset

ZONE_COOKIE = "jumelage_tz"


@cache
def _known_zones() -> frozenset[str]:
    return frozenset(available_timezones())


class ViewerZoneMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        zone = None
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            zone = viewer_zone(user=user)
        if zone is None:
            cookie = request.COOKIES.get(ZONE_COOKIE, "")
            zone = cookie if cookie in _known_zones() else None
        if zone is None:
            return self.get_response(request)
        with timezone.override(zone):
            return self.get_response(request)


class AccountLanguageMiddleware:
    """A signed-in person's chosen language wins over the cookie and the browser's
    Accept-Language (LocaleMiddleware, earlier, chose from those): the same language on
    every device, and the one their e-mails are written in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        chosen = None
        if user is not None and user.is_authenticated:
            chosen = supported_language(user.language)
        if chosen and chosen != translation.get_language():
            translation.activate(chosen)
            request.LANGUAGE_CODE = chosen
        return self.get_response(request)


def account_language_remember(sender, request, user, **kwargs) -> None:
    """On login (``user_logged_in``): an account without a language takes the page's, so
    its e-mails are no longer English by default."""
    # The language LocaleMiddleware found for this request (none for a login made outside
    # a request, e.g. a test client's force_login).
    language = getattr(request, "LANGUAGE_CODE", None) if request is not None else None
    user_language_remember_if_unset(user=user, language=language)
