"""Absolute links for messages read outside the site (e-mails)."""

from __future__ import annotations

from django.conf import settings


def site_url(path: str) -> str:
    """`path` (starting with /) on the platform's public address, JUMELAGE_SITE_URL."""
    return f"{settings.JUMELAGE_SITE_URL}{path}"
