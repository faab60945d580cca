"""/join/ through the test client: joining, logging in, the first-login password, the
adults' login refusing pupils, guessing limited per address, and the teacher's pupil
pages (cards, reset, removal) with who may use them."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.urls import reverse

from exchanges.models import ClassroomExchange, Participant, User
from exchanges.services.class_exchange_end import class_exchange_end
from exchanges.services.join_limits import MAX_FAILURES_PER_IP
from exchanges.services.partner_requests import partner_request_accept, partner_request_create
from exchanges.services.pupils import TOO_MANY
from tests.exchanges.classroom_fixtures import (
    PUPIL_BACKEND,
    classroom,
    partner_pair,
    pupil,
    teacher,
)
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_limits")]
PASSWORD = "correct-horse-battery"


def post_join(client, coventry_class, action="join", name="Amelia K.", password=PASSWORD, code=None,
              **extra):
    return client.post(reverse("join"), {
        "action": action, f"{action}-code": code or coventry_class.join_code,
        f"{action}-display_name": name, f"{action}-password": password,
    }, **extra)


def test_the_join_page_asks_no_email_birth_date_or_city(client):
    page = client.get(reverse("join")).content.decode()
    assert 'name="join-code"' in page and 'name="join-display_name"' in page
    for absent in ("email", "birth_year", "city"):
        assert f'name="join-{absent}"' not in page


def test_the_home_page_and_the_minors_note_lead_pupils_to_join_and_teachers_to_apply(client):
    page = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("join")}"' in page and f'href="{reverse("teacher_apply")}"' in page
    response = client.post(reverse("account_signup"), {
        "email": "young@example.test", "password1": "a-long-and-unusual-passphrase",
        "password2": "a-long-and-unusual-passphrase", "display_name": "Kim", "birth_year": 2014,
    })
    assert "class at /join/ with its class code" in response.content.decode()


def test_joining_logs_the_pupil_in_and_lands_on_the_dashboard(client, coventry_class):
    response = post_join(client, coventry_class)
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")
    user = User.objects.get(is_pupil=True)
    assert int(client.session["_auth_user_id"]) == user.pk
    assert client.get(reverse("dashboard")).status_code == 200


def test_a_wrong_code_is_a_form_error_not_a_500(client, coventry_class):
    response = post_join(client, coventry_class, code="ABCDEFGH")
    assert response.status_code == 400
    assert "wrong or has expired" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_pupil_logs_in_on_join_and_a_one_time_password_must_be_replaced(client, coventry_class):
    member = pupil(coventry_class, "Jonas M.", PASSWORD)
    User.objects.filter(pk=member.user_id).update(must_set_password=True)
    response = post_join(client, coventry_class, action="login", name="jonas m.")
    assert response["Location"] == reverse("pupil_password")
    assert client.get(reverse("dashboard"))["Location"] == reverse("pupil_password")
    response = client.post(reverse("pupil_password"),
                           {"password": "my-own-secret-42", "password2": "my-own-secret-42"})
    assert response["Location"] == reverse("dashboard")
    # Still logged in after the password change.
    assert client.get(reverse("dashboard")).status_code == 200


def test_the_adults_login_refuses_a_pupil_even_with_the_right_address_and_password(
    client, coventry_class
):
    member = pupil(coventry_class, "Amelia K.", PASSWORD)
    response = client.post(reverse("account_login"),
                           {"login": member.user.email, "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    # The same form signs an adult in: the refusal is about pupils.
    adult = UserFactory(email="adult@example.test")
    EmailAddress.objects.create(user=adult, email=adult.email, verified=True, primary=True)
    response = client.post(reverse("account_login"), {"login": adult.email, "password": PASSWORD})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == adult.pk


def test_guessing_codes_is_stopped_per_address(client, coventry_class):
    for attempt in range(MAX_FAILURES_PER_IP):
        post_join(client, coventry_class, code=f"QQQQQQ{attempt:02d}", REMOTE_ADDR="198.51.100.7")
    response = post_join(client, coventry_class, REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 400 and TOO_MANY in response.content.decode()
    assert post_join(client, coventry_class, REMOTE_ADDR="198.51.100.8").status_code == 302


def test_pupils_have_no_profile_nor_teacher_pages(client, coventry_class):
    member = pupil(coventry_class)
    client.force_login(member.user, backend=PUPIL_BACKEND)
    assert client.get(reverse("profile"))["Location"] == reverse("dashboard")
    assert client.get(reverse("onboarding"))["Location"] == reverse("dashboard")
    assert client.get(reverse("classes")).status_code == 403
    assert client.get(reverse("classroom_detail", args=[coventry_class.pk])).status_code == 403
    other = classroom(teacher_user=teacher(), city=coventry_class.city, name="8A")
    assert client.get(reverse("classroom_detail", args=[other.pk])).status_code == 403
    assert client.get(reverse("teacher_apply")).status_code == 403


def test_the_teacher_adds_pupils_and_gets_printable_cards_that_are_not_cached(
    client, coventry_class
):
    client.force_login(coventry_class.teacher)
    response = client.post(reverse("pupils_add", args=[coventry_class.pk]),
                           {"names": "Amelia K.\nJonas M.\n"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    page = response.content.decode()
    assert "Amelia K." in page and "Jonas M." in page and coventry_class.join_code in page
    assert Participant.objects.filter(classroom=coventry_class).count() == 2


def test_a_bad_line_shows_the_class_page_again_with_the_names_kept(client, coventry_class):
    client.force_login(coventry_class.teacher)
    typed = "Amelia K.\nBob 3\nJonas M."
    response = client.post(reverse("pupils_add", args=[coventry_class.pk]), {"names": typed})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Line 2 (“Bob 3”): letters only" in page
    textarea = page[page.index('name="names"'):]
    assert typed in textarea[:textarea.index("</textarea>")]
    assert not Participant.objects.filter(classroom=coventry_class).exists()


def test_another_teacher_gets_404_for_the_class_and_its_pupils(client, coventry_class):
    member = pupil(coventry_class)
    client.force_login(teacher())
    for name, args in [
        ("classroom_detail", [coventry_class.pk]), ("classroom_edit", [coventry_class.pk]),
        ("partner_finder", [coventry_class.pk]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 404
    for name, args in [
        ("pupils_add", [coventry_class.pk]), ("login_cards", [coventry_class.pk]),
        ("join_code_rotate", [coventry_class.pk]), ("pupil_reset", [coventry_class.pk, member.pk]),
        ("pupil_remove", [coventry_class.pk, member.pk]),
    ]:
        assert client.post(reverse(name, args=args), {"names": "Eve X."}).status_code == 404
    assert Participant.objects.filter(classroom=coventry_class).count() == 1


def test_remove_asks_first_what_goes_with_the_pupil(client, coventry_class):
    member = pupil(coventry_class)
    client.force_login(coventry_class.teacher)
    url = reverse("pupil_remove", args=[coventry_class.pk, member.pk])
    detail = client.get(reverse("classroom_detail", args=[coventry_class.pk])).content.decode()
    assert f'<a href="{url}">' in detail and f'action="{url}"' not in detail
    page = client.get(url).content.decode()
    assert f"Remove {member.user.display_name} from {coventry_class.name}?" in page
    assert "This cannot be undone." in page and f'action="{url}"' in page
    assert User.objects.filter(pk=member.user_id).exists()


def test_reset_shows_a_card_and_remove_deletes_the_pupil(client, coventry_class):
    member = pupil(coventry_class)
    client.force_login(coventry_class.teacher)
    response = client.post(reverse("pupil_reset", args=[coventry_class.pk, member.pk]))
    assert response.status_code == 200 and member.user.display_name in response.content.decode()
    response = client.post(reverse("pupil_remove", args=[coventry_class.pk, member.pk]))
    assert response.status_code == 302
    assert not User.objects.filter(pk=member.user_id).exists()


def test_an_unapproved_teacher_cannot_admit_pupils_through_the_page(client, coventry_class):
    coventry_class.teacher.groups.clear()
    client.force_login(coventry_class.teacher)
    response = client.post(reverse("pupils_add", args=[coventry_class.pk]), {"names": "Amelia K."},
                           follow=True)
    assert "must be approved" in response.content.decode()
    assert not Participant.objects.filter(classroom=coventry_class).exists()
    page = client.get(reverse("classroom_detail", args=[coventry_class.pk])).content.decode()
    assert coventry_class.join_code not in page


def _pupil_of_an_exchange_signed_in(client):
    """(partner class, exchange): a pupil of a class whose partner request was accepted
    is signed in on ``client``."""
    a, b, _ = partner_pair()
    member = pupil(a, "Amelia K.")
    exchange = partner_request_accept(
        request=partner_request_create(from_classroom=a, to_classroom=b, by=a.teacher),
        by=b.teacher,
    )
    client.force_login(member.user, backend=PUPIL_BACKEND)
    return b, exchange


def test_a_pupils_dashboard_shows_the_class_and_partner_classes_not_a_profile(client):
    a, b, _ = partner_pair()
    member = pupil(a, "Amelia K.")
    other = pupil(b, "Jonas M.")
    partner_request_accept(
        request=partner_request_create(from_classroom=a, to_classroom=b, by=a.teacher),
        by=b.teacher,
    )
    client.force_login(member.user, backend=PUPIL_BACKEND)
    page = client.get(reverse("dashboard")).content.decode()
    assert 'id="pupil-exchanges"' in page and b.name in page and b.city.name in page
    assert "Edit your profile" not in page and 'id="matches-card"' not in page
    # Partners' pupils are met in the room, not listed here; teachers' names never are.
    assert other.user.display_name not in page and b.teacher.email not in page


def test_a_pupil_sees_that_a_paused_exchange_is_paused(client):
    b, exchange = _pupil_of_an_exchange_signed_in(client)
    assert "paused for now" not in client.get(reverse("dashboard")).content.decode()
    ClassroomExchange.objects.filter(pk=exchange.pk).update(
        status=ClassroomExchange.Status.PAUSED
    )
    page = client.get(reverse("dashboard")).content.decode()
    assert b.name in page and "paused for now: the chat is closed" in page


def test_the_class_wide_password_reset_and_a_new_code_ask_first(client, coventry_class):
    """Both lock every pupil out of what they use now: the page asks before it sends, as
    for one pupil's new password (static/js/confirm.js)."""
    pupil(coventry_class)
    client.force_login(coventry_class.teacher)
    page = client.get(reverse("classroom_detail", args=[coventry_class.pk])).content.decode()
    for action in ("login_cards", "join_code_rotate"):
        form_at = page.index(f'action="{reverse(action, args=[coventry_class.pk])}"')
        tag = page[form_at:page.index(">", form_at)]
        assert 'data-confirm="' in tag, action


def test_a_pupils_dashboard_links_each_partner_class_to_the_exchange_wall(client):
    """The wall is the pupils' place in the exchange too: it is found from their home,
    not only from inside the class coventry_class."""
    _partner, exchange = _pupil_of_an_exchange_signed_in(client)
    page = client.get(reverse("dashboard")).content.decode()
    card = page[page.index('id="pupil-exchanges"'):page.index('id="rooms-card"')]
    assert f'href="{reverse("wall", args=[exchange.pk])}"' in card


def test_a_pupil_without_rooms_is_not_told_to_accept_a_match(client, coventry_class):
    """Pupils never accept matches: their rooms open with the partner class and the
    pairs their teachers make."""
    member = pupil(coventry_class, "Amelia K.")
    client.force_login(member.user, backend=PUPIL_BACKEND)
    page = client.get(reverse("dashboard")).content.decode()
    assert 'id="rooms-card"' in page
    assert "accept your match" not in page
    assert "Your chat rooms open once your class has a partner class." in page


def test_a_pupil_whose_exchange_ended_reads_so_and_keeps_the_wall_not_a_search(client):
    """An ended exchange's wall stays readable until the pupils' data goes: the
    dashboard says the exchange ended and links its wall, rather than telling the pupil
    that their teacher is looking for a partner class."""
    a, b, _ = partner_pair()
    member = pupil(a, "Amelia K.")
    exchange = partner_request_accept(
        request=partner_request_create(from_classroom=a, to_classroom=b, by=a.teacher),
        by=b.teacher,
    )
    class_exchange_end(exchange=exchange, by=a.teacher)
    client.force_login(member.user, backend=PUPIL_BACKEND)
    page = client.get(reverse("dashboard")).content.decode()
    card = page[page.index('id="pupil-exchanges"'):page.index('id="rooms-card"')]
    assert b.name in card and "the exchange has ended" in card
    assert f'href="{reverse("wall", args=[exchange.pk])}"' in card
    assert "is looking for a partner class" not in card


def _password_input(page: str, name: str) -> str:
    (found,) = re.findall(rf'<input type="password" name="{name}"[^>]*>', page)
    return found


def test_a_refused_password_is_named_on_the_password_field_of_join_and_first_login(
    client, coventry_class
):
    """A pupil whose password is too common learns it beside the password, where they
    type it again, not only at the top of the page."""
    response = post_join(client, coventry_class, password="password")
    assert response.status_code == 400
    page = response.content.decode()
    field = _password_input(page, "join-password")
    assert 'aria-invalid="true"' in field and "id_join-password_error" in field
    assert 'id="id_join-password_error"' in page and "too common" in page
    member = pupil(coventry_class, "Ben T.")
    User.objects.filter(pk=member.user_id).update(must_set_password=True)
    client.force_login(member.user, backend=PUPIL_BACKEND)
    response = client.post(reverse("pupil_password"),
                           {"password": "12345678", "password2": "12345678"})
    assert response.status_code == 400
    field = _password_input(response.content.decode(), "password")
    assert 'aria-invalid="true"' in field and "id_password_error" in field


def test_the_class_page_says_not_logged_in_only_of_pupils_who_never_have(client, coventry_class):
    """A new password for a pupil who has logged in does not make them "not logged in
    yet", as the classes page's "signed in" count does not forget them either."""
    client.force_login(coventry_class.teacher)
    client.post(reverse("pupils_add", args=[coventry_class.pk]), {"names": "Amelia K."})
    regular = pupil(coventry_class, "Jonas M.", PASSWORD)
    post_join(Client(), coventry_class, action="login", name="Jonas M.")
    client.post(reverse("pupil_reset", args=[coventry_class.pk, regular.pk]))
    page = client.get(reverse("classroom_detail", args=[coventry_class.pk])).content.decode()
    row = {name: page[page.index(f"<li>{name}"):][:200] for name in ("Amelia K.", "Jonas M.")}
    assert "(has not logged in yet)" in row["Amelia K."]
    assert "(has not logged in yet)" not in row["Jonas M."]
