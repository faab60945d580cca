"""The chat load's fixtures, made and deleted through the ORM: users, rooms (pair rooms
and class rooms with their two teachers as moderators) and one session per user."""

import os
import time

MODERATORS_PER_CLASS_ROOM = 2  # the two teachers of a classroom exchange
PUPIL_BACKEND = "exchanges.auth_backends.PupilBackend"


def django_setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def room_layout(clients: int, rooms: int, class_rooms: int, class_size: int):
    """``(room_of, sends)`` per socket: the first ``class_rooms * class_size`` sockets sit
    in class rooms (the first two of each are its teachers, who do not send), the rest in
    ``rooms`` pair rooms (socket i in room i mod rooms)."""
    room_of, sends = [], []
    for k in range(class_rooms):
        for m in range(class_size):
            room_of.append(k)
            sends.append(m >= MODERATORS_PER_CLASS_ROOM)
    for i in range(clients - class_rooms * class_size):
        room_of.append(class_rooms + i % rooms)
        sends.append(True)
    return room_of, sends


def create_fixtures(room_of: list[int], sends: list[bool], class_rooms: int,
                    tag: str) -> tuple[list[int], list[str], list[int]]:
    """Users, rooms and one session per user, for the layout of room_layout."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from exchanges.models import Room, RoomMember, User

    users = []
    for i, room in enumerate(room_of):
        pupil = room < class_rooms and sends[i]
        user = User(email=f"load-{tag}-{i}@load.test", display_name=f"load{i}", is_pupil=pupil)
        user.set_unusable_password()
        users.append(user)
    users = User.objects.bulk_create(users)
    count = max(room_of) + 1
    room_objs = Room.objects.bulk_create(
        [Room(title=f"load {tag} {'class' if r < class_rooms else 'pair'} {r}")
         for r in range(count)])
    RoomMember.objects.bulk_create([
        RoomMember(room=room_objs[room_of[i]], user=user,
                   role=RoomMember.Role.MEMBER if sends[i] else RoomMember.Role.MODERATOR)
        for i, user in enumerate(users)
    ])
    adult = settings.AUTHENTICATION_BACKENDS[0]
    cookies = []
    for user in users:
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        # Pupils' sessions are restored only by the pupil backend (their /join/ login).
        store[BACKEND_SESSION_KEY] = PUPIL_BACKEND if user.is_pupil else adult
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        cookies.append(store.session_key)
    return [u.pk for u in users], cookies, [r.pk for r in room_objs]


def delete_fixtures(user_ids, cookies, room_ids) -> None:
    """Delete what create_fixtures made. A server that fell behind may still be
    inserting messages of these rooms, so wait for it and try again."""
    from django.contrib.sessions.models import Session
    from django.db import IntegrityError

    from exchanges.models import Room, User

    for attempt in range(30):
        try:
            Room.objects.filter(pk__in=room_ids).delete()
            User.objects.filter(pk__in=user_ids).delete()
            break
        except IntegrityError:
            if attempt == 29:
                raise
            time.sleep(2)
    Session.objects.filter(session_key__in=cookies).delete()
