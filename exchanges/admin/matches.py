"""Matching runs, matches, their sessions and reminders."""
from django.contrib import admin

from exchanges import models as m
from exchanges.admin.deletion import MatchKept, SessionKept
from exchanges.admin.names import NamedDatesAdmin


@admin.register(m.MatchRun)
class MatchRunAdmin(NamedDatesAdmin):
    list_display = ["pk", "program", "status", "pairs_count", "matched_places", "total_score",
                    "seconds", "attempts", "workers_lost", "heartbeat_at", "created_at"]
    list_filter = ["status", "program"]
    search_fields = ["program__name"]


@admin.register(m.Match)
class MatchAdmin(MatchKept, NamedDatesAdmin):
    list_display = ["__str__", "program", "score", "status", "flagged", "created_at"]
    list_filter = ["status", "flagged", "program"]
    search_fields = ["participant_a__user__email", "participant_b__user__email"]
    raw_id_fields = ["participant_a", "participant_b", "run", "twinning", "declined_by"]


@admin.register(m.Session)
class SessionAdmin(SessionKept, NamedDatesAdmin):
    list_display = ["pk", "match", "starts_at", "minutes", "status", "sequence"]
    list_filter = ["status"]
    # A match names its two partners; the match is nullable (a class session has none),
    # so Django's own select_related() would not follow it.
    list_select_related = ["match__participant_a__user", "match__participant_b__user"]
    search_fields = ["match__participant_a__user__email", "match__participant_b__user__email"]
    # By id, as the match: a choice box would list every participant of the platform.
    raw_id_fields = ["match", "exchange", "slot", "move_proposed_by", "cancelled_by"]


@admin.register(m.Reminder)
class ReminderAdmin(NamedDatesAdmin):
    list_display = ["session", "participant", "kind", "send_at", "sent_at", "cancelled"]
    list_filter = ["kind", "cancelled"]
    search_fields = ["participant__user__email"]
    raw_id_fields = ["session", "participant"]
