"""A login card's password: random enough that a fast hash is safe, and easy to copy
from paper."""

import math
import re

from exchanges.pure.card_passwords import (
    ALPHABET,
    CardPasswordHasher,
    card_password,
    card_password_bits,
    is_card_hash,
)


def test_a_card_password_carries_at_least_64_random_bits():
    assert card_password_bits() >= 64
    letters = len(card_password().replace("-", ""))
    assert card_password_bits() == letters * math.log2(len(ALPHABET))


def test_a_card_password_is_groups_of_lowercase_letters_and_digits_without_look_alikes():
    assert len(set(ALPHABET)) == len(ALPHABET)
    assert set(ALPHABET) <= set("abcdefghijklmnopqrstuvwxyz0123456789")
    assert not set(ALPHABET) & set("01ilo")  # 0/o, 1/l/i
    passwords = {card_password() for _ in range(200)}
    assert len(passwords) == 200
    group = f"[{re.escape(ALPHABET)}]{{5}}"
    assert all(re.fullmatch(f"{group}-{group}-{group}", p) for p in passwords)


def test_the_card_hasher_has_a_name_of_its_own_and_checks_what_it_made():
    hasher = CardPasswordHasher()
    encoded = hasher.encode("abcde-fghjk-mnpqr", hasher.salt())
    assert encoded.startswith("pbkdf2_sha256_card$")
    assert is_card_hash(encoded)
    assert not is_card_hash("pbkdf2_sha256$1000000$salt$hash")
    assert hasher.verify("abcde-fghjk-mnpqr", encoded)
    assert not hasher.verify("abcde-fghjk-mnpqs", encoded)
