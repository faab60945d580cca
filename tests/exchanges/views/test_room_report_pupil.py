"""A pupil's report is thanked in a pupil's words: their teachers look at it (they do
not know "moderators"), on the page and in the room's scripts."""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from exchanges.models import Message, Report
from tests.exchanges.wall_fixtures import client_for, make_exchange_room

pytestmark = pytest.mark.django_db


def test_a_pupils_report_is_thanked_in_simple_words_that_name_their_teachers():
    """A pupil does not know "moderators": they learn that their teachers look at it."""
    built, room = make_exchange_room()
    amelia, lena = built.a.pupils[0], built.b.pupils[0]
    rude = Message.objects.create(room=room, author=lena, body="rude", client_id="r")
    response = client_for(amelia).post(
        reverse("room_message_report", args=[room.pk, rude.pk]), {"reason": "rude"},
        follow=True)
    notices = response.content.decode().split('<ul class="messages"', 1)[1].split("</ul>", 1)[0]
    assert "your teachers will look at it" in notices
    assert "moderators" not in notices
    assert Report.objects.filter(message=rude, reporter=amelia).exists()


def test_the_room_scripts_thank_a_pupil_for_a_report_in_the_pupils_words():
    """Both ways a report is acknowledged (the socket's event, the HTTP fallback) show the
    pupil's thanks to a pupil: the scripts read it from one place."""
    scripts = Path(settings.BASE_DIR, "static", "js", "room")
    page = (scripts / "page.js").read_text()
    assert 'pgettext("to a pupil", "Thank you for telling us: your teachers will look at it.")' \
        in page
    for name in ("socket.js", "message_forms.js"):
        source = (scripts / name).read_text()
        assert "reported to the moderators" not in source, name
        assert "R.showNote(R.REPORTED)" in source, name
