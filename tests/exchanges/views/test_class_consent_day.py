"""The class page dates the parental consent on the class's calendar: a teacher whose
browser has not told its zone would otherwise read UTC's day, unnamed."""

import datetime as dt

import pytest
from django.urls import reverse

from exchanges.models import Classroom
from tests.exchanges.classroom_fixtures import classroom, teacher, twin_cities

pytestmark = pytest.mark.django_db


def test_the_consent_day_is_the_one_on_the_class_calendar(client):
    coventry, _, _ = twin_cities()
    user = teacher()
    room = classroom(teacher_user=user, city=coventry)
    # 23:30 UTC on 10 June is 00:30 on 11 June in Coventry.
    Classroom.objects.filter(pk=room.pk).update(
        consent_confirmed_at=dt.datetime(2026, 6, 10, 23, 30, tzinfo=dt.UTC),
        consent_confirmed_by=user)
    client.force_login(user)
    page = client.get(reverse("classroom_detail", args=[room.pk])).content.decode()
    assert f"confirmed by {user.public_name} on Thu 11 Jun 2026" in page
