"""Teacher applications: apply, approve or refuse (by whom), and the teacher told."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from exchanges.models import Notification, Role, TeacherApplication
from exchanges.selectors.teachers import teacher_is_approved, teacher_may_draft
from exchanges.services.teachers import (
    teacher_application_approve,
    teacher_application_refuse,
    teacher_apply,
    teacher_decision_email,
    teacher_decision_email_send,
)
from tests.exchanges.classroom_fixtures import officer, twin_cities
from tests.factories import CityFactory, ProgramFactory, UserFactory

pytestmark = pytest.mark.django_db


def _apply(user, city, verification="coventry-school.example.ac.uk"):
    return teacher_apply(user=user, school="Coventry Academy", city=city,
                         role_at_school="English teacher", verification=verification)


@pytest.fixture
def setting():
    coventry, dresden, twinning = twin_cities()
    program_officer = officer()
    ProgramFactory(twinnings=[twinning]).officers.add(program_officer)
    return coventry, program_officer


def test_an_application_waits_and_lets_the_applicant_draft_but_not_teach(setting):
    coventry, _ = setting
    user = UserFactory()
    application = _apply(user, coventry)
    assert application.status == TeacherApplication.Status.PENDING
    assert application.verification == "coventry-school.example.ac.uk"
    assert teacher_may_draft(user=user)
    assert not teacher_is_approved(user=user)


def test_a_second_pending_application_is_refused(setting):
    coventry, _ = setting
    user = UserFactory()
    _apply(user, coventry)
    with pytest.raises(ValidationError, match="already waiting"):
        _apply(user, coventry)


def test_the_city_needs_an_active_twinning_and_the_check_must_be_a_domain_or_a_link(setting):
    coventry, _ = setting
    lonely = CityFactory(name="Nowhere", country="FR", tz="Europe/Paris")
    with pytest.raises(ValidationError) as exc:
        _apply(UserFactory(), lonely)
    assert "active twinning" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        _apply(UserFactory(), coventry, verification="ask my boss")
    assert "domain" in str(exc.value)
    assert _apply(UserFactory(), coventry, verification="https://school.example/staff").pk


def test_the_officer_of_the_city_approves_and_the_teacher_is_told_in_app_and_by_mail(
    setting, django_capture_on_commit_callbacks, monkeypatch
):
    coventry, program_officer = setting
    user = UserFactory()
    sent = []
    monkeypatch.setattr(teacher_decision_email, "delay", lambda pk: sent.append(pk))
    with django_capture_on_commit_callbacks(execute=True):
        application = teacher_application_approve(application=_apply(user, coventry),
                                                  by=program_officer)
    assert application.status == TeacherApplication.Status.APPROVED
    assert application.decided_by == program_officer
    assert user.groups.filter(name=Role.TEACHER).exists()
    assert Notification.objects.filter(user=user, kind="teacher.approved").exists()
    assert sent == [application.pk]


def test_refusing_needs_a_reason_and_the_mail_gives_it(setting, mailoutbox):
    coventry, program_officer = setting
    user = UserFactory()
    application = _apply(user, coventry)
    with pytest.raises(ValidationError, match="Say why"):
        teacher_application_refuse(application=application, by=program_officer, reason="  ")
    refused = teacher_application_refuse(
        application=application, by=program_officer, reason="No such school on the register."
    )
    assert refused.status == TeacherApplication.Status.REFUSED
    assert not user.groups.filter(name=Role.TEACHER).exists()
    assert teacher_decision_email_send(application_id=refused.pk) == 1
    assert "No such school on the register." in mailoutbox[0].body
    assert mailoutbox[0].to == [user.email]
    # Decided once: a second decision is refused.
    with pytest.raises(ValidationError, match="already refused"):
        teacher_application_approve(application=refused, by=program_officer)


def test_an_over_long_reason_is_refused_not_cut(setting):
    coventry, program_officer = setting
    application = _apply(UserFactory(), coventry)
    with pytest.raises(ValidationError) as exc:
        teacher_application_refuse(application=application, by=program_officer,
                                   reason="x" * 501)
    assert "500 characters" in exc.value.message_dict["reason"][0]
    application.refresh_from_db()
    assert application.is_pending


def test_an_officer_of_another_program_cannot_decide(setting):
    coventry, _ = setting
    stranger = officer()
    ProgramFactory()  # a program without Coventry
    application = _apply(UserFactory(), coventry)
    with pytest.raises(PermissionDenied):
        teacher_application_approve(application=application, by=stranger)
    with pytest.raises(PermissionDenied):
        teacher_application_approve(application=application, by=UserFactory())


def test_an_officer_cannot_decide_their_own_application(setting):
    """Teachers read minors' rooms: an officer who applies is vetted by another one."""
    coventry, program_officer = setting
    application = _apply(program_officer, coventry)
    with pytest.raises(PermissionDenied, match="another officer"):
        teacher_application_approve(application=application, by=program_officer)
    with pytest.raises(PermissionDenied, match="another officer"):
        teacher_application_refuse(application=application, by=program_officer,
                                   reason="Changed my mind.")
    application.refresh_from_db()
    assert application.is_pending
    assert not teacher_is_approved(user=program_officer)


def test_a_superuser_decides_anywhere(setting):
    coventry, _ = setting
    admin = UserFactory(is_superuser=True, is_staff=True)
    application = teacher_application_approve(application=_apply(UserFactory(), coventry),
                                              by=admin)
    assert application.is_approved


def test_pupils_cannot_apply(setting):
    coventry, _ = setting
    with pytest.raises(PermissionDenied):
        _apply(UserFactory(is_pupil=True), coventry)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("school", "\u200b", "Enter a name with visible letters."),
        ("school", "\u202eymedacA", "invisible character (U+202E)"),
        ("role_at_school", "\u200b\u200b ", "Enter a name with visible letters."),
        ("role_at_school", "English\u2066 teacher", "invisible character (U+2066)"),
        ("verification", "https://school.example/\u202efats", "e-mail domain"),
        ("verification", "https://sch\u202eool.example/staff", "e-mail domain"),
    ],
)
def test_an_application_with_invisible_or_reordering_characters_is_refused(
    setting, field, value, message
):
    coventry, _ = setting
    values = {"school": "Coventry Academy", "role_at_school": "English teacher",
              "verification": "coventry-school.example.ac.uk", field: value}
    with pytest.raises(ValidationError) as exc:
        teacher_apply(user=UserFactory(), city=coventry, **values)
    assert message in exc.value.message_dict[field][0]
    assert not TeacherApplication.objects.exists()


@pytest.mark.parametrize(
    ("school", "role"),
    [("東京第一中学校", "英語教師"), ("مدرسة القدس", "معلم لغة"), ("תיכון הרצליה", "מורה לאנגלית"),
     ("केन्द्रीय विद्यालय", "अध्यापक")],
)
def test_an_application_in_another_script_is_kept(setting, school, role):
    coventry, _ = setting
    application = teacher_apply(user=UserFactory(), school=school, city=coventry,
                                role_at_school=role, verification="school.example")
    assert (application.school, application.role_at_school) == (school, role)


def test_a_refusal_reason_of_invisible_characters_is_no_reason(setting):
    coventry, program_officer = setting
    application = _apply(UserFactory(), coventry)
    with pytest.raises(ValidationError, match="Say why"):
        teacher_application_refuse(application=application, by=program_officer,
                                   reason="\u200b\u200b ")
    refused = teacher_application_refuse(application=application, by=program_officer,
                                         reason="\u202eloohcs on\u202c")
    assert refused.reason == "loohcs on"
