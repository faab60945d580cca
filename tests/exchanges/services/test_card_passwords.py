"""Login cards' passwords are hashed with the quick card hasher (pure.card_passwords says
why that is safe); the first login upgrades the hash and the pupil's own password has the
default hasher, like everyone's."""

from unittest import mock

import pytest
from django.conf import settings
from django.contrib.auth.hashers import (
    PBKDF2PasswordHasher,
    get_hasher,
    get_hashers,
    identify_hasher,
)
from django.core.exceptions import ValidationError

from config import settings as served
from exchanges.models import User
from exchanges.pure.card_passwords import CardPasswordHasher
from exchanges.services.pupils import (
    login_cards_print,
    pupil_login,
    pupil_password_reset,
    pupil_password_set,
)
from tests.exchanges.classroom_fixtures import pupils_added

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_limits")]
CARD = "pbkdf2_sha256_card"
CARD_HASHER = "exchanges.pure.card_passwords.CardPasswordHasher"


def _algorithm(user: User) -> str:
    user.refresh_from_db()
    return identify_hasher(user.password).algorithm


def test_the_card_hasher_is_listed_after_the_default_so_people_keep_the_default():
    for hashers in (served.PASSWORD_HASHERS, settings.PASSWORD_HASHERS):
        assert CARD_HASHER in hashers[1:]
    assert served.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.PBKDF2PasswordHasher"


def test_added_printed_and_reset_cards_are_stored_with_the_card_hasher_and_check(
    coventry_class,
):
    added = pupils_added(coventry_class, "Amelia K.", "Jonas M.")
    for card in added:
        assert _algorithm(card.pupil.user) == CARD
        assert card.pupil.user.check_password(card.password)
    printed = login_cards_print(classroom=coventry_class, by=coventry_class.teacher)
    reset = pupil_password_reset(pupil=printed[0].pupil, by=coventry_class.teacher)
    for card in [*printed[1:], reset]:
        assert _algorithm(card.pupil.user) == CARD
        assert card.pupil.user.check_password(card.password)
        assert not card.pupil.user.check_password(added[0].password)


def test_the_first_login_upgrades_the_card_hash_and_the_pupils_own_password_has_the_default(
    coventry_class,
):
    (card,) = pupils_added(coventry_class, "Jonas M.")
    default = get_hashers()[0].algorithm
    assert default != CARD
    user = pupil_login(code=card.code, display_name="Jonas M.", password=card.password,
                       ip="192.0.2.1")
    assert _algorithm(user) == default and user.check_password(card.password)
    pupil_password_set(user=user, password="my-own-secret-42")
    assert _algorithm(user) == default and user.check_password("my-own-secret-42")


def test_a_wrong_password_for_a_card_costs_a_default_hash_as_for_an_unknown_name(
    coventry_class,
):
    """The card's check is quick: without the default hasher's work beside it, the time
    a wrong guess takes would tell which names in the class still hold a card."""
    (card,) = pupils_added(coventry_class, "Jonas M.")
    default = type(get_hasher())
    for name in ("Jonas M.", "Nobody Here"):
        work = mock.patch.object(default, "encode", autospec=True, side_effect=default.encode)
        with work as encode, pytest.raises(ValidationError):
            pupil_login(code=card.code, display_name=name, password="wrong-guess-1",
                        ip="192.0.2.2")
        assert encode.call_count == 1, name
    assert CardPasswordHasher.iterations < PBKDF2PasswordHasher.iterations
