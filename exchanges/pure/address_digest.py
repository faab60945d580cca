"""A keyed one-way digest of an e-mail address: what a block keeps of a person who left."""

from django.conf import settings
from django.utils.crypto import salted_hmac

_SALT = "jumelage.blocked-address"


def address_digest(email: str) -> str:
    """The same for the same address whatever its case; keyed with SECRET_KEY, so a list
    of addresses cannot be checked against it without the key."""
    return _digest(email, settings.SECRET_KEY)


def address_digests(email: str) -> list[str]:
    """The address's digest under SECRET_KEY and under each of SECRET_KEY_FALLBACKS: a
    digest kept before a key rotation still matches while the old key is a fallback (the
    address is not kept, so an old digest cannot be keyed anew)."""
    keys = [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
    return [_digest(email, key) for key in keys]


def _digest(email: str, key: str) -> str:
    return salted_hmac(_SALT, email.strip().lower(), secret=key, algorithm="sha256").hexdigest()
