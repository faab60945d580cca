"""The demo classroom exchange: a Coventry class and a Dresden class with a few pupils
each, partners in a live exchange with its class room, final pupil pairs (one trio)
with their rooms, and weekly class sessions (development only).

Built through the services, as a teacher would; the join codes are fixed so that the
README can list the pupils' logins.
"""

import datetime as dt

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.utils import timezone

from exchanges.models import (
    City,
    Classroom,
    ClassroomExchange,
    ClassSessionProposal,
    Participant,
    PartnerRequest,
    PupilPairing,
    Role,
    User,
)
from exchanges.services.class_sessions import class_session_confirm, class_session_propose
from exchanges.services.classrooms import ClassroomInput
from exchanges.services.classrooms import classroom_create as classroom_create_service
from exchanges.services.participants import LanguageInput, WindowInput
from exchanges.services.partner_requests import partner_request_accept, partner_request_create
from exchanges.services.pupil_interests import pupil_interests_set
from exchanges.services.pupil_pairing import pairing_confirm, pairing_propose
from exchanges.services.pupils import pupil_password_set, pupils_add

COVENTRY_CODE = "CVNTRY27"
DRESDEN_CODE = "DRSDEN34"
COVENTRY_PUPILS = ["Amelia K.", "Harry P.", "Priya S."]
DRESDEN_PUPILS = ["Jonas M.", "Lea W.", "Emir Y.", "Mia B."]
T = dt.time.fromisoformat


def _teacher(email: str, name: str, password: str) -> User:
    user, created = User.objects.get_or_create(email=email, defaults={"display_name": name})
    if created:
        user.set_password(password)
        user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    user.groups.add(Group.objects.get_or_create(name=Role.TEACHER)[0])
    return user


def _class(teacher, city, code, name, speaks, learns, hours, size, password, pupils):
    existing = Classroom.objects.filter(join_code=code).first()
    if existing is not None:
        return existing
    today = timezone.localdate()
    classroom = classroom_create_service(teacher=teacher, data=ClassroomInput(
        name=name, school=f"{city.name} Community School", city=city, age_min=12, age_max=13,
        size=size, term_start=today, term_end=today + dt.timedelta(days=110),
        languages=[LanguageInput(speaks, "native", False), LanguageInput(learns, "A2", True)],
        hours=[WindowInput(day, T(start), T(end)) for day, start, end in hours],
        holidays=[], consent_confirmed=True,
    ))
    Classroom.objects.filter(pk=classroom.pk).update(join_code=code)
    classroom.refresh_from_db()
    for card in pupils_add(classroom=classroom, by=teacher, names=pupils):
        # Demo pupils skip the first-login step: they log in with the demo password.
        pupil_password_set(user=card.pupil.user, password=password)
    return classroom


def _pairs_and_sessions(year7, klasse7, ms_teacher, herr_lehrer) -> None:
    """Final pupil pairs (3 and 4 pupils: one trio) with their rooms, and weekly class
    sessions on Tuesdays 14:00 in Coventry, once."""
    exchange = ClassroomExchange.objects.get(classroom_a=year7, classroom_b=klasse7)
    if not PupilPairing.objects.filter(exchange=exchange).exists():
        liked = [["football", "music"], ["space", "games"], ["animals", "books"]]
        for i, pupil in enumerate(Participant.objects.filter(classroom__in=[year7, klasse7])
                                  .order_by("classroom_id", "pk")):
            pupil_interests_set(pupil=pupil, by=pupil.user, slugs=liked[i % len(liked)])
        pairing = pairing_propose(exchange=exchange, by=ms_teacher)
        pairing_confirm(pairing=pairing, by=ms_teacher)
        pairing_confirm(pairing=pairing, by=herr_lehrer)
    if not ClassSessionProposal.objects.filter(exchange=exchange).exists():
        proposal = class_session_propose(exchange=exchange, by=herr_lehrer, weekday=1,
                                         local_start=T("14:00"), minutes=45)
        class_session_confirm(proposal=proposal, by=ms_teacher)


def demo_classrooms_create(*, password: str) -> list[tuple[str, str, str]]:
    """(login, role, about) for the README's table and the seed command's output."""
    coventry = City.objects.get(name="Coventry", country="GB")
    dresden = City.objects.get(name="Dresden", country="DE")
    ms_teacher = _teacher("teacher@demo.test", "Ms Teacher", password)
    herr_lehrer = _teacher("lehrer@demo.test", "Herr Lehrer", password)
    # Tuesday and Thursday afternoons overlap: 14:00–15:15 Coventry = 15:00–16:15 Dresden.
    year7 = _class(ms_teacher, coventry, COVENTRY_CODE, "Year 7 German", "en", "de",
                   [(0, "09:00", "12:00"), (1, "13:00", "15:15"), (3, "13:00", "15:15")], 24,
                   password, COVENTRY_PUPILS)
    klasse7 = _class(herr_lehrer, dresden, DRESDEN_CODE, "Klasse 7c Englisch", "de", "en",
                     [(1, "15:00", "17:00"), (3, "15:00", "17:00"), (4, "08:00", "11:00")], 26,
                     password, DRESDEN_PUPILS)
    if not PartnerRequest.objects.filter(from_classroom=year7, to_classroom=klasse7).exists():
        request = partner_request_create(
            from_classroom=year7, to_classroom=klasse7, by=ms_teacher,
            message="Hello from Coventry! Our Year 7 would love to write to your class.",
        )
        partner_request_accept(request=request, by=herr_lehrer, reply="Gerne! Hello from Dresden.")
    _pairs_and_sessions(year7, klasse7, ms_teacher, herr_lehrer)
    return [
        ("teacher@demo.test", "teacher",
         f"Year 7 German in Coventry (code {COVENTRY_CODE}), partners with Klasse 7c in Dresden"),
        ("lehrer@demo.test", "teacher",
         f"Klasse 7c Englisch in Dresden (code {DRESDEN_CODE})"),
        (f"{COVENTRY_PUPILS[0]} / {COVENTRY_CODE}", "pupil",
         f"log in at /join/; also {', '.join(COVENTRY_PUPILS[1:])}"),
        (f"{DRESDEN_PUPILS[0]} / {DRESDEN_CODE}", "pupil",
         f"log in at /join/; also {', '.join(DRESDEN_PUPILS[1:])}"),
    ]
