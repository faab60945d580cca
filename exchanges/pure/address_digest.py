"""A keyed one-way digest of an e-mail address: what a block keeps of a person who left."""

from django.utils.crypto import salted_hmac


def address_digest(email: str) -> str:
    """The same for the same address whatever its case; keyed with SECRET_KEY, so a list
    of addresses cannot be checked against it without the key (rotating the key forgets
    the blocks it carried)."""
    return salted_hmac(
        "jumelage.blocked-address", email.strip().lower(), algorithm="sha256"
    ).hexdigest()
