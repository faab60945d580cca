"""The Django admin is for superusers: every admin URL, walked as each staff role."""

from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.account.models import EmailAddress
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from exchanges import models as m
from exchanges.admin.programs import ProgramAdminForm
from exchanges.services.roles import roles_ensure
from exchanges.services.rooms import room_open
from tests.factories import MatchFactory, ProgramFactory, TwinningFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def one_of_each():
    """A real row of every model the admin registers, so change/delete/history have a target."""
    match = MatchFactory(status=m.Match.Status.ACTIVE)
    room = room_open(match=match)
    alice = match.participant_a
    message = m.Message.objects.create(
        room=room, author=alice.user, body="Pupil0: a private line", client_id="c1"
    )
    m.Report.objects.create(message=message, reporter=match.participant_b.user, reason="rude")
    teacher = UserFactory()
    classroom_a = m.Classroom.objects.create(
        teacher=teacher, city=match.twinning.city_a, school="School A", name="5B"
    )
    classroom_b = m.Classroom.objects.create(
        teacher=UserFactory(), city=match.twinning.city_b, school="Schule B", name="7c"
    )
    m.ClassroomExchange.objects.create(
        twinning=match.twinning, classroom_a=classroom_a, classroom_b=classroom_b
    )
    m.MatchRun.objects.create(program=match.program)
    m.Block.objects.create(blocker=alice, blocked=match.participant_b)
    session = m.Session.objects.create(match=match, starts_at=timezone.now())
    m.Reminder.objects.create(
        session=session, participant=alice, kind="24h", send_at=timezone.now()
    )
    m.Notification.objects.create(user=alice.user, kind="match", text="You have a partner")
    m.AuditEvent.objects.create(verb="twinning.suspend", target="twinning:1")
    m.Interest.objects.create(slug="chess", name="chess")
    EmailAddress.objects.create(user=alice.user, email=alice.user.email, verified=True)
    roles_ensure()
    rows = {}
    for model in admin.site._registry:
        row = model._default_manager.order_by("pk").first()
        assert row is not None, f"no {model._meta.label} row to walk"
        rows[model] = row
    return rows


def _admin_urls(rows) -> list[str]:
    urls = [reverse("admin:index")]
    for model, row in rows.items():
        opts = model._meta
        urls.append(reverse("admin:app_list", args=[opts.app_label]))
        base = f"admin:{opts.app_label}_{opts.model_name}"
        urls.append(reverse(f"{base}_changelist"))
        urls.append(reverse(f"{base}_add"))
        for action in ("change", "delete", "history"):
            urls.append(reverse(f"{base}_{action}", args=[row.pk]))
    urls.append(reverse("admin:password_change"))
    return sorted(set(urls))


def _staff(role: str, *, is_staff: bool):
    user = UserFactory(is_staff=is_staff)
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user


def _officer_of_every_program(user):
    for program in m.Program.objects.all():
        program.officers.add(user)


@pytest.mark.parametrize("role", [m.Role.OFFICER, m.Role.TEACHER, m.Role.PARTICIPANT])
@pytest.mark.parametrize("is_staff", [True, False])
def test_no_admin_url_answers_a_non_superuser(client, one_of_each, role, is_staff):
    user = _staff(role, is_staff=is_staff)
    _officer_of_every_program(user)
    client.force_login(user)
    login = reverse("admin:login")
    for url in _admin_urls(one_of_each):
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code in {302, 403, 404}, (method, url, response.status_code)
            if response.status_code == 302:
                assert response["Location"].startswith(login), (method, url, response["Location"])
    assert client.get(login).status_code == 403


def test_an_officer_cannot_read_message_text_or_calendar_tokens_in_the_admin(
    client, one_of_each
):
    officer = _staff(m.Role.OFFICER, is_staff=True)
    client.force_login(officer)
    report = m.Report.objects.get()
    participant = m.Participant.objects.order_by("pk").first()
    for url in (
        reverse("admin:exchanges_report_change", args=[report.pk]),
        reverse("admin:exchanges_participant_change", args=[participant.pk]),
    ):
        body = client.get(url, follow=True).content.decode()
        assert "a private line" not in body
        assert participant.calendar_token not in body


# Pages a superuser is refused on purpose: the audit log is read only.
READ_ONLY = {reverse("admin:exchanges_auditevent_add")}


def test_a_superuser_walks_every_admin_page(client, one_of_each):
    root = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(root)
    event = one_of_each[m.AuditEvent]
    refused = READ_ONLY | {reverse("admin:exchanges_auditevent_delete", args=[event.pk])}
    for url in _admin_urls(one_of_each):
        assert client.get(url).status_code == (403 if url in refused else 200), url


def test_a_superuser_reads_the_audit_log_but_cannot_rewrite_or_delete_it(client, one_of_each):
    event = one_of_each[m.AuditEvent]
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    change = reverse("admin:exchanges_auditevent_change", args=[event.pk])
    assert event.target in client.get(change).content.decode()
    assert client.post(change, {"verb": "twinning.reactivated", "target": "twinning:9",
                                "data": "{}"}).status_code == 403
    delete = reverse("admin:exchanges_auditevent_delete", args=[event.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    changelist = reverse("admin:exchanges_auditevent_changelist")
    client.post(changelist, {"action": "delete_selected", "_selected_action": [event.pk],
                             "post": "yes"})
    event.refresh_from_db()
    assert (event.verb, event.target) == ("twinning.suspend", "twinning:1")


def test_a_superuser_without_the_staff_flag_is_still_let_in(client, one_of_each):
    client.force_login(UserFactory(is_staff=False, is_superuser=True))
    assert client.get(reverse("admin:index")).status_code == 200


def test_an_inactive_superuser_is_kept_out(client, one_of_each):
    root = UserFactory(is_staff=True, is_superuser=True, is_active=False)
    client.force_login(root)
    assert client.get(reverse("admin:index")).status_code == 302


def test_the_participant_change_page_hides_the_calendar_token(client, one_of_each):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    participant = m.Participant.objects.order_by("pk").first()
    body = client.get(
        reverse("admin:exchanges_participant_change", args=[participant.pk])
    ).content.decode()
    assert participant.calendar_token not in body
    assert "calendar_token" not in body


@pytest.mark.parametrize("lookup", ["calendar_token", "calendar_token__startswith",
                                    "calendar_token__regex", "calendar_token__in"])
def test_the_participant_list_cannot_be_filtered_on_the_calendar_token(
    client, one_of_each, lookup
):
    # A filter that answers "1 participant" or "0 participants" reads the token out one
    # letter at a time as surely as showing it.
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    participant = m.Participant.objects.order_by("pk").first()
    url = reverse("admin:exchanges_participant_changelist")
    response = client.get(url, {lookup: participant.calendar_token[:1]})
    assert response.status_code == 400
    assert client.get(url, {"capacity": participant.capacity}).status_code == 200


def test_a_classroom_exchange_without_a_program_saves_in_the_admin(client, one_of_each):
    exchange = m.ClassroomExchange.objects.get()
    assert exchange.program is None  # as partner requests make them without one
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.post(
        reverse("admin:exchanges_classroomexchange_change", args=[exchange.pk]),
        {"program": "", "twinning": exchange.twinning_id,
         "classroom_a": exchange.classroom_a_id, "classroom_b": exchange.classroom_b_id,
         "status": "ended", "ended_reason": "teacher", "ended_by": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    exchange.refresh_from_db()
    assert exchange.status == "ended" and exchange.program is None


def test_anonymous_admin_login_goes_through_the_rate_limited_account_login(client):
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    followed = client.get(response["Location"])
    assert followed.status_code == 302
    assert followed["Location"].startswith(reverse("account_login"))
    assert parse_qs(urlsplit(followed["Location"]).query)["next"] == ["/admin/"]


def test_admin_login_ignores_an_off_site_next(client):
    response = client.get(reverse("admin:login") + "?next=https://evil.example/")
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


def test_the_staff_dashboard_links_the_admin_only_for_superusers(client):
    officer = _staff(m.Role.OFFICER, is_staff=True)
    client.force_login(officer)
    assert reverse("admin:index") not in client.get(reverse("dashboard")).content.decode()


def test_the_program_admin_refuses_more_sessions_to_complete_than_weeks():
    twinning = TwinningFactory()
    program = ProgramFactory(twinnings=[twinning])
    data = {
        "name": program.name, "slug": program.slug, "kind": program.kind,
        "start_date": program.start_date.isoformat(), "weeks": "10", "session_minutes": "60",
        "completion_sessions": "50", "is_open": "on", "twinnings": [twinning.pk],
    }
    form = ProgramAdminForm(data, instance=program)
    assert not form.is_valid()
    assert list(form.errors) == ["completion_sessions"]
    assert form.errors["completion_sessions"][0].startswith("At most 10,")
