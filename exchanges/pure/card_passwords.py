"""The one-time passwords a teacher prints on pupils' login cards, and their hasher.

A card's password is 15 characters drawn at random (``secrets``) from 31 lowercase
letters and digits without look-alikes (no 0/o, 1/l/i), in three groups of five a child
copies from paper: 15·log2(31) ≈ 74 bits. Hashing slowly (PBKDF2's million iterations,
0.25–0.4 s a password) only helps a password someone could guess; nobody searches 2^73
candidates on average, whatever a guess costs, so the slowness buys these nothing and made
a class's cards wait 8–12 s. :class:`CardPasswordHasher` therefore uses few iterations.
It is listed after the default in ``PASSWORD_HASHERS``, so nobody's own password uses it:
the pupil's first login with the card re-hashes it with the default (Django upgrades a
hash whose hasher is not the first), and the pupil then chooses their own password.
"""

import math
import secrets

from django.contrib.auth.hashers import PBKDF2PasswordHasher

ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
GROUPS, GROUP_LENGTH = 3, 5


def card_password() -> str:
    groups = ("".join(secrets.choice(ALPHABET) for _i in range(GROUP_LENGTH))
              for _g in range(GROUPS))
    return "-".join(groups)


def card_password_bits() -> float:
    return GROUPS * GROUP_LENGTH * math.log2(len(ALPHABET))


class CardPasswordHasher(PBKDF2PasswordHasher):
    """PBKDF2-SHA256 with a salt and 10 000 iterations, for card passwords only (see the
    module's docstring): about 3 ms a password, and 2^86 hash rounds to find one."""

    algorithm = "pbkdf2_sha256_card"
    iterations = 10_000


def is_card_hash(encoded: str) -> bool:
    return encoded.startswith(CardPasswordHasher.algorithm + "$")
