"""The djangojs catalogue (gettext & co. for static/js), rendered once per language and
cached (about 7 kB that every page loaded afresh).

Pages link ``/jsi18n/?lang=<language>&v=<fingerprint>``: the language is in the URL, so
switching it changes the URL, and the fingerprint is the catalogue's own, so a new
catalogue does too; that URL may be kept for a year without asking again. Any other
request (no or an old ``v``) is answered ``no-cache`` with an ETag, so the browser
revalidates and gets 304. Each process keeps the rendered catalogue per language until
its compiled ``djangojs.mo`` changes (``make messages`` and a compile, or a deploy).
"""

import hashlib
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import urlencode
from django.views.decorators.http import require_safe
from django.views.i18n import JavaScriptCatalog

YEAR = 365 * 24 * 3600
# Only our catalogue (LOCALE_PATHS, "exchanges"): the admin's script strings would double
# what every page downloads.
_DOMAIN, _PACKAGES = "djangojs", ["exchanges"]
# language -> (the .mo files' modification times, body, ETag)
_rendered: dict[str, tuple[tuple[int, ...], bytes, str]] = {}


def _supported(language: str | None) -> str | None:
    codes = {code for code, _name in settings.LANGUAGES}
    return language if language in codes else None


def _stamp(language: str) -> tuple[int, ...]:
    stamps = []
    for directory in settings.LOCALE_PATHS:
        try:
            stamps.append(
                (Path(directory) / language / "LC_MESSAGES" / f"{_DOMAIN}.mo").stat().st_mtime_ns
            )
        except OSError:
            stamps.append(0)
    return tuple(stamps)


def _catalogue(request, language: str) -> tuple[bytes, str]:
    """``(body, ETag)`` of the catalogue in ``language``, rendered on first use."""
    stamp = _stamp(language)
    cached = _rendered.get(language)
    if cached is not None and cached[0] == stamp:
        return cached[1], cached[2]
    view = JavaScriptCatalog(domain=_DOMAIN, packages=_PACKAGES)
    with translation.override(language):
        response = view.get(request)
    body = response.content
    etag = f'"{language}-{hashlib.sha256(body).hexdigest()[:16]}"'
    _rendered[language] = (stamp, body, etag)
    return body, etag


def javascript_catalogue_url(request) -> str:
    """The catalogue's URL for a page in the active language (base.html's script)."""
    language = _supported(translation.get_language()) or settings.LANGUAGE_CODE
    _body, etag = _catalogue(request, language)
    query = urlencode({"lang": language, "v": etag.strip('"').split("-", 1)[1]})
    return f"{reverse('javascript_catalog')}?{query}"


@require_safe
def javascript_catalogue(request):
    language = _supported(request.GET.get("lang"))
    body, etag = _catalogue(request, language or translation.get_language())
    versioned = language is not None and etag == f'"{language}-{request.GET.get("v")}"'
    response = HttpResponse(body, content_type='text/javascript; charset="utf-8"')
    response["ETag"] = etag
    if versioned:
        patch_cache_control(response, public=True, max_age=YEAR, immutable=True)
    else:
        # The language comes from the request (cookie, account, Accept-Language): ask
        # every time, cheaply (304 while the ETag, which names the language, holds).
        patch_cache_control(response, no_cache=True)
        if language is None:
            patch_vary_headers(response, ["Accept-Language", "Cookie"])
    return get_conditional_response(request, etag=etag, response=response) or response
