"""Builders for the safe-room, wall and retention tests: a classroom exchange between a
class in Coventry and one in Dresden, each with its teacher and pupils, and images."""

import io
import uuid
from dataclasses import dataclass

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone
from PIL import Image

from exchanges.models import (
    Classroom,
    ClassroomExchange,
    Participant,
    PupilGroup,
    PupilPairing,
    Role,
    User,
)
from exchanges.services import chat
from exchanges.services.rooms import room_open
from tests.exchanges.chat_fixtures import communicator_for
from tests.factories import CityFactory, TwinningFactory, UserFactory


@dataclass
class ExchangeSide:
    classroom: Classroom
    teacher: User
    pupils: list[User]


@dataclass
class Exchange:
    exchange: ClassroomExchange
    a: ExchangeSide
    b: ExchangeSide


def make_teacher() -> User:
    user = UserFactory()
    user.groups.add(Group.objects.get_or_create(name=Role.TEACHER)[0])
    return user


def make_pupil(classroom: Classroom, name: str) -> User:
    user = User(email=f"{uuid.uuid4().hex}@pupils.invalid", display_name=name, is_pupil=True)
    user.set_password("correct-horse-battery")
    user.save()
    Participant.objects.create(user=user, classroom=classroom, city=classroom.city,
                               tz=classroom.city.tz, onboarded_at=timezone.now())
    return user


def _side(city, *, name: str, pupils: list[str]) -> ExchangeSide:
    teacher = make_teacher()
    classroom = Classroom.objects.create(teacher=teacher, city=city, school=f"School in {city}",
                                         name=name)
    return ExchangeSide(classroom, teacher, [make_pupil(classroom, p) for p in pupils])


def make_exchange(*, status=ClassroomExchange.Status.ACTIVE, ended_at=None,
                  pupils_a=("Amelia K.", "Oliver P."),
                  pupils_b=("Lena S.", "Jonas W.")) -> Exchange:
    twinning = TwinningFactory(
        city_a=CityFactory(name=f"Coventry {uuid.uuid4().hex[:6]}"),
        city_b=CityFactory(name=f"Dresden {uuid.uuid4().hex[:6]}", country="DE",
                           tz="Europe/Berlin", languages=["de"]),
    )
    a = _side(twinning.city_a, name="7B", pupils=list(pupils_a))
    b = _side(twinning.city_b, name="7c", pupils=list(pupils_b))
    exchange = ClassroomExchange.objects.create(
        twinning=twinning, classroom_a=a.classroom, classroom_b=b.classroom, status=status,
        activated_at=timezone.now(), ended_at=ended_at,
    )
    return Exchange(exchange, a, b)


def make_exchange_room(**kwargs):
    """An exchange with its class room (both classes, teachers as moderators)."""
    built = make_exchange(**kwargs)
    return built, room_open(exchange=built.exchange)


def make_pair_room(built: Exchange):
    """A pupil pair's room (the first pupil of each class), as pupil pairing opens it: the
    room of a group of the exchange's final pairing."""
    pairing = built.exchange.pupil_pairings.filter(status=PupilPairing.Status.CONFIRMED).first()
    if pairing is None:
        pairing = PupilPairing.objects.create(exchange=built.exchange,
                                              status=PupilPairing.Status.CONFIRMED)
    group = PupilGroup.objects.create(pairing=pairing)
    group.members.set([built.a.pupils[0].participant, built.b.pupils[0].participant])
    return room_open(group=group)


def send_message(room, user, body, client_id="c1"):
    return chat.message_send(room=room, author=user, body=body, client_id=client_id)


def jpeg_with_gps(*, size=(64, 48), orientation: int | None = None) -> bytes:
    """A JPEG whose EXIF says where it was taken (and, optionally, how to turn it)."""
    image = Image.new("RGB", size, (200, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x010E] = "Our house in Dresden"  # ImageDescription
    if orientation:
        exif[0x0112] = orientation
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (51.0, 3.0, 0.0)
    gps[3] = "E"
    gps[4] = (13.0, 44.0, 0.0)
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def png_bytes(size=(20, 20)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (0, 90, 200)).save(out, format="PNG")
    return out.getvalue()


def login_backend(user) -> str | None:
    """Pupils' sessions are restored only by the pupils' backend (adults' refuse them)."""
    pupils = "exchanges.auth_backends.PupilBackend"
    if user.is_pupil and pupils in settings.AUTHENTICATION_BACKENDS:
        return pupils
    return None


def client_for(user) -> Client:
    client = Client()
    client.force_login(user, backend=login_backend(user))
    return client


async def open_member_socket(room_id: int, user):
    """``chat_fixtures.open_socket`` for anyone, pupils included."""
    client = await sync_to_async(client_for)(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    comm = communicator_for(f"/ws/rooms/{room_id}/", cookie=cookie)
    connected, _ = await comm.connect(timeout=5)
    assert connected
    joined = await comm.receive_json_from(timeout=5)
    assert joined["type"] == "room.joined", joined
    return comm, joined
