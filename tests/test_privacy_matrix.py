"""What each role never sees (DESIGN.md "What each role sees"), on every page, feed,
export and JSON answer the authorization matrix lets it open: other people's e-mail
addresses and calendar tokens; for officers, adults and the public, pupils' names; for
officers and the public, message text. The one exception is the officers' queue of
teacher applications, which shows each applicant's address so that they can be checked.
"""

import pytest
from django.urls import reverse

from exchanges.models import Message, Participant, TeacherCalendar, User
from tests.authorization_table import TABLE
from tests.authorization_world import ROLES, build_world
from tests.test_authorization_matrix import signed_in_clients

pytestmark = pytest.mark.django_db

NO_PUPIL_NAMES = {"anonymous", "participant", "partner", "stranger", "officer",
                  "other_officer"}
NO_MESSAGE_TEXT = {"anonymous", "officer", "other_officer"}
APPLICANTS_SHOWN = {"teacher_applications"}  # officers vet applicants by their address


def _text(response) -> str:
    content = (b"".join(response.streaming_content) if response.streaming
               else response.content)
    return content.decode("utf-8", "replace")


def _pages(world):
    for name, row in sorted(TABLE.items()):
        kwargs = {kwarg: world.ids.get(key, key) for kwarg, key in row.args.items()}
        url = reverse(name.split("@")[0], kwargs=kwargs)
        for role in ROLES:
            if role != "superuser" and row.expected(role, "GET") == 200:
                yield name, url, role


def test_no_role_sees_what_it_never_should():
    world = build_world()
    clients = signed_in_clients(world)
    users = list(User.objects.all())
    secrets = {p.user_id: p.calendar_token for p in Participant.objects.all()}
    teacher_secrets = dict(TeacherCalendar.objects.values_list("user_id", "token"))
    pupils = [u.display_name for u in users if u.is_pupil]
    said = list(Message.objects.values_list("body", flat=True))
    assert pupils and said
    seen = []
    for name, url, role in _pages(world):
        response = clients[role].get(url)
        if response.status_code != 200:
            continue
        text, me = _text(response), world.users[role]
        for user in users:
            if me is not None and user.pk == me.pk:
                continue
            if user.email in text and name not in APPLICANTS_SHOWN:
                seen.append(f"{name} {role}: the address of user {user.pk}")
            for token in (secrets.get(user.pk), teacher_secrets.get(user.pk)):
                if token and token in text:
                    seen.append(f"{name} {role}: the calendar token of user {user.pk}")
        if role in NO_PUPIL_NAMES:
            seen += [f"{name} {role}: pupil {p}" for p in pupils if p in text]
        if role in NO_MESSAGE_TEXT:
            seen += [f"{name} {role}: message {b!r}" for b in said
                     if f">{b}<" in text or f'"{b}"' in text]
    assert seen == []
