"""A person deletes their own account: it goes with everything it holds, their partners
are told in their own language, and nobody else's data changes."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from exchanges.models import (
    Block,
    BlockedAddress,
    Classroom,
    Match,
    Message,
    Notification,
    Participant,
    Role,
    Room,
    Session,
    User,
)
from exchanges.services.accounts import account_delete, partner_left_email
from exchanges.services.participants import participant_create
from exchanges.services.roles import roles_ensure
from exchanges.services.rooms import block_create, room_open
from tests.exchanges.scheduling_fixtures import scheduled_match
from tests.factories import (
    CityFactory,
    MatchFactory,
    ParticipantFactory,
    UserFactory,
    pool_enrol,
)

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"  # the factories' password


def _say(room, user, body):
    return Message.objects.create(room=room, author=user, body=body, client_id=body)


def test_the_account_goes_with_its_matches_rooms_messages_and_sessions():
    match, sessions = scheduled_match()
    pool_enrol(match)  # Bruno is told he stays in the pool, in words translated already
    nora, bruno = match.participant_a, match.participant_b
    bruno.user.language = "fr"
    bruno.user.save(update_fields=["language"])
    room = match.room
    _say(room, nora.user, "hello")
    _say(room, bruno.user, "bonjour")
    # Bruno's other match, with someone else, is his alone.
    other = MatchFactory(status=Match.Status.ACTIVE, participant_a=bruno)
    other_room = room_open(match=other)
    _say(other_room, bruno.user, "hallo")

    account_delete(user=nora.user, password=PASSWORD)

    assert not User.objects.filter(pk=nora.user_id).exists()
    assert not Participant.objects.filter(pk=nora.pk).exists()
    assert not Match.objects.filter(pk=match.pk).exists()
    assert not Room.objects.filter(pk=room.pk).exists()
    assert not Session.objects.filter(pk__in=[s.pk for s in sessions]).exists()
    assert list(Message.objects.values_list("body", flat=True)) == ["hallo"]
    assert Match.objects.get(pk=other.pk).status == Match.Status.ACTIVE
    assert Room.objects.get(pk=other_room.pk).is_open
    told = Notification.objects.get(user=bruno.user, kind="match.left")
    assert told.text.startswith("Nora a quitté Jumelage")  # Bruno reads French


def test_the_partners_open_room_closes_its_sockets_after_commit(
    monkeypatch, django_capture_on_commit_callbacks
):
    match = MatchFactory(status=Match.Status.ACTIVE)
    room = room_open(match=match)
    sent = []
    monkeypatch.setattr("exchanges.realtime.broadcast._send",
                        lambda rid, ev: sent.append((rid, ev)))
    with django_capture_on_commit_callbacks(execute=True):
        account_delete(user=match.participant_b.user, password=PASSWORD)
    assert sent == [(room.pk, {"type": "room.close", "code": 4410})]


def test_a_wrong_password_deletes_nothing():
    match = MatchFactory(status=Match.Status.PROPOSED)
    with pytest.raises(ValidationError) as refused:
        account_delete(user=match.participant_a.user, password="not-mine")
    assert "password" in refused.value.message_dict
    assert Match.objects.filter(pk=match.pk, status=Match.Status.PROPOSED).exists()
    assert not Notification.objects.exists()


def _teacher():
    roles_ensure()
    user = UserFactory()
    user.groups.add(Group.objects.get(name=Role.TEACHER))
    return user


def _teacher_with_a_class():
    user = _teacher()
    Classroom.objects.create(teacher=user, city=CityFactory(), school="A", name="5a")
    return user


def _officer():
    roles_ensure()
    user = UserFactory()
    user.groups.add(Group.objects.get(name=Role.OFFICER))
    return user


def _drafting_applicant():
    user = UserFactory()
    Classroom.objects.create(teacher=user, city=CityFactory(), school="A", name="5a")
    return user


@pytest.mark.parametrize("who", [
    lambda: ParticipantFactory(user__is_pupil=True).user,
    _teacher_with_a_class,
    _officer,
    lambda: UserFactory(is_superuser=True, is_staff=True),
    _drafting_applicant,
])
def test_pupils_teachers_officers_and_administrators_are_refused(who):
    user = who()
    with pytest.raises(PermissionDenied):
        account_delete(user=user, password=PASSWORD)
    assert User.objects.filter(pk=user.pk).exists()


def test_a_teacher_without_classes_deletes_their_account():
    # Their pupils' accounts belong to their classes; with none left, nothing stays behind.
    user = _teacher()
    account_delete(user=user, password=PASSWORD)
    assert not User.objects.filter(pk=user.pk).exists()


def test_a_partner_with_upcoming_sessions_is_e_mailed_after_commit(
    mailoutbox, monkeypatch, django_capture_on_commit_callbacks
):
    match, sessions = scheduled_match()
    nora, bruno = match.participant_a, match.participant_b
    # The task runs here (Celery's apply) instead of going to a broker.
    monkeypatch.setattr(partner_left_email, "delay_on_commit", lambda *a: transaction.on_commit(
        lambda: partner_left_email.apply(args=a)))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        account_delete(user=nora.user, password=PASSWORD)
    assert mailoutbox == []  # nothing before the deletion is committed
    for callback in callbacks:
        callback()
    [mail] = mailoutbox
    assert mail.to == [bruno.user.email] and mail.subject == "Nora has left Jumelage"
    assert f"your {len(sessions)} upcoming sessions with them are cancelled" in mail.body
    assert nora.user.email not in mail.body


def test_no_mail_when_nothing_was_planned(monkeypatch):
    match = MatchFactory(status=Match.Status.PROPOSED)
    sent = []
    monkeypatch.setattr(partner_left_email, "delay_on_commit", lambda *a: sent.append(a))
    account_delete(user=match.participant_a.user, password=PASSWORD)
    assert sent == []
    assert Notification.objects.filter(kind="match.left").count() == 1


def test_the_partner_of_a_mere_proposal_is_not_told_of_cancelled_sessions():
    match = MatchFactory(status=Match.Status.PROPOSED, participant_a__user__display_name="Nora")
    pool_enrol(match)  # a coming run can propose Bruno a partner
    account_delete(user=match.participant_a.user, password=PASSWORD)
    told = Notification.objects.get(user=match.participant_b.user, kind="match.left")
    assert told.text == ("Nora has left Jumelage, so your proposed match with them has "
                         "ended. You stay in the pool for the next run.")


def test_a_partner_who_paused_new_matches_is_not_told_they_stay_in_the_pool(
    mailoutbox, monkeypatch
):
    proposal = MatchFactory(status=Match.Status.PROPOSED, participant_a__user__display_name="Nora",
                            participant_b__matching_paused=True)
    account_delete(user=proposal.participant_a.user, password=PASSWORD)
    told = Notification.objects.get(user=proposal.participant_b.user, kind="match.left")
    assert told.text == ("Nora has left Jumelage, so your proposed match with them has ended. "
                         "New matches are paused for you: resume them on your dashboard when "
                         "you are ready.")

    match, sessions = scheduled_match()
    nora, bruno = match.participant_a, match.participant_b
    bruno.matching_paused = True
    bruno.save(update_fields=["matching_paused"])
    monkeypatch.setattr(partner_left_email, "delay_on_commit",
                        lambda *a: partner_left_email.apply(args=a))
    account_delete(user=nora.user, password=PASSWORD)
    told = Notification.objects.get(user=bruno.user, kind="match.left")
    assert told.text == ("Nora has left Jumelage: your match has ended and its sessions are "
                         "cancelled. New matches are paused for you: resume them on your "
                         "dashboard when you are ready.")
    [mail] = mailoutbox
    assert mail.to == [bruno.user.email]
    assert "stay in the pool" not in mail.body
    assert "New matches are paused for you: resume them on your dashboard" in mail.body


def test_a_block_holds_when_the_blocked_person_signs_up_again():
    match = MatchFactory(status=Match.Status.ACTIVE)
    blocker, blocked = match.participant_a, match.participant_b
    block_create(blocker=blocker, blocked=blocked)
    address = blocked.user.email
    account_delete(user=blocked.user, password=PASSWORD)
    kept = list(BlockedAddress.objects.filter(blocker=blocker).values_list("digest", flat=True))
    assert len(kept) == 1 and address not in kept[0]  # a digest, not the address

    back = participant_create(user=UserFactory(email=address.upper()))
    assert Block.objects.filter(blocker=blocker, blocked=back).exists()
    someone_else = participant_create(user=UserFactory())
    assert not Block.objects.filter(blocked=someone_else).exists()


def test_the_blockers_own_deletion_takes_the_digests_with_it():
    match = MatchFactory(status=Match.Status.ACTIVE)
    blocker, blocked = match.participant_a, match.participant_b
    block_create(blocker=blocker, blocked=blocked)
    account_delete(user=blocked.user, password=PASSWORD)
    account_delete(user=blocker.user, password=PASSWORD)
    assert not BlockedAddress.objects.exists()


def test_a_block_outlives_a_key_rotation_done_with_fallbacks(settings):
    """Rotating SECRET_KEY the way Django documents it (the old key in
    SECRET_KEY_FALLBACKS) keeps the blocks carried past deleted accounts; dropping the old
    key forgets them."""
    match = MatchFactory(status=Match.Status.ACTIVE)
    blocker, blocked = match.participant_a, match.participant_b
    block_create(blocker=blocker, blocked=blocked)
    address = blocked.user.email
    account_delete(user=blocked.user, password=PASSWORD)
    old_key = settings.SECRET_KEY

    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "a-new-key-" + "x" * 50, [old_key]
    back = participant_create(user=UserFactory(email=address))
    assert Block.objects.filter(blocker=blocker, blocked=back).exists()

    account_delete(user=back.user, password=PASSWORD)  # kept again, under the new key
    settings.SECRET_KEY_FALLBACKS = []
    again = participant_create(user=UserFactory(email=address))
    assert Block.objects.filter(blocker=blocker, blocked=again).exists()
    account_delete(user=again.user, password=PASSWORD)
    BlockedAddress.objects.filter(blocker=blocker).delete()  # only the old key's digest…
    BlockedAddress.objects.create(
        blocker=blocker, digest=address_digest_under(address, old_key)
    )
    forgotten = participant_create(user=UserFactory(email=address))
    assert not Block.objects.filter(blocker=blocker, blocked=forgotten).exists()


def address_digest_under(address, key):
    from django.utils.crypto import salted_hmac

    return salted_hmac("jumelage.blocked-address", address.lower(), secret=key,
                       algorithm="sha256").hexdigest()


def test_the_partners_notices_about_the_deleted_match_keep_their_text_but_lose_dead_links():
    match, _sessions = scheduled_match()  # Bruno was told of Nora's slot (its schedule)
    nora, bruno = match.participant_a, match.participant_b
    Notification.objects.create(user=bruno.user, kind="match.active", text="partners now",
                                url=f"/rooms/{match.room.pk}/")
    ended, _ = scheduled_match()  # an earlier, ended match of Nora's goes too
    Match.objects.filter(pk=ended.pk).update(status=Match.Status.ENDED, participant_a=nora)
    for url in (f"/matches/{ended.pk}/schedule/", f"/rooms/{ended.room.pk}/"):
        Notification.objects.create(user=ended.participant_b.user, kind="x", text="old", url=url)
    other = MatchFactory(status=Match.Status.ACTIVE, participant_a=bruno)
    other_room = room_open(match=other)
    Notification.objects.create(user=bruno.user, kind="x", text="keep",
                                url=f"/rooms/{other_room.pk}/")
    dead = {f"/matches/{match.pk}/schedule/", f"/rooms/{match.room.pk}/",
            f"/matches/{ended.pk}/schedule/", f"/rooms/{ended.room.pk}/"}
    before = set(Notification.objects.exclude(user=nora.user).values_list("text", flat=True))
    assert dead <= set(Notification.objects.values_list("url", flat=True))

    account_delete(user=nora.user, password=PASSWORD)

    left = Notification.objects.all()
    assert not left.filter(url__in=dead).exists()
    assert before <= set(left.values_list("text", flat=True))  # the text stays
    assert left.get(text="keep").url == f"/rooms/{other_room.pk}/"
    assert left.filter(user=bruno.user, kind="slot.proposed", url="").exists()
