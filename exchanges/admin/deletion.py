"""The admin's delete page and "delete selected" keep rows that hold people's history.

Django's cascade would delete, with a program, twinning, match, class exchange, room,
session or city, the people's matches, sessions, conversations, pupil pairs, walls,
attendance and past figures below it, and
its confirmation page lists them among a hundred other rows. Here such a row counts as
protected, as a PROTECT foreign key does: the page says "Cannot delete", lists each kept
row with what it holds, says what to do instead, and a confirmation deletes nothing (a
batch with one kept row is refused whole, never partly deleted).

``KeepsPastFigures`` is the other kind: deletions that are meant (accounts, classes,
class exchanges that hold no history), whose figures are kept as the platform's own
deletions keep them.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, ngettext_lazy

from exchanges.selectors.history import (
    city_history,
    class_exchange_history,
    match_history,
    program_history,
    room_history,
    session_history,
    twinning_history,
)
from exchanges.services.metrics_kept import counts_kept
from exchanges.services.programs import program_delete

# What each count of selectors/history.py is called on the page.
HISTORY_WORDS = {
    "participants": ngettext_lazy("%(count)s participant enrolled",
                                  "%(count)s participants enrolled", "count"),
    "matches": ngettext_lazy("%(count)s match", "%(count)s matches", "count"),
    "match_runs": ngettext_lazy("%(count)s matching run", "%(count)s matching runs", "count"),
    "class_exchanges": ngettext_lazy("%(count)s class exchange", "%(count)s class exchanges",
                                     "count"),
    "sessions": ngettext_lazy("%(count)s session", "%(count)s sessions", "count"),
    "figures": ngettext_lazy("%(count)s row of past figures", "%(count)s rows of past figures",
                             "count"),
    "programs": ngettext_lazy("in %(count)s program", "in %(count)s programs",
                              "count"),
    "status_changes": ngettext_lazy("%(count)s status change in the public register",
                                    "%(count)s status changes in the public register",
                                    "count"),
    "people": ngettext_lazy("%(count)s person told of it", "%(count)s people told of it",
                            "count"),
    "messages": ngettext_lazy("%(count)s message", "%(count)s messages", "count"),
    "attendances": ngettext_lazy("%(count)s attendance", "%(count)s attendances", "count"),
    "pupil_pairings": ngettext_lazy("%(count)s pupil pairing", "%(count)s pupil pairings",
                                    "count"),
    "wall_posts": ngettext_lazy("%(count)s wall post", "%(count)s wall posts", "count"),
    # Whether, not how many: no count in the words.
    "open": gettext_lazy("open to its members"),
    "begun": gettext_lazy("already begun"),
    "scheduled": gettext_lazy("scheduled in its people's calendars"),
}


def history_said(obj, history: dict[str, int]) -> str:
    held = ", ".join(HISTORY_WORDS[kind] % {"count": n} for kind, n in history.items())
    return _("%(object)s: %(history)s") % {"object": obj, "history": held}


class KeepsHistory:
    """``history_of`` says what people's history an object holds (a selector); ``kept_instead``
    what the superuser does instead of deleting one that holds some."""

    kept_instead = ""

    def history_of(self, obj) -> dict[str, int]:
        raise NotImplementedError

    def get_deleted_objects(self, objs, request):
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(
            objs, request)
        kept = [(obj, history) for obj in objs if (history := self.history_of(obj))]
        if kept:
            protected = [*protected, *(history_said(obj, history) for obj, history in kept)]
            self.message_user(request, ngettext(
                "Nothing is deleted: %(names)s holds people's history, which the deletion "
                "would erase with it. %(instead)s",
                "Nothing is deleted: %(names)s hold people's history, which the deletion "
                "would erase with them. %(instead)s",
                len(kept),
            ) % {"names": ", ".join(f"“{obj}”" for obj, _history in kept),
                 "instead": self.kept_instead}, messages.ERROR)
        return deleted, model_count, perms_needed, protected

    # A deleting service checks again under its lock: people who joined since the page's
    # check make it refuse, everything of the confirmation rolled back, and the page says so.
    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except ValidationError as refused:
            self.message_user(request, " ".join(refused.messages), messages.ERROR)
            return HttpResponseRedirect(request.path)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if "delete_selected" in actions:
            delete_selected, name, description = actions["delete_selected"]

            def delete_selected_whole(modeladmin, request, queryset):
                try:
                    with transaction.atomic():  # the log entries too
                        return delete_selected(modeladmin, request, queryset)
                except ValidationError as refused:
                    modeladmin.message_user(request, " ".join(refused.messages), messages.ERROR)
                    return None

            actions["delete_selected"] = (delete_selected_whole, name, description)
        return actions


class KeepsPastFigures:
    """Deleting here keeps the past figures, as the platform's own deletions do
    (services/metrics_kept.py): ``kept_of`` says whose counts and which class exchanges'
    the deletion of a queryset takes."""

    def kept_of(self, queryset) -> dict:
        raise NotImplementedError

    def delete_model(self, request, obj):
        with transaction.atomic(), counts_kept(**self.kept_of(type(obj).objects.filter(pk=obj.pk))):
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic(), counts_kept(**self.kept_of(queryset)):
            super().delete_queryset(request, queryset)


class ProgramKept(KeepsHistory):
    kept_instead = gettext_lazy(
        "To stop a program, close it (untick “Open”) or let it end: it keeps its "
        "history and its figures.")

    def history_of(self, obj) -> dict[str, int]:
        return program_history(program=obj)

    # Only a program with no history is deleted (the page refuses the others), through
    # the service, which checks again under a lock and writes the audit event.
    def delete_model(self, request, obj):
        program_delete(program=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():  # all or none
            for program in queryset:
                program_delete(program=program, by=request.user)


class TwinningKept(KeepsHistory):
    kept_instead = gettext_lazy(
        "To stop a twinning, suspend or terminate it from its page on the platform: the "
        "register keeps its history.")

    def history_of(self, obj) -> dict[str, int]:
        return twinning_history(twinning=obj)


class MatchKept(KeepsHistory):
    kept_instead = gettext_lazy(
        "A match is ended, not deleted: its partners decline or end it, and its program's "
        "end or its twinning's suspension ends it too.")

    def history_of(self, obj) -> dict[str, int]:
        return match_history(match=obj)


class ClassExchangeKept(KeepsHistory):
    """Deleting an exchange with no history goes on through ``KeepsPastFigures`` (listed
    after this class); a teacher's own deletions of a class or an account are services."""

    kept_instead = gettext_lazy(
        "A class exchange is ended, not deleted: either of its teachers ends it on the "
        "platform (“End the exchange” on their classes page), and it ends by itself once "
        "both classes' terms are over. Its pupils' data is then deleted after the "
        "retention period.")

    def history_of(self, obj) -> dict[str, int]:
        return class_exchange_history(exchange=obj)


class RoomKept(KeepsHistory):
    kept_instead = gettext_lazy(
        "A room closes when its match or class exchange ends, and its conversation stays "
        "readable to its members.")

    def history_of(self, obj) -> dict[str, int]:
        return room_history(room=obj)


class SessionKept(KeepsHistory):
    kept_instead = gettext_lazy(
        "To call a session off, cancel it on the platform: its people are told and their "
        "calendars updated. A past session stays as held or missed.")

    def history_of(self, obj) -> dict[str, int]:
        return session_history(session=obj)


class CityKept(KeepsHistory):
    kept_instead = gettext_lazy(
        "A city stays as long as past figures count people who live there.")

    def history_of(self, obj) -> dict[str, int]:
        return city_history(city=obj)
