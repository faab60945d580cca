"""A participant approved as a teacher is both: her tandems, profile and account stay
hers, and the teacher home comes next to them."""

import pytest
from django.urls import reverse

from exchanges.models import Match, Room, TeacherApplication, User
from exchanges.selectors.matching import participants_with_free_capacity
from exchanges.services.roles import roles_ensure
from exchanges.services.teachers import teacher_application_approve
from tests.exchanges.classroom_fixtures import classroom, teacher
from tests.factories import MatchFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


def _approved_teacher_with_tandem():
    roles_ensure()
    match = MatchFactory(status=Match.Status.ACTIVE)
    room = Room.objects.create(match=match)
    alice = match.participant_a
    application = TeacherApplication.objects.create(
        user=alice.user, school="Lycée Kléber", city=alice.city, role_at_school="English",
        verification="https://school.example/staff",
    )
    officer = UserFactory(is_superuser=True)
    teacher_application_approve(application=application, by=officer)
    alice.user.refresh_from_db()
    return match, room, alice


def test_her_dashboard_shows_the_teacher_home_and_her_tandem(client):
    match, room, alice = _approved_teacher_with_tandem()
    client.force_login(alice.user)
    page = client.get(reverse("dashboard")).content.decode()
    assert 'id="teacher-classes"' in page
    assert 'id="matches-card"' in page and 'id="sessions-card"' in page
    assert match.participant_b.user.public_name in page
    assert reverse("room_detail", args=[room.pk]) in page
    assert reverse("match_end", args=[match.pk]) in page
    assert f'href="{reverse("profile")}"' in page  # in the header and on her profile card


def test_her_profile_stays_reachable(client):
    _, _, alice = _approved_teacher_with_tandem()
    client.force_login(alice.user)
    response = client.get(reverse("profile"))
    assert response.status_code == 200
    assert 'name="birth_year"' in response.content.decode()


def test_a_teacher_without_a_profile_still_has_none(client):
    client.force_login(teacher())
    assert client.get(reverse("profile"))["Location"] == reverse("dashboard")
    page = client.get(reverse("dashboard")).content.decode()
    assert 'id="teacher-classes"' in page and 'id="matches-card"' not in page
    assert f'href="{reverse("profile")}"' not in page


def test_she_stays_in_the_pool_she_chose(client):
    match, _, alice = _approved_teacher_with_tandem()
    match.participant_a.capacity = 2
    match.participant_a.save(update_fields=["capacity"])
    match.program.participants.add(alice)
    match.program.twinnings.add(match.twinning)
    assert alice.pk in participants_with_free_capacity(program=match.program)


def test_a_teacher_without_classes_can_delete_her_account(client):
    match, _, alice = _approved_teacher_with_tandem()
    user = alice.user
    user.set_password(PASSWORD)
    user.save()
    client.force_login(user)
    assert client.get(reverse("account_delete")).status_code == 200
    response = client.post(reverse("account_delete"), {"password": PASSWORD})
    assert response["Location"] == reverse("home")
    assert not User.objects.filter(pk=user.pk).exists()
    assert not Match.objects.filter(pk=match.pk).exists()


def test_a_teacher_with_a_class_is_told_what_to_do_first(client):
    _, _, alice = _approved_teacher_with_tandem()
    classroom(teacher_user=alice.user, city=alice.city)
    client.force_login(alice.user)
    for response in (client.get(reverse("account_delete")),
                     client.post(reverse("account_delete"), {"password": PASSWORD})):
        assert response.status_code == 403
        page = response.content.decode()
        assert "delete each of your classes" in page
        assert reverse("classes") in page
        # A class that had an exchange can go once its pupils' data is deleted.
        assert "deleted once its exchanges have ended" in page and "cannot be deleted" not in page
    assert User.objects.filter(pk=alice.user.pk).exists()
