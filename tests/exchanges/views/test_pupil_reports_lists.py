"""A teacher's home page and dashboard list every open report of the rooms they
moderate: the class room's and the pupils' own rooms' (a pair's, a trio's), each linked
to the reported message; other teachers' reports never show."""

import pytest
from django.urls import reverse

from exchanges.services import chat
from exchanges.services.moderation import room_moderators_ensure
from tests.exchanges.wall_fixtures import (
    client_for,
    make_exchange_room,
    make_pair_room,
    send_message,
)

pytestmark = pytest.mark.django_db


def _pair_room_report(built):
    a, b = built.a.pupils[0], built.b.pupils[0]
    room = make_pair_room(built)
    room_moderators_ensure(exchange=built.exchange)
    said, _ = send_message(room, b, "you are silly")
    chat.message_report(room=room, reporter=a, message_id=said.pk, reason="mean to me")
    return room, said


def test_a_report_in_a_pupils_pair_room_is_on_both_teachers_home_with_a_link():
    built, _class_room = make_exchange_room()
    room, said = _pair_room_report(built)
    for teacher in (built.a.teacher, built.b.teacher):
        page = client_for(teacher).get(reverse("classes")).content.decode()
        section = page[page.index('id="pupil-reports"'):]
        assert "mean to me" in section and "No open report" not in section
        assert reverse("room_detail", args=[room.pk]) + f"#message-{said.pk}" in section


def test_a_report_in_a_pupils_pair_room_counts_on_the_teachers_dashboard():
    built, _class_room = make_exchange_room()
    _pair_room_report(built)
    page = client_for(built.a.teacher).get(reverse("dashboard")).content.decode()
    assert "1 open report from pupils" in page
    # The count leads to where the reports are listed.
    assert f'<a href="{reverse("classes")}#pupil-reports"><strong>1 open report' in page


def test_another_exchanges_reports_show_on_neither_page():
    built, _class_room = make_exchange_room()
    _pair_room_report(built)
    other, _ = make_exchange_room()
    client = client_for(other.a.teacher)
    assert "mean to me" not in client.get(reverse("classes")).content.decode()
    assert "open report from pupils" not in client.get(reverse("dashboard")).content.decode()
