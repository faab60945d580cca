"""A message's language through the one-message path of chat.message_send (the path of
SQLite and of a retry): stored when it is one of the room's, refused in the reader's
words when not, blank when the sender gave none."""

import pytest
from django.utils import translation

from exchanges.models import Message
from exchanges.pure.languages import language_name
from exchanges.realtime.protocol import message_event
from exchanges.selectors.room_languages import room_languages
from exchanges.services import chat

pytestmark = pytest.mark.django_db


def test_a_language_of_the_room_is_stored_and_in_the_event(room_ab):
    room, user_a, _ = room_ab
    code = room_languages(room=room)[0]
    message, created = chat.message_send(room=room, author=user_a, body="Hallo",
                                         client_id="c", lang=code.upper())
    assert created and message.lang == code  # stored as the room spells it
    assert Message.objects.get(pk=message.pk).lang == code
    assert message_event(message)["lang"] == code


def test_no_language_stores_a_blank_one(room_ab):
    room, user_a, _ = room_ab
    message, _ = chat.message_send(room=room, author=user_a, body="Hallo", client_id="c")
    assert Message.objects.get(pk=message.pk).lang == ""


def test_a_language_not_of_the_room_is_refused_naming_the_rooms_languages(room_ab):
    room, user_a, _ = room_ab
    assert "fr" not in room_languages(room=room)
    with pytest.raises(chat.ChatError) as exc:
        chat.message_send(room=room, author=user_a, body="Bonjour", client_id="c", lang="fr")
    assert exc.value.code == "unknown_language"
    assert not Message.objects.exists()
    with translation.override("de"):
        text = exc.value.text()
        assert all(language_name(code) in text for code in room_languages(room=room))


@pytest.mark.parametrize("lang", [5, ["de"], {"de": 1}])
def test_a_language_that_is_not_a_string_is_invalid(room_ab, lang):
    room, user_a, _ = room_ab
    with pytest.raises(chat.ChatError) as exc:
        chat.message_send(room=room, author=user_a, body="Hallo", client_id="c", lang=lang)
    assert exc.value.code == "invalid"
    assert not Message.objects.exists()
