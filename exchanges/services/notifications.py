import json
import re

from django.db.models import Q
from django.utils import timezone

from exchanges.models import ClassroomExchange, Notification, Participant, User
from exchanges.selectors.interface_language import in_language_of
from exchanges.selectors.notification_text import TEXT_MAX, Message, message_render


def notification_build(
    *, user, kind: str, message: str | Message, params: dict | None = None, url: str = ""
) -> Notification:
    """An unsaved notice (for ``bulk_create``): ``message`` is an English msgid (marked
    with ``gettext_noop``) or a :class:`Message`; ``params`` its placeholders' values,
    JSON-serialisable (see ``selectors.notification_text`` for language-dependent ones).

    ``text`` is written at once in the recipient's language: e-mails and older readers
    use it, and writing it checks that every placeholder has its value."""
    message = Message.of(message)
    # Stored as JSON will give it back: a value JSON cannot hold fails here, not later.
    params = json.loads(json.dumps(params or {}))
    with in_language_of(user):
        text = message_render(message, params, limit=TEXT_MAX)
    return Notification(
        user=user, kind=kind, text=text, url=url,
        message=message.msgid, message_plural=message.plural,
        message_count=message.count, message_context=message.context, params=params,
    )


def notification_create(
    *, user, kind: str, message: str | Message, params: dict | None = None, url: str = ""
) -> Notification:
    notification = notification_build(user=user, kind=kind, message=message, params=params,
                                      url=url)
    notification.save()
    return notification


def notifications_mark_read(*, user, ids) -> int:
    """Marks read the notices the reader was shown: not older ones beyond the page, nor
    one that arrived while the page was being written."""
    return Notification.objects.filter(user=user, pk__in=ids, read_at__isnull=True).update(
        read_at=timezone.now()
    )


# The notices that name a pupil to somebody else, and the params that hold the name(s):
# a post waiting for the teacher, a report to the moderators (the reporter, and the room
# whose title names its pupils), a pupil's partners.
PUPIL_NAMING_NOTICES = {"wall.pending": ("name",), "room.report": ("name", "room"),
                        "room.report.handled": ("room",), "pairing.room": ("names",)}
# A pupils' room is titled by their names joined with one of these (services.rooms).
_TITLE_SEPARATORS = re.compile(r" · | ↔ ")


def _named(value) -> set[str]:
    if isinstance(value, str):
        return {value, *_TITLE_SEPARATORS.split(value)}
    if isinstance(value, dict) and isinstance(value.get("join"), list):
        return set(value["join"])
    return set()


def notifications_naming_pupils_delete(*, pupils) -> int:
    """Delete the notices in other people's bells (their teachers', the partner classes'
    teachers and pupils) that name these pupils: a child's name does not outlive the
    account. Call it before the accounts go. A pupil of the same name in a partner
    class loses such a notice too (names are unique only within a class)."""
    rows = list(Participant.objects.filter(user__in=pupils, user__is_pupil=True)
                .values_list("classroom_id", "user__display_name"))
    names = {name for _, name in rows if name}
    classes = {classroom for classroom, _ in rows if classroom}
    if not names or not classes:
        return 0
    for a, b in ClassroomExchange.objects.filter(
        Q(classroom_a_id__in=classes) | Q(classroom_b_id__in=classes)
    ).values_list("classroom_a_id", "classroom_b_id"):
        classes |= {a, b}
    readers = User.objects.filter(
        Q(classrooms__in=classes) | Q(participant__classroom_id__in=classes)
    ).values("pk")
    doomed = [
        pk for pk, kind, params in Notification.objects.filter(
            user__in=readers, kind__in=PUPIL_NAMING_NOTICES
        ).values_list("pk", "kind", "params")
        if any(names & _named((params or {}).get(key)) for key in PUPIL_NAMING_NOTICES[kind])
    ]
    return Notification.objects.filter(pk__in=doomed).delete()[0]
