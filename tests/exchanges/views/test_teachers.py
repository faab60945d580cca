"""Teacher applications through the client: apply, the officer's queue scoped to their
programs' cities, approve and refuse, and officers seeing classroom counts only."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from exchanges.models import Role, TeacherApplication
from exchanges.selectors.teachers import DECIDED_SHOWN
from tests.exchanges.classroom_fixtures import classroom, officer, pupil, teacher, twin_cities
from tests.factories import CityFactory, ProgramFactory, TwinningFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():
    coventry, dresden, twinning = twin_cities()
    program_officer = officer()
    ProgramFactory(twinnings=[twinning]).officers.add(program_officer)
    return coventry, program_officer


def application(user, city):
    return TeacherApplication.objects.create(
        user=user, school="Coventry Academy", city=city, role_at_school="German teacher",
        verification="coventry-academy.example",
    )


def test_a_user_applies_and_lands_on_the_classes_page_that_says_it_waits(client, setting):
    coventry, _ = setting
    user = UserFactory()
    client.force_login(user)
    assert client.get(reverse("classes"))["Location"] == reverse("teacher_apply")
    response = client.post(reverse("teacher_apply"), {
        "school": "Coventry Academy", "city": coventry.pk, "role_at_school": "German teacher",
        "verification": "https://coventry-academy.example/staff",
    })
    assert response["Location"] == reverse("classes")
    assert TeacherApplication.objects.get(user=user).is_pending
    page = client.get(reverse("classes")).content.decode()
    assert "waiting for an officer" in page
    # The dashboard sends an applicant to their classes, not to a participant profile.
    assert client.get(reverse("dashboard"))["Location"] == reverse("classes")


def test_a_bad_check_is_a_form_error(client, setting):
    coventry, _ = setting
    client.force_login(UserFactory())
    response = client.post(reverse("teacher_apply"), {
        "school": "Coventry Academy", "city": coventry.pk, "role_at_school": "teacher",
        "verification": "trust me",
    })
    assert response.status_code == 400
    assert "e-mail domain" in response.content.decode()
    assert not TeacherApplication.objects.exists()


def test_the_queue_lists_only_the_officers_cities_and_approving_makes_a_teacher(client, setting):
    coventry, program_officer = setting
    mine = application(UserFactory(email="mine@example.test"), coventry)
    far = TwinningFactory(city_a=CityFactory(name="Lyon", country="FR", tz="Europe/Paris"),
                          city_b=CityFactory(name="Leipzig", country="DE", tz="Europe/Berlin"))
    elsewhere = application(UserFactory(email="elsewhere@example.test"), far.city_a)
    client.force_login(program_officer)
    page = client.get(reverse("teacher_applications")).content.decode()
    assert "mine@example.test" in page and "elsewhere@example.test" not in page
    assert client.post(reverse("teacher_application_approve", args=[elsewhere.pk])
                       ).status_code == 404
    response = client.post(reverse("teacher_application_approve", args=[mine.pk]))
    assert response.status_code == 302
    assert mine.user.groups.filter(name=Role.TEACHER).exists()


def test_an_officers_own_application_waits_for_another_officer(client, setting):
    coventry, program_officer = setting
    own = application(program_officer, coventry)
    client.force_login(program_officer)
    page = client.get(reverse("teacher_applications")).content.decode()
    assert "another officer decides it" in page
    assert reverse("teacher_application_approve", args=[own.pk]) not in page
    response = client.post(reverse("teacher_application_approve", args=[own.pk]), follow=True)
    assert "decided by another officer" in response.content.decode()
    own.refresh_from_db()
    assert own.is_pending
    assert not program_officer.groups.filter(name=Role.TEACHER).exists()


def test_refusing_without_a_reason_is_refused_and_with_one_is_recorded(client, setting):
    coventry, program_officer = setting
    pending = application(UserFactory(), coventry)
    client.force_login(program_officer)
    client.post(reverse("teacher_application_refuse", args=[pending.pk]), {"reason": ""})
    pending.refresh_from_db()
    assert pending.is_pending
    client.post(reverse("teacher_application_refuse", args=[pending.pk]),
                {"reason": "The staff page does not list you."})
    pending.refresh_from_db()
    assert pending.status == TeacherApplication.Status.REFUSED
    client.force_login(pending.user)
    assert "The staff page does not list you." in client.get(reverse("classes")).content.decode()


def test_an_over_long_reason_is_refused_for_its_length_with_the_text_kept(client, setting):
    coventry, program_officer = setting
    pending = application(UserFactory(), coventry)
    client.force_login(program_officer)
    typed = "The staff page does not list you. " * 16  # 544 characters
    response = client.post(reverse("teacher_application_refuse", args=[pending.pk]),
                           {"reason": typed})
    assert response.status_code == 400
    page = response.content.decode()
    assert "at most 500 characters" in page and "Say why" not in page
    row = page[page.index(f'id="application-{pending.pk}"'):]
    assert f'value="{typed}"' in row[:row.index("</li>")]
    pending.refresh_from_db()
    assert pending.is_pending


def test_teachers_and_participants_cannot_open_the_queue(client, setting):
    coventry, _ = setting
    pending = application(UserFactory(), coventry)
    for user in (teacher(), UserFactory()):
        client.force_login(user)
        assert client.get(reverse("teacher_applications")).status_code == 403
        assert client.post(reverse("teacher_application_approve", args=[pending.pk])
                           ).status_code == 403


def test_officers_see_classroom_counts_but_no_class_or_pupil(client, setting):
    coventry, program_officer = setting
    room = classroom(teacher_user=teacher(), city=coventry, name="Secret Class Name")
    pupil(room, "Amelia K.")
    client.force_login(program_officer)
    page = client.get(reverse("teacher_applications")).content.decode()
    assert "1 class, 1 pupil, 0 active exchanges" in page
    assert "Secret Class Name" not in page and "Amelia K." not in page
    assert client.get(reverse("classroom_detail", args=[room.pk])).status_code == 404


def test_the_decided_list_shows_the_latest_decisions_when_there_are_many(client, setting):
    coventry, program_officer = setting
    decided_at = timezone.now() - dt.timedelta(days=100)
    for number in range(DECIDED_SHOWN + 1):
        # Applied in this order and decided in it, a day apart: the last is the newest.
        TeacherApplication.objects.create(
            user=UserFactory(email=f"decided-{number}@example.test"), school="S",
            city=coventry, role_at_school="teacher", verification="s.example",
            status=TeacherApplication.Status.APPROVED, decided_by=program_officer,
            decided_at=decided_at + dt.timedelta(days=number),
        )
    client.force_login(program_officer)
    page = client.get(reverse("teacher_applications")).content.decode()
    decided = page[page.index('id="decided-applications"'):]
    newest, oldest = f"decided-{DECIDED_SHOWN}@", "decided-0@"
    assert newest in decided and oldest not in decided
    assert decided.index(newest) < decided.index(f"decided-{DECIDED_SHOWN - 1}@")
