"""The class room speaks to pupils as friends (French "tu", German "du") and to adults
formally ("vous", "Sie"): the room page and the room script's messages."""

import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from exchanges.models import Room
from tests.exchanges.class_exchange_fixtures import active_exchange
from tests.exchanges.classroom_fixtures import PUPIL_BACKEND
from tests.i18n.speaking import signed_in

pytestmark = pytest.mark.django_db

FORMAL = {"fr": re.compile(r"\b(vous|votre|vos)\b", re.I),
          "de": re.compile(r"\b(Sie|Ihre?[mnrs]?)\b")}
FRIENDLY = {"fr": re.compile(r"\b(tu|ta|tes|toi)\b", re.I),
            "de": re.compile(r"\b(du|deine?[mnrs]?|dich|dir)\b", re.I)}


def _text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _room_part(html: str) -> str:
    """The room itself: its card, aside and form templates (not the site's header)."""
    start = html.index('id="room"')
    return _text(html[start:])


@pytest.mark.parametrize("language", ["fr", "de"])
def test_a_pupil_is_spoken_to_as_a_friend_in_the_class_room(language):
    exchange, pupils_a, _ = active_exchange(a_count=1, b_count=1)
    client = signed_in(pupils_a[0].user, language, backend=PUPIL_BACKEND)
    page = _room_part(client.get(reverse("room_detail", args=[exchange.room.pk])).content.decode())
    assert FRIENDLY[language].search(page), page
    assert not FORMAL[language].search(page), FORMAL[language].findall(page)


@pytest.mark.parametrize("language", ["fr", "de"])
def test_a_closed_class_room_tells_a_pupil_as_a_friend(language):
    exchange, pupils_a, _ = active_exchange(a_count=1, b_count=1)
    Room.objects.filter(pk=exchange.room.pk).update(status=Room.Status.CLOSED,
                                                     closed_reason="closed by a teacher")
    client = signed_in(pupils_a[0].user, language, backend=PUPIL_BACKEND)
    page = _room_part(client.get(reverse("room_detail", args=[exchange.room.pk])).content.decode())
    assert FRIENDLY[language].search(page) and not FORMAL[language].search(page), page


@pytest.mark.parametrize("language", ["fr", "de"])
def test_the_room_scripts_pupil_messages_are_friendly_and_the_adults_formal(language):
    catalogue = Client().get(reverse("javascript_catalog") + f"?lang={language}")
    body = catalogue.content.decode()
    # The catalogue is a script that holds a JSON object of msgid -> msgstr.
    entries = json.loads(re.search(r"const newcatalog = (\{.*?\});", body, re.S).group(1))
    for msgid in ("Please log in again.", "You are not a member of this room.",
                  "You are sending too fast; retrying in a few seconds."):
        pupil = entries["to a pupil\x04" + msgid]
        adult = entries[msgid]
        assert FRIENDLY[language].search(pupil) and not FORMAL[language].search(pupil), pupil
        assert FORMAL[language].search(adult), adult
