"""Every ended match keeps its room, closed: the dashboard shows the open rooms and the
five newest closed ones, and the rooms page all of them a page at a time, in a number of
queries that does not grow with the rooms."""

import re

import pytest
from django.urls import reverse

from exchanges.models import Match, Room
from exchanges.selectors.rooms import ROOMS_CLOSED_SHOWN, ROOMS_PER_PAGE
from exchanges.services.rooms import room_open
from tests.factories import MatchFactory, ParticipantFactory

pytestmark = pytest.mark.django_db


def _rooms(person, *, open_rooms: int, closed: int) -> list[Room]:
    """Rooms of ``person``'s matches, the oldest first; titled so a page can be read."""
    made = []
    for i in range(open_rooms + closed):
        match = MatchFactory(participant_a=person, status=Match.Status.ACTIVE)
        room = room_open(match=match)
        room.title = f"room number {i}."
        if i < closed:
            room.status = Room.Status.CLOSED
        room.save()
        made.append(room)
    return made


def _shown(html: str) -> list[int]:
    return [int(n) for n in re.findall(r"room number (\d+)\.", html)]


@pytest.fixture
def person(client):
    person = ParticipantFactory()
    client.force_login(person.user)
    return person


def test_the_dashboard_shows_open_rooms_and_the_newest_closed_ones(client, person):
    _rooms(person, open_rooms=2, closed=ROOMS_CLOSED_SHOWN + 7)
    _rooms(ParticipantFactory(), open_rooms=1, closed=1)  # someone else's
    html = client.get(reverse("dashboard")).content.decode()
    assert _shown(html) == [13, 12, 11, 10, 9, 8, 7]
    assert f'href="{reverse("room_list")}"' in html


def test_the_dashboard_has_no_link_when_every_room_is_shown(client, person):
    _rooms(person, open_rooms=1, closed=ROOMS_CLOSED_SHOWN)
    html = client.get(reverse("dashboard")).content.decode()
    assert len(_shown(html)) == ROOMS_CLOSED_SHOWN + 1
    assert f'href="{reverse("room_list")}"' not in html


def test_the_rooms_page_lists_every_room_a_page_at_a_time(client, person):
    _rooms(person, open_rooms=1, closed=ROOMS_PER_PAGE + 4)
    _rooms(ParticipantFactory(), open_rooms=1, closed=0)
    first = client.get(reverse("room_list")).content.decode()
    assert _shown(first) == [29] + list(range(28, 4, -1))
    assert "Page 1 of 2" in first
    assert _shown(client.get(reverse("room_list"), {"page": 2}).content.decode()) == [
        4, 3, 2, 1, 0]


@pytest.mark.parametrize("closed", [1, 60])
def test_the_dashboard_and_rooms_page_queries_do_not_grow_with_the_rooms(
    client, person, closed, django_assert_max_num_queries
):
    _rooms(person, open_rooms=1, closed=closed)
    # 17: the next sessions are read as those under way, then those ahead.
    with django_assert_max_num_queries(17):
        html = client.get(reverse("dashboard")).content.decode()
    assert len(_shown(html)) == 1 + min(closed, ROOMS_CLOSED_SHOWN)
    with django_assert_max_num_queries(8):
        html = client.get(reverse("room_list")).content.decode()
    assert len(_shown(html)) == min(1 + closed, ROOMS_PER_PAGE)


def test_a_partners_room_is_named_by_their_public_name_never_their_address(client):
    # An account made without a display name (in the admin, say) is shown by the part of
    # its address before the @, as everywhere partners see each other; never the address.
    match = MatchFactory(status=Match.Status.ACTIVE, participant_b__user__display_name="",
                         participant_b__user__email="ana.secret@example.test")
    room = room_open(match=match)
    assert "@" not in room.title
    client.force_login(match.participant_a.user)
    for url in (reverse("dashboard"), reverse("room_list"),
                reverse("room_detail", args=[room.pk])):
        page = client.get(url).content.decode()
        assert "ana.secret@example.test" not in page and "ana.secret" in page
