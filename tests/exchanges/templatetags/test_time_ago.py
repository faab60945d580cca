"""What happened under a minute ago is "just now", never "0 minutes ago"."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from exchanges.models import Notification
from exchanges.templatetags.time_ago import ago
from tests.factories import ParticipantFactory

NOW = dt.datetime(2027, 3, 1, 12, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("seconds", "said"),
    [(0, "just now"), (59, "just now"), (-5, "just now"), (60, "1\xa0minute ago"),
     (2 * 3600 + 60, "2\xa0hours, 1\xa0minute ago")],
)
def test_ago_says_just_now_under_a_minute(seconds, said):
    with translation.override("en"):
        assert ago(NOW - dt.timedelta(seconds=seconds), NOW) == said


@pytest.mark.django_db
def test_a_notification_made_now_says_just_now_and_an_older_one_its_age(client):
    user = ParticipantFactory().user
    Notification.objects.create(user=user, kind="test", text="Fresh")
    old = Notification.objects.create(user=user, kind="test", text="Older")
    Notification.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - dt.timedelta(hours=3)
    )
    client.force_login(user)
    page = client.get(reverse("notifications")).content.decode()
    assert "just now" in page and "3\xa0hours ago" in page
    assert "0\xa0minutes" not in page
