"""The sign-up page counts a person's age in the calendar year of their browser's zone:
at half past midnight on 1 January in Tokyo (31 December in UTC) someone born eighteen
years before may register."""

import datetime as dt

import pytest
from django.utils import timezone

from exchanges.middleware import ZONE_COOKIE
from exchanges.models import User
from tests.exchanges.views.test_accounts import signup

pytestmark = pytest.mark.django_db

TOKYO_NEW_YEAR = dt.datetime(2044, 12, 31, 15, 30, tzinfo=dt.UTC)  # 00:30 on 1 Jan in Tokyo


@pytest.mark.parametrize(("browser_zone", "registered"),
                         [("Asia/Tokyo", True), ("Europe/London", False)])
def test_signup_at_new_year_in_tokyo_counts_the_browsers_year(
        client, monkeypatch, browser_zone, registered):
    monkeypatch.setattr(timezone, "now", lambda: TOKYO_NEW_YEAR)
    client.cookies[ZONE_COOKIE] = browser_zone  # static/js/zone.js sets it
    response = signup(client, birth_year=2027)
    assert response.status_code == (302 if registered else 200)
    assert User.objects.filter(email="newcomer@example.test").exists() is registered
