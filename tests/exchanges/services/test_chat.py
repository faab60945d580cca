"""Chat services: messages, idempotency, rate limit, corrections, reports, history,
presence (across processes: rows with heartbeats)."""

import datetime

import pytest
from django.utils import timezone, translation

from exchanges.models import Message, Report
from exchanges.realtime.protocol import message_event
from exchanges.selectors import chat as chat_reads
from exchanges.services import chat
from exchanges.services.rooms import room_close
from tests.exchanges.chat_fixtures import make_match_room, make_outsider

pytestmark = pytest.mark.django_db


def test_message_send_trims_saves_and_broadcasts_after_commit(room_ab, monkeypatch,
                                                               django_capture_on_commit_callbacks):
    room, user_a, _ = room_ab
    sent = []
    monkeypatch.setattr("exchanges.realtime.broadcast._send",
                        lambda rid, ev: sent.append((rid, ev)))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        message, created = chat.message_send(room=room, author=user_a, body=" hi ", client_id="1")
    assert created and message.body == "hi"
    assert len(callbacks) == 1
    assert sent == [(room.pk, {"type": "room.broadcast", "payload": message_event(message)})]


def test_message_send_retry_returns_original_without_broadcast(room_ab, monkeypatch,
                                                               django_capture_on_commit_callbacks):
    room, user_a, _ = room_ab
    first, _ = chat.message_send(room=room, author=user_a, body="hello", client_id="r")
    with django_capture_on_commit_callbacks() as callbacks:
        again, created = chat.message_send(room=room, author=user_a, body="hello", client_id="r")
    assert again.pk == first.pk and not created and callbacks == []
    assert Message.objects.filter(room=room).count() == 1


def test_same_client_id_of_two_authors_are_two_messages(room_ab):
    room, user_a, user_b = room_ab
    chat.message_send(room=room, author=user_a, body="a", client_id="same")
    chat.message_send(room=room, author=user_b, body="b", client_id="same")
    assert Message.objects.filter(room=room).count() == 2


@pytest.mark.parametrize(("body", "code"), [("", "invalid"), ("  \n ", "invalid"),
                                            ("\u200b", "invalid"), ("\u200b\u200b ", "invalid"),
                                            ("\ufeff\u2060\u0301", "invalid"),
                                            ("\u202e\u202c", "invalid"),
                                            (None, "invalid"), ("x" * 2001, "too_long")])
def test_message_send_refuses_bad_bodies(room_ab, body, code):
    room, user_a, _ = room_ab
    with pytest.raises(chat.ChatError) as exc:
        chat.message_send(room=room, author=user_a, body=body, client_id="c")
    assert exc.value.code == code
    assert not Message.objects.exists()


def test_an_invisible_message_is_refused_as_empty_like_a_blank_one(room_ab):
    room, user_a, _ = room_ab
    refusals = []
    for body in ("   ", "\u200b\u200b "):
        with pytest.raises(chat.ChatError) as exc:
            chat.message_send(room=room, author=user_a, body=body, client_id="c")
        refusals.append((exc.value.code, exc.value.detail, exc.value.text()))
    # The protocol's detail stays English; a person reads a sentence in their language.
    assert refusals[0] == refusals[1] == ("invalid", "body must not be empty",
                                          "Write something visible before sending.")
    with translation.override("de"):
        assert exc.value.text() != "Write something visible before sending."


def test_a_direction_override_is_taken_out_of_a_message_and_its_correction(room_ab):
    room, user_a, user_b = room_ab
    message, _ = chat.message_send(room=room, author=user_a,
                                   body="see you \u202eyadnom\u202c!", client_id="c")
    assert message.body == "see you yadnom!"
    correction, created = chat.correction_send(room=room, author=user_b, message_id=message.pk,
                                               corrected="see you \u2067monday\u2069!")
    assert created and correction.corrected == "see you monday!"


@pytest.mark.parametrize(
    "body",
    ["שלום, מה שלומך?", "مرحبا! كيف حالك؟", "נפגש ב-10:00\u200f.", "नमस्ते, क्षमा कीजिए",
     "می\u200cخواهم", "こんにちは", "👨\u200d👩\u200d👧 🏳\ufe0f\u200d🌈"],
)
def test_messages_in_right_to_left_and_other_scripts_and_zwj_emoji_are_kept(room_ab, body):
    room, user_a, _ = room_ab
    message, _ = chat.message_send(room=room, author=user_a, body=body, client_id="c")
    assert message.body == body


def test_message_of_2000_chars_is_accepted(room_ab):
    room, user_a, _ = room_ab
    message, _ = chat.message_send(room=room, author=user_a, body="x" * 2000, client_id="c")
    assert len(message.body) == 2000


def test_non_member_cannot_send(room_ab):
    room, *_ = room_ab
    with pytest.raises(chat.ChatError) as exc:
        chat.message_send(room=room, author=make_outsider(), body="hi", client_id="c")
    assert exc.value.code == "forbidden"
    assert not Message.objects.exists()


def test_closed_room_refuses_messages(room_ab):
    room, user_a, _ = room_ab
    room_close(room=room, reason="over")
    with pytest.raises(chat.ChatError) as exc:
        chat.message_send(room=room, author=user_a, body="hi", client_id="c")
    assert exc.value.code == "room_closed"


def test_rate_limit_counts_recent_messages_in_the_database(room_ab):
    room, user_a, user_b = room_ab
    for i in range(chat.RATE_LIMIT_COUNT):
        chat.message_send(room=room, author=user_a, body=str(i), client_id=str(i))
    with pytest.raises(chat.ChatError) as exc:
        chat.message_send(room=room, author=user_a, body="11th", client_id="11")
    assert exc.value.code == "rate_limited"
    # Per person: the partner may still talk; a retry of a saved message still succeeds.
    chat.message_send(room=room, author=user_b, body="me too", client_id="b")
    again, created = chat.message_send(room=room, author=user_a, body="0", client_id="0")
    assert not created
    # Once the window has passed, sending works again.
    Message.objects.filter(author=user_a).update(
        created_at=timezone.now() - chat.RATE_LIMIT_WINDOW - datetime.timedelta(seconds=1)
    )
    chat.message_send(room=room, author=user_a, body="later", client_id="later")


def test_correction_and_report_need_a_message_of_the_room(room_ab):
    room, user_a, user_b = room_ab
    other_room, other_user, *_ = make_match_room()
    foreign = Message.objects.create(room=other_room, author=other_user, body="x", client_id="f")
    with pytest.raises(chat.ChatError) as exc:
        chat.correction_send(room=room, author=user_a, message_id=foreign.pk, corrected="y")
    assert exc.value.code == "not_found"
    with pytest.raises(chat.ChatError) as exc:
        chat.message_report(room=room, reporter=user_a, message_id=foreign.pk, reason="y")
    assert exc.value.code == "not_found"


def test_report_once_per_message_and_reporter_and_the_second_is_told_so(room_ab):
    room, user_a, user_b = room_ab
    message, _ = chat.message_send(room=room, author=user_b, body="rude", client_id="r")
    first = chat.message_report(room=room, reporter=user_a, message_id=message.pk, reason="a")
    # A second reason would otherwise be thanked for and dropped: the reporter is told.
    with pytest.raises(chat.ChatError) as exc:
        chat.message_report(room=room, reporter=user_a, message_id=message.pk, reason="b")
    assert exc.value.code == "already_reported"
    assert exc.value.text() == "You already reported this message."
    assert list(Report.objects.values_list("pk", "reason")) == [(first.pk, "a")]


def test_history_page_and_messages_after(room_ab):
    room, user_a, _ = room_ab
    ids = [Message.objects.create(room=room, author=user_a, body=str(i), client_id=str(i)).pk
           for i in range(7)]
    page, has_more = chat_reads.history_page(room=room, before=None, limit=3)
    assert [m.pk for m in page] == ids[4:] and has_more
    page, has_more = chat_reads.history_page(room=room, before=ids[4], limit=10)
    assert [m.pk for m in page] == ids[:4] and not has_more
    assert [m.pk for m in chat_reads.messages_after(room=room, after_id=ids[2])] == ids[3:]


def test_a_closed_rooms_history_can_still_be_reported_but_not_corrected(room_ab):
    room, user_a, user_b = room_ab
    message, _ = chat.message_send(room=room, author=user_b, body="rude", client_id="x")
    room_close(room=room, reason="blocked")
    report = chat.message_report(room=room, reporter=user_a, message_id=message.pk, reason="")
    assert report.message_id == message.pk
    with pytest.raises(chat.ChatError) as refused:
        chat.correction_send(room=room, author=user_a, message_id=message.pk, corrected="nice")
    assert refused.value.code == "room_closed"
    with pytest.raises(chat.ChatError) as outsider:
        chat.message_report(room=room, reporter=make_outsider(), message_id=message.pk, reason="")
    assert outsider.value.code == "forbidden"


def test_reporting_ones_own_message_is_refused(room_ab):
    room, user_a, _ = room_ab
    mine, _ = chat.message_send(room=room, author=user_a, body="oops", client_id="own")
    with pytest.raises(chat.ChatError) as refused:
        chat.message_report(room=room, reporter=user_a, message_id=mine.pk, reason="")
    assert refused.value.code == "own_message"
    assert refused.value.text() == "You cannot report your own message."
    assert not Report.objects.exists()


def test_the_same_correction_sent_twice_is_stored_once(room_ab):
    room, user_a, user_b = room_ab
    message, _ = chat.message_send(room=room, author=user_b, body="I goed", client_id="g")
    first, created = chat.correction_send(
        room=room, author=user_a, message_id=message.pk, corrected="I went"
    )
    again, created_again = chat.correction_send(
        room=room, author=user_a, message_id=message.pk, corrected="  I went "
    )
    assert created and not created_again and again.pk == first.pk
    other, created_other = chat.correction_send(
        room=room, author=user_a, message_id=message.pk, corrected="I have gone"
    )
    assert created_other and other.pk != first.pk
    assert message.corrections.count() == 2


def test_correcting_ones_own_message_is_refused_and_stores_nothing(room_ab, monkeypatch):
    room, user_a, _ = room_ab
    mine, _ = chat.message_send(room=room, author=user_a, body="I goed", client_id="own-c")
    sent = []
    monkeypatch.setattr("exchanges.realtime.broadcast._send",
                        lambda rid, ev: sent.append((rid, ev)))
    with pytest.raises(chat.ChatError) as refused:
        chat.correction_send(room=room, author=user_a, message_id=mine.pk, corrected="I went")
    assert refused.value.code == "own_message"
    assert refused.value.text() == "You cannot correct your own message: your partner can."
    assert not mine.corrections.exists() and sent == []


def test_a_correction_that_changes_nothing_is_refused_and_stores_nothing(room_ab, monkeypatch):
    room, user_a, user_b = room_ab
    message, _ = chat.message_send(room=room, author=user_b, body="I went home", client_id="u")
    sent = []
    monkeypatch.setattr("exchanges.realtime.broadcast._send",
                        lambda rid, ev: sent.append((rid, ev)))
    with pytest.raises(chat.ChatError) as refused:
        # Cleaned as the message was (spaces around it go), so the same text.
        chat.correction_send(room=room, author=user_a, message_id=message.pk,
                             corrected="  I went home ")
    assert refused.value.code == "unchanged"
    assert not message.corrections.exists() and sent == []
