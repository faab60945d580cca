"""The admin's messages (where a superuser reads a message reported in an adults' room):
each text is marked with the language it was written in, when known."""

import pytest
from django.urls import reverse

from exchanges.models import Message
from tests.exchanges.chat_fixtures import make_match_room
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_messages_text_carries_its_language_in_the_list_and_the_form(client):
    room, user_a, _user_b, _ = make_match_room()
    german = Message.objects.create(room=room, author=user_a, body="Guten Tag", client_id="g",
                                    lang="de")
    Message.objects.create(room=room, author=user_a, body="Before", client_id="o")
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    listing = client.get(reverse("admin:exchanges_message_changelist")).content.decode()
    assert '<span lang="de" dir="auto">Guten Tag</span>' in listing
    assert ">Before<" in listing and 'dir="auto">Before' not in listing
    form = client.get(reverse("admin:exchanges_message_change", args=[german.pk]))
    body = form.content.decode()
    textarea = body[body.index('<textarea name="body"'):]
    assert 'lang="de"' in textarea[:textarea.index(">")]
