"""A removed pupil's name does not stay in other people's notices: their teacher's "wrote
a post" and "reported a message", their partners' "your partner is …" go with the
account (when the teacher removes it, and when the retention rule deletes it)."""

import datetime as dt

import pytest
from django.apps import apps
from django.core import serializers
from django.utils import timezone

from exchanges.models import ClassroomExchange, Notification, Report
from exchanges.selectors.notification_text import join_param
from exchanges.services import retention
from exchanges.services.chat import message_send
from exchanges.services.moderation import report_notify_teachers
from exchanges.services.notifications import notification_create
from exchanges.services.pupils import pupil_remove
from exchanges.services.wall import wall_post_create
from tests.authorization_world import build_world
from tests.exchanges.class_exchange_fixtures import pupils_joined_before
from tests.exchanges.wall_fixtures import make_exchange_room

pytestmark = pytest.mark.django_db


def _named_by(exchange_room, pupil):
    """What names ``pupil`` in other bells: a post waiting for the teacher, a report to
    both teachers, a partner's room notice."""
    built, room = exchange_room
    partner = built.b.pupils[0]
    wall_post_create(exchange=built.exchange, author=pupil, text="My town")
    said, _ = message_send(room=room, author=partner, body="Hi", client_id=f"x{pupil.pk}")
    report_notify_teachers(report=Report.objects.create(message=said, reporter=pupil,
                                                        reason="rude"))
    notification_create(user=partner, kind="pairing.room",
                        message="Your partner is %(names)s: your room is open.",
                        params={"names": join_param([pupil.display_name], " and ")})


def _notices_naming(name: str) -> list[str]:
    return [n.kind for n in Notification.objects.all()
            if name in n.text or name in str(n.params)]


def test_removing_a_pupil_takes_their_name_out_of_other_peoples_notices():
    built = make_exchange_room()
    leaving, staying = built[0].a.pupils
    _named_by(built, leaving)
    _named_by(built, staying)
    assert sorted(_notices_naming(leaving.display_name)) == [
        "pairing.room", "room.report", "room.report", "wall.pending"]

    pupil_remove(pupil=leaving.participant, by=built[0].a.teacher)

    assert _notices_naming(leaving.display_name) == []
    assert sorted(_notices_naming(staying.display_name)) == [
        "pairing.room", "room.report", "room.report", "wall.pending"]


def test_the_retention_rule_takes_the_pupils_names_out_of_the_teachers_notices():
    built = make_exchange_room()
    pupil = built[0].a.pupils[0]
    _named_by(built, pupil)
    other = make_exchange_room(pupils_a=("Zoe R.", "Max T."), pupils_b=("Ida F.", "Tom H."))
    # ^ a live exchange: its notices stay
    _named_by(other, other[0].a.pupils[0])
    kept = Notification.objects.filter(user__in=[other[0].a.teacher, other[0].b.teacher]
                                       ).count()
    now = timezone.now()
    ClassroomExchange.objects.filter(pk=built[0].exchange.pk).update(
        status=ClassroomExchange.Status.ENDED, ended_at=now - dt.timedelta(days=91))
    pupils_joined_before(built[0].exchange, now - dt.timedelta(days=91))

    assert retention.retention_purge(exchange_id=built[0].exchange.pk, now=now) == 4

    assert _notices_naming(pupil.display_name) == []
    assert Notification.objects.filter(user__in=[other[0].a.teacher, other[0].b.teacher]
                                       ).count() == kept


def test_nothing_in_the_database_names_a_removed_pupil():
    world = build_world()
    pupil = world.users["pupil"]
    name = pupil.display_name
    pupil_remove(pupil=pupil.participant, by=world.users["teacher"])
    left = [
        f"{model._meta.label}: {serializers.serialize('json', [row])[:300]}"
        for model in apps.get_models()
        for row in model._default_manager.all()
        if name in serializers.serialize("json", [row])
    ]
    assert left == []
