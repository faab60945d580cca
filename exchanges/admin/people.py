"""Accounts, participants and what they tell about themselves; blocks between them."""
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models.constants import LOOKUP_SEP
from django.utils.translation import gettext_lazy

from exchanges import models as m
from exchanges.admin.deletion import KeepsPastFigures
from exchanges.admin.names import NamedColumnsInline, NamedDatesAdmin


@admin.register(m.User)
class UserAdmin(KeepsPastFigures, BaseUserAdmin):
    formfield_overrides = NamedDatesAdmin.formfield_overrides
    ordering = ["email"]
    list_display = ["email", "display_name", "is_pupil", "is_staff", "is_active", "date_joined"]
    list_filter = ["is_staff", "is_active", "is_pupil", "groups"]
    search_fields = ["email", "display_name"]
    fieldsets = [
        (None, {"fields": ["email", "password", "display_name", "is_pupil"]}),
        (gettext_lazy("Roles and permissions"),
         {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        (gettext_lazy("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]

    def kept_of(self, queryset) -> dict:
        return {"participant_ids": list(
            m.Participant.objects.filter(user__in=queryset).values_list("pk", flat=True))}


class LanguageInline(NamedColumnsInline):
    model = m.ParticipantLanguage
    extra = 0


class WindowInline(NamedColumnsInline):
    model = m.AvailabilityWindow
    extra = 0


@admin.register(m.Participant)
class ParticipantAdmin(KeepsPastFigures, NamedDatesAdmin):
    list_display = ["user", "city", "birth_year", "capacity", "onboarded_at"]
    list_filter = ["city__country", "capacity", "guardian_consent", "email_reminders"]
    search_fields = ["user__email", "user__display_name", "city__name"]
    list_select_related = ["user", "city"]
    raw_id_fields = ["user", "city", "classroom"]
    filter_horizontal = ["interests", "programs"]
    inlines = [LanguageInline, WindowInline]
    # The token is a bearer secret for the participant's calendar feed: nobody reads it
    # here (the participant sees and rotates it on their own page).
    exclude = ["calendar_token"]

    def lookup_allowed(self, lookup, value, request=None) -> bool:
        # The changelist filters on any field of the model from the query string:
        # ?calendar_token__startswith=… would read the token out one letter at a time.
        if lookup.split(LOOKUP_SEP, 1)[0] == "calendar_token":
            return False
        return super().lookup_allowed(lookup, value, request)

    def kept_of(self, queryset) -> dict:
        return {"participant_ids": list(queryset.values_list("pk", flat=True))}


@admin.register(m.ParticipantLanguage)
class ParticipantLanguageAdmin(NamedDatesAdmin):
    list_display = ["participant", "code", "level", "learning"]
    list_filter = ["learning", "level", "code"]
    search_fields = ["participant__user__email", "code"]
    raw_id_fields = ["participant"]


@admin.register(m.AvailabilityWindow)
class AvailabilityWindowAdmin(NamedDatesAdmin):
    list_display = ["participant", "weekday", "start", "end"]
    list_filter = ["weekday"]
    search_fields = ["participant__user__email"]
    raw_id_fields = ["participant"]


@admin.register(m.Interest)
class InterestAdmin(NamedDatesAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]


@admin.register(m.Block)
class BlockAdmin(NamedDatesAdmin):
    list_display = ["blocker", "blocked", "created_at"]
    search_fields = ["blocker__user__email", "blocked__user__email"]
    raw_id_fields = ["blocker", "blocked"]
