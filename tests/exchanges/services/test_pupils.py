"""Pupils: joining with a code (no e-mail, expiring codes), logging in with code + name +
password, guessing limited, and what the teacher does (names, cards, reset, removal)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from exchanges.models import Classroom, Participant, User
from exchanges.services.join_limits import MAX_FAILURES_PER_CODE, MAX_FAILURES_PER_IP
from exchanges.services.pupils import (
    PUPIL_EMAIL_DOMAIN,
    TOO_MANY,
    WRONG_LOGIN,
    clean_display_name,
    login_cards_print,
    pupil_join,
    pupil_login,
    pupil_password_reset,
    pupil_password_set,
    pupil_remove,
    pupils_add,
)
from tests.exchanges.classroom_fixtures import pupil, pupils_added, teacher

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_limits")]
PASSWORD = "correct-horse-battery"


def join(coventry_class, name="Amelia K.", ip="192.0.2.1", code=None):
    return pupil_join(code=code or coventry_class.join_code, display_name=name, password=PASSWORD,
                      ip=ip)


def test_a_pupil_joins_without_email_birth_date_or_city_and_takes_the_class_city(coventry_class):
    user = join(coventry_class, code=coventry_class.join_code.lower())
    assert user.is_pupil and not user.must_set_password
    assert user.email.endswith(f"@{PUPIL_EMAIL_DOMAIN}")
    participant = Participant.objects.get(user=user)
    assert participant.classroom == coventry_class and participant.city == coventry_class.city
    assert participant.birth_year is None
    assert not user.groups.exists()


def test_two_pupils_get_distinct_synthetic_addresses(coventry_class):
    assert join(coventry_class, "Amelia K.").email != join(coventry_class, "Amelia B.").email


def test_a_name_already_in_the_class_is_refused(coventry_class):
    join(coventry_class, "Amelia K.")
    # Another child choosing the name (with the same password, it is Amelia signing in).
    with pytest.raises(ValidationError, match="already"):
        pupil_join(code=coventry_class.join_code, display_name="amelia  k.",
                   password="her-own-pass-1",
                   ip="192.0.2.1")


@pytest.mark.parametrize("name", ["amelia@example.com", "Tom 0777123456", "x", "a b c d"])
def test_display_names_are_letters_only(name):
    with pytest.raises(ValidationError):
        clean_display_name(name)


def test_an_expired_code_no_longer_admits_but_the_pupils_in_still_log_in(coventry_class):
    user = join(coventry_class)
    Classroom.objects.filter(pk=coventry_class.pk).update(
        join_code_expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    with pytest.raises(ValidationError, match="expired"):
        join(coventry_class, "Ben T.")
    assert pupil_login(code=coventry_class.join_code, display_name="amelia k.", password=PASSWORD,
                       ip="192.0.2.1") == user


def test_an_unapproved_teachers_class_admits_no_one(coventry_class):
    coventry_class.teacher.groups.clear()
    with pytest.raises(ValidationError, match="not open yet"):
        join(coventry_class)


def test_login_with_a_wrong_password_or_name_says_nothing_more(coventry_class):
    join(coventry_class)
    for name, password in (("Amelia K.", "wrong-password-1"), ("Nobody X.", PASSWORD)):
        with pytest.raises(ValidationError) as exc:
            pupil_login(code=coventry_class.join_code, display_name=name, password=password,
                        ip="192.0.2.9")
        assert exc.value.messages == [WRONG_LOGIN]


def test_guessing_codes_from_one_address_is_stopped_even_with_the_right_code_after(coventry_class):
    for attempt in range(MAX_FAILURES_PER_IP):
        with pytest.raises(ValidationError):
            join(coventry_class, code=f"ZZZZZZ{attempt:02d}", ip="198.51.100.7")
    with pytest.raises(ValidationError) as exc:
        join(coventry_class, ip="198.51.100.7")
    assert exc.value.messages == [TOO_MANY]
    # Another address is not affected.
    assert join(coventry_class, ip="198.51.100.8").is_pupil


def test_guessing_a_classs_passwords_from_many_addresses_is_stopped_per_code(coventry_class):
    join(coventry_class)
    for attempt in range(MAX_FAILURES_PER_CODE):
        with pytest.raises(ValidationError):
            pupil_login(code=coventry_class.join_code, display_name="Amelia K.",
                        password=f"guess-{attempt}",
                        ip=f"203.0.113.{attempt}")
    with pytest.raises(ValidationError) as exc:
        pupil_login(code=coventry_class.join_code, display_name="Amelia K.", password=PASSWORD,
                    ip="203.0.113.250")
    assert exc.value.messages == [TOO_MANY]


def test_the_teacher_adds_pupils_by_names_with_one_time_passwords(coventry_class):
    cards = pupils_added(coventry_class, "Amelia K.", "", "Jonas M. ")
    assert [card.display_name for card in cards] == ["Amelia K.", "Jonas M."]
    assert all(card.code == coventry_class.join_code for card in cards)
    user = pupil_login(code=coventry_class.join_code, display_name="Jonas M.",
                       password=cards[1].password,
                       ip="192.0.2.1")
    assert user.must_set_password
    pupil_password_set(user=user, password="my-own-secret-42")
    user.refresh_from_db()
    assert not user.must_set_password and user.check_password("my-own-secret-42")


def test_adding_names_is_all_or_nothing(coventry_class):
    with pytest.raises(ValidationError):
        pupils_added(coventry_class, "Amelia K.", "amelia@example.com")
    with pytest.raises(ValidationError, match="the same name as line 1"):
        pupils_added(coventry_class, "Amelia K.", "amelia k.")
    assert not User.objects.filter(is_pupil=True).exists()


@pytest.mark.parametrize(
    ("names", "message"),
    [
        (["Amelia K.", "Bob 3"], "Line 2 (“Bob 3”): letters only"),
        (["", "A" * 41], "Line 2 (“" + "A" * 41 + "”): 41 characters long; a name holds at most"),
        (["\u202eAli B."],
         "Line 1 (“[U+202E]Ali B.”): The name contains an invisible character (U+202E)"),
        (["Amelia K.", "Jonas M.", "amelia k."], "Line 3 (“amelia k.”): the same name as line 1"),
        (["Ana Maria de la Cruz"], "Line 1 (“Ana Maria de la Cruz”): more than 3 words"),
        (["A"], "Line 1 (“A”): too short"),
    ],
)
def test_a_refused_name_is_named_by_its_line_with_the_real_problem(coventry_class, names, message):
    with pytest.raises(ValidationError) as exc:
        pupils_added(coventry_class, *names)
    (error,) = exc.value.message_dict["names"]
    assert error.startswith(message)
    assert repr(names[-1]) not in error  # the line as typed, not as Python writes it
    assert not User.objects.filter(is_pupil=True).exists()


def test_a_name_already_in_the_class_gets_a_message_for_the_teacher(coventry_class):
    pupil(coventry_class, "Amelia K.")
    with pytest.raises(ValidationError) as exc:
        pupils_added(coventry_class, "Jonas M.", "AMELIA K.")
    (error,) = exc.value.message_dict["names"]
    assert error.startswith("Line 2 (“AMELIA K.”): a pupil of this name is in the class already")
    assert "your surname" not in error and "log in" not in error


def test_every_refused_line_is_listed_at_once(coventry_class):
    with pytest.raises(ValidationError) as exc:
        pupils_added(coventry_class, "Bob 3", "Amelia K.", "x@y.z")
    errors = exc.value.message_dict["names"]
    assert [e.split(" (")[0] for e in errors] == ["Line 1", "Line 3"]


def test_an_unapproved_teacher_cannot_admit_pupils(coventry_class):
    coventry_class.teacher.groups.clear()
    with pytest.raises(PermissionDenied, match="approved"):
        pupils_added(coventry_class, "Amelia K.")


def test_another_teacher_cannot_touch_the_class_or_its_pupils(coventry_class):
    other = teacher()
    member = pupil(coventry_class)
    with pytest.raises(PermissionDenied):
        pupils_add(classroom=coventry_class, by=other, names=["Amelia K."])
    with pytest.raises(PermissionDenied):
        pupil_password_reset(pupil=member, by=other)
    with pytest.raises(PermissionDenied):
        pupil_remove(pupil=member, by=other)


def test_reset_and_cards_replace_the_password_and_removal_deletes_the_account(coventry_class):
    member = pupil(coventry_class, "Amelia K.", PASSWORD)
    card = pupil_password_reset(pupil=member, by=coventry_class.teacher)
    member.user.refresh_from_db()
    assert not member.user.check_password(PASSWORD)
    assert member.user.check_password(card.password) and member.user.must_set_password
    (again,) = login_cards_print(classroom=coventry_class, by=coventry_class.teacher)
    assert again.password != card.password
    pupil_remove(pupil=member, by=coventry_class.teacher)
    assert not User.objects.filter(pk=member.user_id).exists()


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("\u200b", "Enter a name with visible letters."),
        ("\u200b\u200b \u3164", "Enter a name with visible letters."),
        ("\u202e.K ailemA", "invisible character (U+202E)"),
        ("Ame\u200blia K.", "invisible character (U+200B)"),
        ("Amelia\u2067 K.", "invisible character (U+2067)"),
    ],
)
def test_a_pupil_name_that_shows_nothing_or_hides_characters_is_refused(
    coventry_class, name, message
):
    with pytest.raises(ValidationError) as exc:
        join(coventry_class, name)
    assert message in exc.value.message_dict["display_name"][0]
    assert not User.objects.filter(is_pupil=True).exists()


@pytest.mark.parametrize(
    "name",
    ["さくら", "محمد ع.", "דנה כ.", "अमेलिया क.", "क्षिति", "علی\u200cرضا", "Zoë", "Amélie K."],
)
def test_a_pupil_name_in_another_script_joins_and_logs_in(coventry_class, name):
    user = join(coventry_class, name)
    assert user.display_name == name
    assert pupil_login(code=coventry_class.join_code, display_name=name, password=PASSWORD,
                       ip="192.0.2.1") == user


def test_a_name_typed_with_a_combining_accent_is_stored_and_found_composed(coventry_class):
    user = join(coventry_class, "Ame\u0301lie K.")
    assert user.display_name == "Amélie K."
    assert pupil_login(code=coventry_class.join_code, display_name="Ame\u0301lie K.",
                       password=PASSWORD,
                       ip="192.0.2.1") == user


@pytest.mark.parametrize("name", ["\u0301Amelia", "Amelia \u200cK."])
def test_a_mark_or_joiner_that_follows_no_letter_is_not_a_letter(name):
    with pytest.raises(ValidationError):
        clean_display_name(name)


def test_the_teacher_is_told_which_listed_name_hides_a_character(coventry_class):
    with pytest.raises(ValidationError) as exc:
        pupils_added(coventry_class, "Amelia K.", "Jo\u202enas M.")
    (message,) = exc.value.message_dict["names"]
    assert "Jo[U+202E]nas M." in message and message.startswith("Line 2")
    assert not User.objects.filter(is_pupil=True).exists()


def test_a_listed_line_of_zero_width_spaces_is_a_blank_line(coventry_class):
    cards = pupils_added(coventry_class, "\u200b\u200b", "मीरा स.")
    assert [card.display_name for card in cards] == ["मीरा स."]
    with pytest.raises(ValidationError, match="at least one name"):
        pupils_added(coventry_class, "\u200b", " \ufeff ")


def test_a_pupil_with_a_printed_card_who_uses_the_join_form_is_signed_in_not_refused(
    coventry_class,
):
    """The card says: go to /join/, class code, your name, password; the page's first
    form is "Join". Refused there ("add your surname's initial"), a child would make a
    second account under another name: the join form signs the card's owner in instead,
    with the same check as logging in (the first-login password step follows)."""
    (card,) = pupils_added(coventry_class, "Chloé D.")
    user = pupil_join(code=card.code, display_name="Chloé D.", password=card.password,
                      ip="192.0.2.1")
    assert user == card.pupil.user and user.must_set_password
    assert Participant.objects.filter(classroom=coventry_class).count() == 1


def test_a_pupil_who_joined_before_is_signed_in_by_the_join_form_with_their_password(
    coventry_class,
):
    first = join(coventry_class, "Amelia K.")
    assert join(coventry_class, "amelia k.") == first
    assert Participant.objects.filter(classroom=coventry_class).count() == 1


def test_a_taken_name_with_another_password_is_still_refused_and_counted_as_a_guess(coventry_class):
    join(coventry_class, "Amelia K.")
    for attempt in range(MAX_FAILURES_PER_CODE):
        with pytest.raises(ValidationError) as exc:
            pupil_join(code=coventry_class.join_code, display_name="Amelia K.",
                       password=f"another-pass-{attempt}", ip=f"203.0.113.{attempt}")
        assert "is in this class already" in exc.value.message_dict["display_name"][0]
    assert Participant.objects.filter(classroom=coventry_class).count() == 1
    # The join form is no way around the limit on guessing a pupil's password.
    with pytest.raises(ValidationError) as exc:
        pupil_login(code=coventry_class.join_code, display_name="Amelia K.", password=PASSWORD,
                    ip="203.0.113.250")
    assert exc.value.messages == [TOO_MANY]
