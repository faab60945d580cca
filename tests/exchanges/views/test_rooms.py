"""The room page, the block action and the dashboard rooms card."""

import pytest
from django.urls import reverse

from exchanges.models import Block, Match, Message, Report, Room
from exchanges.services.chat import correction_send, message_report
from exchanges.services.rooms import room_close
from tests.exchanges.chat_fixtures import (
    ADULT_MARK,
    PUPIL_MARK,
    make_match_room,
    make_outsider,
    mark_registers,
)
from tests.exchanges.wall_fixtures import client_for, make_exchange_room

pytestmark = pytest.mark.django_db


@pytest.fixture
def room_ab():
    return make_match_room()


def test_room_page_needs_login(client, room_ab):
    room, *_ = room_ab
    response = client.get(reverse("room_detail", args=[room.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_room_page_is_404_for_a_non_member_as_for_a_missing_room(client, room_ab):
    room, *_ = room_ab
    client.force_login(make_outsider())
    assert client.get(reverse("room_detail", args=[room.pk])).status_code == 404
    assert client.get(reverse("room_detail", args=[room.pk + 1000])).status_code == 404


def test_room_page_renders_history_escaped_with_corrections(client, room_ab,
                                                          django_assert_max_num_queries):
    room, user_a, user_b, _ = room_ab
    for i in range(20):
        Message.objects.create(room=room, author=user_b, body=f"msg {i}", client_id=str(i))
    evil = Message.objects.create(room=room, author=user_b, body="<script>x()</script>",
                                  client_id="evil")
    correction_send(room=room, author=user_a, message_id=evil.pk, corrected="no <b>script</b>")
    client.force_login(user_a)
    with django_assert_max_num_queries(20):  # flat: no query per message
        response = client.get(reverse("room_detail", args=[room.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "&lt;script&gt;x()&lt;/script&gt;" in html and "<script>x()" not in html
    assert "no &lt;b&gt;script&lt;/b&gt;" in html
    assert "msg 0" in html and "msg 19" in html
    assert f'data-ws-path="/ws/rooms/{room.pk}/"' in html
    assert f'data-last-id="{evil.pk}"' in html
    assert "js/room.js" in html and "css/room.css" in html
    assert 'id="room-composer"' in html and "Block" in html


def test_closed_room_shows_banner_and_no_composer(client, room_ab):
    room, user_a, *_ = room_ab
    room_close(room=room, reason="programme over")
    client.force_login(user_a)
    html = client.get(reverse("room_detail", args=[room.pk])).content.decode()
    assert "This room is closed (programme over)" in html
    assert 'id="room-composer"' not in html


def test_block_post_closes_room_ends_match_and_records_block(client, room_ab):
    room, user_a, user_b, match = room_ab
    client.force_login(user_a)
    url = reverse("room_block", args=[room.pk])
    assert client.get(url).status_code == 405  # a POST only
    response = client.post(url)
    assert response.status_code == 302
    assert Block.objects.filter(blocker__user=user_a, blocked__user=user_b).exists()
    room.refresh_from_db()
    match.refresh_from_db()
    assert room.status == Room.Status.CLOSED and match.status == Match.Status.ENDED


def test_block_by_outsider_is_not_found(client, room_ab):
    room, *_ = room_ab
    client.force_login(make_outsider())
    assert client.post(reverse("room_block", args=[room.pk])).status_code == 404
    assert not Block.objects.exists()


def test_dashboard_lists_rooms_with_links(client, room_ab):
    room, user_a, *_ = room_ab
    client.force_login(user_a)
    html = client.get(reverse("dashboard")).content.decode()
    assert reverse("room_detail", args=[room.pk]) in html
    assert "Open" in html


def test_room_history_is_not_shown_as_notices_and_real_notices_show_once(client, room_ab):
    room, user_a, user_b, _ = room_ab
    Message.objects.create(room=room, author=user_b, body="bonjour Alice", client_id="m1")
    client.force_login(user_a)
    response = client.post(reverse("room_block", args=[room.pk]), follow=True)
    html = response.content.decode()
    notices = html.split('<ul class="messages"', 1)[1].split("</ul>", 1)[0]
    assert "You blocked" in notices and "bonjour Alice" not in notices
    # The notice was shown once: it does not come back on the next page.
    assert "You blocked" not in client.get(reverse("dashboard")).content.decode()


def test_a_closed_room_is_read_only_and_its_messages_can_still_be_reported(client, room_ab):
    room, user_a, user_b, _ = room_ab
    rude = Message.objects.create(room=room, author=user_b, body="rude", client_id="r")
    client.force_login(user_a)
    client.post(reverse("room_block", args=[room.pk]))  # blocking closes the room
    html = client.get(reverse("room_detail", args=[room.pk])).content.decode()
    assert 'id="room-composer"' not in html and 'data-action="correct"' not in html
    report_url = reverse("room_message_report", args=[room.pk, rude.pk])
    assert f'action="{report_url}"' in html
    response = client.post(report_url, {"reason": "insults"}, follow=True)
    assert "reported to the moderators" in response.content.decode()
    assert Report.objects.get(message=rude, reporter=user_a).reason == "insults"
    response = client.post(report_url, {"reason": "again"}, HTTP_ACCEPT="application/json")
    assert response.json()["code"] == "already_reported" and Report.objects.count() == 1


def test_reporting_over_http_is_for_members_and_their_rooms_messages(client, room_ab):
    room, user_a, user_b, _ = room_ab
    message = Message.objects.create(room=room, author=user_b, body="hi", client_id="h")
    client.force_login(make_outsider())
    url = reverse("room_message_report", args=[room.pk, message.pk])
    assert client.post(url, {"reason": "x"}).status_code == 404
    client.force_login(user_a)
    other_room, *_ = make_match_room()
    stranger = Message.objects.create(room=other_room, author=other_room.memberships.first().user,
                                      body="elsewhere", client_id="e")
    url = reverse("room_message_report", args=[room.pk, stranger.pk])
    assert client.post(url, {"reason": "x"}).status_code == 404
    assert client.get(reverse("room_message_report", args=[room.pk, message.pk])).status_code == 405
    assert not Report.objects.exists()


def test_ones_own_messages_offer_no_correct_or_report_and_cannot_be_reported(client, room_ab):
    room, user_a, user_b, _ = room_ab
    mine = Message.objects.create(room=room, author=user_a, body="mine", client_id="m")
    theirs = Message.objects.create(room=room, author=user_b, body="theirs", client_id="t")
    client.force_login(user_a)
    html = client.get(reverse("room_detail", args=[room.pk])).content.decode()
    own = html[html.index(f'id="message-{mine.pk}"'):html.index(f'id="message-{theirs.pk}"')]
    partners = html[html.index(f'id="message-{theirs.pk}"'):]
    assert "data-action" not in own
    assert 'data-action="correct"' in partners and 'data-action="report"' in partners
    url = reverse("room_message_report", args=[room.pk, mine.pk])
    response = client.post(url, {"reason": "x"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    assert response.json() == {"code": "own_message",
                               "detail": "You cannot report your own message."}
    assert not Report.objects.exists()


def test_an_empty_room_invites_the_first_message(client, room_ab):
    room, user_a, *_ = room_ab
    client.force_login(user_a)
    html = client.get(reverse("room_detail", args=[room.pk])).content.decode()
    assert "No messages yet: say hello" in html
    assert 'id="load-older"' in html and "hidden>Load older messages" in html


def test_a_closed_rooms_older_history_is_reached_page_by_page_without_a_socket(client, room_ab):
    room, user_a, user_b, _ = room_ab
    ids = [Message.objects.create(room=room, author=user_b, body=f"msg {i}",
                                  client_id=str(i)).pk for i in range(60)]
    room_close(room=room, reason="ended")
    client.force_login(user_a)
    url = reverse("room_detail", args=[room.pk])
    html = client.get(url).content.decode()
    assert f'data-message-id="{ids[10]}"' in html and f'data-message-id="{ids[9]}"' not in html
    assert f'href="?before={ids[10]}"' in html and "Newest messages" not in html
    older = client.get(url, {"before": ids[10]}).content.decode()
    shown = [i for i in ids if f'data-message-id="{i}"' in older]
    assert shown == ids[:10]
    assert 'href="?before=' not in older  # nothing older
    assert f'href="{url}"' in older and "Newest messages" in older
    # Anything but a message id shows the newest page.
    for bogus in ("abc", "-1", "²", "9" * 5000):
        page = client.get(url, {"before": bogus})
        assert page.status_code == 200 and f'data-message-id="{ids[-1]}"' in page.content.decode()


def test_an_open_room_page_ignores_before_and_shows_the_newest(client, room_ab):
    room, user_a, user_b, _ = room_ab
    ids = [Message.objects.create(room=room, author=user_b, body=f"msg {i}",
                                  client_id=str(i)).pk for i in range(3)]
    client.force_login(user_a)
    html = client.get(reverse("room_detail", args=[room.pk]), {"before": ids[1]}).content.decode()
    assert f'data-last-id="{ids[-1]}"' in html and "Newest messages" not in html


def test_the_sent_lookup_answers_which_of_ones_own_client_ids_the_room_saved(client, room_ab):
    """A page whose socket ended for good learns which of its pending messages were saved,
    in an open or a closed room; another member's client ids tell it nothing."""
    room, user_a, user_b, _ = room_ab
    saved = Message.objects.create(room=room, author=user_a, body="saved", client_id="c1")
    Message.objects.create(room=room, author=user_b, body="theirs", client_id="c2")
    room_close(room=room, reason="ended")
    client.force_login(user_a)
    url = reverse("room_sent", args=[room.pk])
    response = client.get(url, {"client_id": ["c1", "c2", "never"]})
    assert response.status_code == 200
    [message] = response.json()["messages"]
    assert message["id"] == saved.pk and message["client_id"] == "c1"
    assert message["body"] == "saved" and message["author"]["id"] == user_a.pk
    assert client.get(url).json() == {"messages": []}


def test_the_sent_lookup_is_404_for_a_non_member_and_a_redirect_when_logged_out(client, room_ab):
    room, user_a, *_ = room_ab
    Message.objects.create(room=room, author=user_a, body="saved", client_id="c1")
    url = reverse("room_sent", args=[room.pk])
    assert client.get(url, {"client_id": "c1"}).status_code == 302
    client.force_login(make_outsider())
    assert client.get(url, {"client_id": "c1"}).status_code == 404


def test_room_page_carries_the_services_text_limit_and_its_words_not_a_copy(client, room_ab):
    """The composer's limit and its warning are the chat service's, rendered into the page
    (room.js measures after NFC against them): no number of the template's own."""
    from exchanges.models.rooms import MESSAGE_MAX_LENGTH
    from exchanges.services.chat_refusals import REPORT_MAX_LENGTH, too_long_text

    room, user_a, *_ = room_ab
    client.force_login(user_a)
    html = client.get(reverse("room_detail", args=[room.pk])).content.decode()
    assert f'data-max-length="{MESSAGE_MAX_LENGTH}"' in html
    assert f'data-too-long="{too_long_text()}"' in html
    assert str(MESSAGE_MAX_LENGTH) in too_long_text()
    # A textarea's maxlength counts UTF-16 units: it would cut a text the server takes.
    assert 'maxlength="2000"' not in html and f'maxlength="{MESSAGE_MAX_LENGTH}"' not in html
    assert f'maxlength="{REPORT_MAX_LENGTH}"' in html


def test_reporting_a_message_twice_over_http_says_it_was_already_reported(client, room_ab):
    room, user_a, user_b, _ = room_ab
    theirs = Message.objects.create(room=room, author=user_b, body="theirs", client_id="t")
    client.force_login(user_a)
    url = reverse("room_message_report", args=[room.pk, theirs.pk])
    assert client.post(url, {"reason": "rude"}, HTTP_ACCEPT="application/json").json() == {
        "reported": theirs.pk}
    again = client.post(url, {"reason": "very rude"}, HTTP_ACCEPT="application/json")
    assert again.status_code == 400
    assert again.json() == {"code": "already_reported",
                            "detail": "You already reported this message."}
    page = client.post(url, {"reason": "very rude"}, follow=True).content.decode()
    assert "You already reported this message." in page and "Thank you" not in page
    assert list(Report.objects.values_list("reason", flat=True)) == ["rude"]


def test_the_block_button_and_its_message_never_show_the_partners_e_mail(client, room_ab):
    room, user_a, user_b, _ = room_ab
    user_b.email, user_b.display_name = "bob.private@example.org", ""  # no name to show
    user_b.save(update_fields=["email", "display_name"])
    client.force_login(user_a)
    html = client.get(reverse("room_detail", args=[room.pk])).content.decode()
    assert "Block bob.private" in html and "example.org" not in html
    response = client.post(reverse("room_block", args=[room.pk]), follow=True)
    assert "You blocked bob.private." in response.content.decode()
    assert "example.org" not in response.content.decode()


def test_the_block_confirmation_and_message_say_the_sessions_are_cancelled(client, room_ab):
    room, user_a, user_b, _ = room_ab
    client.force_login(user_a)
    html = client.get(reverse("room_detail", args=[room.pk])).content.decode()
    name = user_b.public_name
    assert (f"Block {name}? Your upcoming sessions are cancelled, the room closes for both of "
            "you and you will not be matched again.") in html
    page = client.post(reverse("room_block", args=[room.pk]), follow=True).content.decode()
    assert (f"You blocked {name}. Your upcoming sessions are cancelled, the room is closed "
            "and you will not be matched again.") in page


def _actions(html: str, message) -> str:
    """The actions of one message on the page."""
    item = html[html.index(f'id="message-{message.pk}"'):]
    return item[item.index('class="message-actions"'):item.index("</li>")]


@pytest.mark.parametrize("closed", [False, True])
def test_a_message_the_viewer_reported_says_so_instead_of_offering_report(closed):
    """Reported once, refused a second time: the page shows "Reported" for the viewer's
    own reports only; a classmate who did not report it still has the control."""
    built, room = make_exchange_room()
    reporter, classmate = built.a.pupils[0], built.a.pupils[1]
    rude = Message.objects.create(room=room, author=built.b.pupils[0], body="rude",
                                  client_id="r")
    other = Message.objects.create(room=room, author=built.b.pupils[1], body="fine",
                                   client_id="f")
    message_report(room=room, reporter=reporter, message_id=rude.pk, reason="rude")
    if closed:
        room_close(room=room, reason="ended")
    url = reverse("room_detail", args=[room.pk])
    page = client_for(reporter).get(url).content.decode()
    assert "Reported" in _actions(page, rude) and "Report<" not in _actions(page, rude)
    assert 'data-action="report"' not in _actions(page, rude)
    assert "Reported" not in _actions(page, other)
    assert ('data-action="report"' in _actions(page, other)) is not closed
    theirs = client_for(classmate).get(url).content.decode()
    assert "Reported" not in _actions(theirs, rude)
    assert ('data-action="report"' if not closed else "<details class=\"report-form\"") in (
        _actions(theirs, rude))


@pytest.mark.parametrize("pupil", [True, False])
def test_a_refusal_over_http_and_the_composers_warning_speak_to_a_pupil_as_a_pupil(
        monkeypatch, room_ab, pupil):
    """The fallback report's refusal and the page's too-long warning are in the reader's
    register: to a pupil in context "to a pupil" (German "du"), to an adult formally."""
    mark_registers(monkeypatch, ["You cannot report your own message.",
                                 "The text is longer than %(count)d characters."])
    if pupil:
        _built, room = make_exchange_room()
        reader = _built.a.pupils[0]
    else:
        room, reader, *_ = room_ab
    reader.language = "de"
    reader.save(update_fields=["language"])
    mine = Message.objects.create(room=room, author=reader, body="mine", client_id="m")
    client = client_for(reader)
    mark = PUPIL_MARK if pupil else ADULT_MARK
    response = client.post(reverse("room_message_report", args=[room.pk, mine.pk]),
                           {"reason": "x"}, HTTP_ACCEPT="application/json")
    assert response.json()["detail"] == mark + "You cannot report your own message."
    html = client.get(reverse("room_detail", args=[room.pk])).content.decode()
    assert f'data-too-long="{mark}The text is longer than 2000 characters."' in html


def test_history_marks_each_message_with_its_language_and_the_composer_offers_the_rooms(
        client, room_ab):
    room, user_a, user_b, _ = room_ab
    german = Message.objects.create(room=room, author=user_b, body="Guten Tag", client_id="g",
                                    lang="de")
    older = Message.objects.create(room=room, author=user_b, body="Before", client_id="o")
    client.force_login(user_a)
    html = client.get(reverse("room_detail", args=[room.pk])).content.decode()
    mark = 'class="message-body" dir="auto"'
    german_item = html[html.index(f'id="message-{german.pk}"'):]
    assert f'{mark} lang="de">Guten Tag</p>' in german_item
    older_item = html[html.index(f'id="message-{older.pk}"'):]
    assert f"{mark}>Before</p>" in older_item  # unknown: the page's language
    start = html.index('id="room-composer"')
    composer = html[start:html.index("</form>", start)]
    assert '<label for="room-lang">' in composer
    assert '<select id="room-lang" name="lang">' in composer
    assert '<option value="de">German</option>' in composer
    assert '<option value="en">English</option>' in composer


def test_a_corrections_text_is_marked_with_its_messages_language_and_escaped(client, room_ab):
    room, user_a, user_b, _ = room_ab
    german = Message.objects.create(room=room, author=user_b, body="Ich bin gegangen",
                                    client_id="g", lang="de")
    older = Message.objects.create(room=room, author=user_b, body="Before", client_id="o")
    correction_send(room=room, author=user_a, message_id=german.pk,
                    corrected="Ich <b>ging</b>")
    correction_send(room=room, author=user_a, message_id=older.pk, corrected="Earlier")
    client.force_login(user_a)
    html = client.get(reverse("room_detail", args=[room.pk])).content.decode()
    start, end = html.index(f'id="message-{german.pk}"'), html.index(f'id="message-{older.pk}"')
    german_item = html[start:end]
    # Inside the translated sentence's own span: the sentence is the page's language.
    assert ('<span class="correction-text"><bdi lang="de">Ich &lt;b&gt;ging&lt;/b&gt;'
            '</bdi></span>') in german_item
    older_item = html[html.index(f'id="message-{older.pk}"'):]
    # Unknown: no lang, its direction still its own.
    assert '<span class="correction-text"><bdi>Earlier</bdi></span>' in older_item
