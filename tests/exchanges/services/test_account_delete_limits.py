"""Wrong passwords on the account-deletion page are limited per account, in fixed
windows: past the limit even the right password is refused until the window ends."""

import time

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError

from exchanges.models import User
from exchanges.services.account_delete_limits import (
    MAX_WRONG_PASSWORDS,
    account_delete_failure_record,
    account_delete_wait,
)
from exchanges.services.accounts import account_delete
from tests.factories import ParticipantFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"  # the factories' password


@pytest.fixture(autouse=True)
def _fresh():
    cache.clear()
    yield
    cache.clear()


def _wrong(user, times):
    for _ in range(times):
        with pytest.raises(ValidationError):
            account_delete(user=user, password="not-mine")


def test_an_account_waits_after_its_limit_and_others_do_not():
    for _ in range(MAX_WRONG_PASSWORDS - 1):
        account_delete_failure_record(user_id=1)
    assert account_delete_wait(user_id=1) == 0
    account_delete_failure_record(user_id=1)
    assert 0 < account_delete_wait(user_id=1) <= 15 * 60
    assert account_delete_wait(user_id=2) == 0


def test_the_right_password_past_the_limit_is_refused_with_the_wait_in_minutes():
    user = ParticipantFactory().user
    _wrong(user, MAX_WRONG_PASSWORDS)
    with pytest.raises(ValidationError) as refused:
        account_delete(user=user, password=PASSWORD)
    assert refused.value.message_dict["password"] == [
        "Too many wrong passwords. You can try again in 15 minutes."]
    assert User.objects.filter(pk=user.pk).exists()


def test_the_limit_counts_per_account():
    user, other = ParticipantFactory().user, UserFactory()
    _wrong(user, MAX_WRONG_PASSWORDS)
    account_delete(user=other, password=PASSWORD)
    assert not User.objects.filter(pk=other.pk).exists()


def test_the_right_password_works_again_once_the_window_has_passed(monkeypatch):
    monkeypatch.setattr("exchanges.services.account_delete_limits.WINDOW_SECONDS", 2)
    user = ParticipantFactory().user
    _wrong(user, MAX_WRONG_PASSWORDS)
    with pytest.raises(ValidationError) as refused:
        account_delete(user=user, password=PASSWORD)
    assert "You can try again in 1 minute." in refused.value.messages[0]
    time.sleep(2.5)
    account_delete(user=user, password=PASSWORD)
    assert not User.objects.filter(pk=user.pk).exists()
