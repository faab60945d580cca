"""The world the authorization matrix walks: one of everything a URL acts on, and the
people of each role (tests/test_authorization_matrix.py).

The tandem side: an active match of Nora (``participant``) and Bruno (``partner``) in the
officer's program, with its room, sessions, a pending move and a message each side; an
unrelated participant (``stranger``) who has a match of her own. The classroom side, built
through the services as teachers do: the officer approves two teachers' applications,
each creates a class, adds pupils, one asks the other to be partners and is accepted; the
pupils pick interests, a pairing is proposed, a weekly class time is confirmed and another
proposed; the class room carries a pupil's message and a report; the wall a teacher's post
with an image and a pupil's pending post. Another program, with its own officer and
twinning, is what ``other_officer`` runs.
"""

import datetime as dt
import io
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from exchanges.models import (
    AuditEvent,
    Block,
    Interest,
    Match,
    MatchRun,
    Message,
    Notification,
    Participant,
    Reminder,
    Report,
    Role,
    SlotProposal,
    TeacherApplication,
    User,
)
from exchanges.services.class_sessions import (
    class_session_confirm,
    class_session_propose,
    teacher_calendar_ensure,
)
from exchanges.services.classrooms import ClassroomInput, classroom_create
from exchanges.services.participants import LanguageInput, WindowInput
from exchanges.services.partner_requests import partner_request_accept, partner_request_create
from exchanges.services.pupil_interests import pupil_interests_set
from exchanges.services.pupil_pairing import pairing_propose
from exchanges.services.pupils import pupils_add
from exchanges.services.roles import roles_ensure
from exchanges.services.rooms import room_open
from exchanges.services.sessions import session_move_propose
from exchanges.services.teachers import teacher_application_approve, teacher_apply
from exchanges.services.wall import wall_post_create
from tests.exchanges.classroom_fixtures import officer as make_officer
from tests.exchanges.classroom_fixtures import twin_cities
from tests.exchanges.scheduling_fixtures import scheduled_match
from tests.factories import (
    CityFactory,
    MatchFactory,
    ParticipantFactory,
    ProgramFactory,
    TwinningFactory,
    UserFactory,
)

T = dt.time.fromisoformat
ROLES = (
    "anonymous", "participant", "partner", "stranger", "teacher", "officer",
    "other_officer", "superuser", "pupil",
)


@dataclass
class World:
    users: dict  # role -> the user (None for anonymous)
    ids: dict  # world key -> the id, slug or token a URL takes


def _png() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (16, 12), (0, 90, 200)).save(out, format="PNG")
    return SimpleUploadedFile("class.png", out.getvalue(), content_type="image/png")


def _teacher(city, approver, school: str) -> User:
    """A teacher approved through the application an officer decides."""
    user = UserFactory()
    application = teacher_apply(
        user=user, school=school, city=city, role_at_school="Languages teacher",
        verification=f"{school.lower().replace(' ', '-')}.example",
    )
    teacher_application_approve(application=application, by=approver)
    user.refresh_from_db()
    return user


def _class(teacher: User, city, name: str, speaks: str, learns: str, hours, pupils):
    today = timezone.localdate()
    classroom = classroom_create(teacher=teacher, data=ClassroomInput(
        name=name, school=f"{city.name} School", city=city, age_min=12, age_max=13,
        size=24, term_start=today, term_end=today + dt.timedelta(days=110),
        languages=[LanguageInput(speaks, "native", False), LanguageInput(learns, "A2", True)],
        hours=[WindowInput(day, T(start), T(end)) for day, start, end in hours],
        holidays=[], consent_confirmed=True,
    ))
    cards = pupils_add(classroom=classroom, by=teacher, names=pupils) if pupils else []
    return classroom, [card.pupil for card in cards]


def _tandem():
    match, sessions = scheduled_match()
    program = match.program
    program.twinnings.add(match.twinning)
    a, b = match.participant_a, match.participant_b
    moving = session_move_propose(
        session=sessions[2], by=a, new_start=sessions[1].starts_at + dt.timedelta(days=2)
    )
    proposed = MatchFactory(program=program, twinning=match.twinning, participant_a=a,
                            status=Match.Status.PROPOSED)
    room = match.room
    from_partner = Message.objects.create(room=room, author=b.user, body="Hallo", client_id="b1")
    mine = Message.objects.create(room=room, author=a.user, body="Hello", client_id="a1")
    report = Report.objects.create(message=mine, reporter=b.user, reason="test")
    stranger = ParticipantFactory()
    stranger.user.groups.add(Group.objects.get_or_create(name=Role.PARTICIPANT)[0])
    MatchFactory(program=program, participant_a=stranger, status=Match.Status.ACTIVE)
    return program, a, b, stranger, {
        "match": match.pk, "proposed_match": proposed.pk, "session": sessions[1].pk,
        "moving_session": moving.pk, "slot_proposal": SlotProposal.objects.filter(
            match=match).first().pk, "room": room.pk, "partner_message": from_partner.pk,
        "room_report": report.pk, "token": a.calendar_token, "slug": program.slug,
    }


def _classes(program, officer_user):
    coventry, dresden, twinning = twin_cities()
    program.twinnings.add(twinning)
    teacher_a = _teacher(coventry, officer_user, "Coventry Academy")
    teacher_b = _teacher(dresden, officer_user, "Dresden Gymnasium")
    class_a, pupils_a = _class(teacher_a, coventry, "7B", "en", "de",
                               [(1, "13:00", "15:15"), (3, "13:00", "15:15")],
                               ["Amelia K.", "Harry P."])
    class_b, pupils_b = _class(teacher_b, dresden, "7c", "de", "en",
                               [(1, "15:00", "17:00"), (3, "15:00", "17:00")],
                               ["Jonas M.", "Lea W."])
    spare_a, _ = _class(teacher_a, coventry, "8A", "en", "de", [(1, "13:00", "15:15")], [])
    spare_b, _ = _class(teacher_b, dresden, "8d", "de", "en", [(1, "15:00", "17:00")], [])
    request = partner_request_create(from_classroom=class_a, to_classroom=class_b,
                                     by=teacher_a, message="Hello")
    exchange = partner_request_accept(request=request, by=teacher_b, reply="Gerne")
    incoming = partner_request_create(from_classroom=spare_b, to_classroom=spare_a,
                                      by=teacher_b, message="Hallo")
    for i, pupil in enumerate(pupils_a + pupils_b):
        pupil_interests_set(pupil=pupil, by=pupil.user,
                            slugs=[["football", "music"], ["space", "games"]][i % 2])
    pairing_propose(exchange=exchange, by=teacher_a)
    held = class_session_propose(exchange=exchange, by=teacher_b, weekday=1,
                                 local_start=T("14:00"), minutes=45)
    sessions = class_session_confirm(proposal=held, by=teacher_a)
    pending = class_session_propose(exchange=exchange, by=teacher_b, weekday=3,
                                    local_start=T("14:00"), minutes=45)
    class_room = room_open(exchange=exchange)
    said = Message.objects.create(room=class_room, author=pupils_b[0].user, body="Hi all",
                                  client_id="p1")
    reported = Report.objects.create(message=said, reporter=pupils_a[0].user, reason="rude")
    shown = wall_post_create(exchange=exchange, author=teacher_a, text="Our school",
                             images=[_png()])
    waiting = wall_post_create(exchange=exchange, author=pupils_a[0].user, text="My town")
    application = TeacherApplication.objects.create(
        user=UserFactory(), school="Coventry College", city=coventry,
        role_at_school="German teacher", verification="coventry-college.example",
    )
    return teacher_a, pupils_a[0], {
        "twinning": twinning.pk, "classroom": class_a.pk, "other_classroom": class_b.pk,
        "spare_classroom": spare_a.pk, "incoming_request": incoming.pk,
        "pupil": pupils_a[0].pk, "exchange": exchange.pk, "class_proposal": pending.pk,
        "class_session": sessions[0].pk, "class_room": class_room.pk,
        "class_message": said.pk, "class_report": reported.pk, "wall_post": shown.pk,
        "pending_post": waiting.pk, "wall_image": shown.images.first().pk,
        "application": application.pk,
        "teacher_token": teacher_calendar_ensure(user=teacher_a).token,
    }


def _admin_targets(match_pk: int) -> None:
    """A row of each model the admin registers that the world has none of yet."""
    match = Match.objects.get(pk=match_pk)
    alice, bruno = match.participant_a, match.participant_b
    MatchRun.objects.create(program=match.program)
    Block.objects.create(blocker=alice, blocked=bruno)
    Reminder.objects.create(session=match.sessions.first(), participant=alice, kind="24h",
                            send_at=timezone.now())
    Notification.objects.create(user=alice.user, kind="match", text="You have a partner")
    AuditEvent.objects.create(verb="twinning.suspend", target="twinning:1")
    Interest.objects.get_or_create(slug="chess", defaults={"name": "chess"})
    EmailAddress.objects.create(user=alice.user, email=alice.user.email, verified=True)
    roles_ensure()


def admin_rows() -> dict:
    """Registered model -> the row its change and delete pages show."""
    rows = {}
    for model in admin.site._registry:
        rows[model] = model._default_manager.order_by("pk").first()
        assert rows[model] is not None, f"no {model._meta.label} row for the admin walk"
    return rows


def build_world() -> World:
    program, a, b, stranger, tandem = _tandem()
    the_officer = make_officer()
    program.officers.add(the_officer)
    teacher, pupil, classes = _classes(program, the_officer)
    other_program = ProgramFactory()
    other_program.twinnings.add(TwinningFactory(
        city_a=CityFactory(name="Lyon", country="FR", tz="Europe/Paris", languages=["fr"]),
        city_b=CityFactory(name="Birmingham"),
    ))
    other_officer = make_officer()
    other_program.officers.add(other_officer)
    users = {
        "anonymous": None, "participant": a.user, "partner": b.user,
        "stranger": stranger.user, "teacher": teacher, "officer": the_officer,
        "other_officer": other_officer,
        "superuser": UserFactory(is_staff=True, is_superuser=True), "pupil": pupil.user,
    }
    assert isinstance(pupil, Participant)
    _admin_targets(tandem["match"])
    return World(users=users, ids={**tandem, **classes,
                                   "other_slug": other_program.slug})


def build_walk_world() -> World:
    """The world for the page walks: the pupil is past the first login, so their pages
    are their home and exchanges, not the form that asks them for a new password."""
    world = build_world()
    pupil = world.users["pupil"]
    pupil.must_set_password = False
    pupil.save(update_fields=["must_set_password"])
    return world
