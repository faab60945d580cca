from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.db.models.constants import LOOKUP_SEP
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from exchanges import models as m
from exchanges.admin_deletion import (
    CityKept,
    ClassExchangeKept,
    KeepsPastFigures,
    MatchKept,
    ProgramKept,
    RoomKept,
    SessionKept,
    TwinningKept,
)
from exchanges.admin_names import NamedColumnsInline, NamedDatesAdmin
from exchanges.forms.programs import CompletionWithinWeeks
from exchanges.selectors.twinnings import twinning_of_cities
from exchanges.services.program_questions import program_questions
from exchanges.services.programs import program_admin_check, program_admin_save


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


@admin.register(m.City)
class CityAdmin(CityKept, NamedDatesAdmin):
    list_display = ["name", "country", "region", "tz", "kind"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "country", "tz"]


class TwinningStatusChangeInline(admin.TabularInline):
    model = m.TwinningStatusChange
    extra = 0
    can_delete = False
    fields = ["effective", "from_status", "to_status", "side", "reason", "source", "origin",
              "actor"]
    readonly_fields = fields

    def get_queryset(self, request):
        # Each row is named after its twinning (its two cities) and shows its actor.
        return super().get_queryset(request).select_related(
            "twinning__city_a", "twinning__city_b", "actor")

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class TwinningAdminForm(forms.ModelForm):
    """Two cities are twinned once, whichever is city A: the database's unique pair is
    ordered, so Dresden – Coventry beside Coventry – Dresden would pass it, and the
    register, the home page and matching would then each hold the pair twice."""

    class Meta:
        model = m.Twinning
        fields = "__all__"  # noqa: DJ007 - the admin shows what TwinningAdmin lists

    def clean(self):
        cleaned = super().clean()
        city_a, city_b = cleaned.get("city_a"), cleaned.get("city_b")
        if city_a is None or city_b is None:
            return cleaned
        if city_a == city_b:
            self.add_error("city_b", _("A twinning joins two different cities."))
            return cleaned
        twin = twinning_of_cities(
            city_a_id=city_a.pk, city_b_id=city_b.pk, exclude_id=self.instance.pk
        )
        if twin is not None:
            self.add_error("city_b", _("These cities are already twinned: %(twinning)s.")
                           % {"twinning": twin})
        return cleaned


@admin.register(m.Twinning)
class TwinningAdmin(TwinningKept, NamedDatesAdmin):
    form = TwinningAdminForm
    list_display = ["__str__", "since", "status", "status_changed", "kind"]
    list_filter = ["status", "kind", "city_a__country", "city_b__country"]
    search_fields = ["city_a__name", "city_b__name", "note"]
    list_select_related = ["city_a", "city_b"]
    autocomplete_fields = ["city_a", "city_b"]
    # A status changes on the officer's twinning page, where the cascade runs (rooms
    # closed, sessions cancelled, people told) and the history and audit are written.
    readonly_fields = ["status", "status_changed", "status_changed_precision"]
    inlines = [TwinningStatusChangeInline]


class ProgramSaveRefused(Exception):
    """The save's own check refused what the form's passed: the data changed in between
    (a match became active across a twinning being removed, say)."""

    def __init__(self, error: ValidationError):
        super().__init__(error)
        self.error = error


class ProgramAdminForm(CompletionWithinWeeks, forms.ModelForm):
    # The officers' removal question: its "yes" names the twinnings it asked about.
    removal_confirmed = forms.CharField(required=False, max_length=2000,
                                        widget=forms.HiddenInput)
    # The officers' dates question: its "yes" names the dates and the sessions they cancel.
    dates_confirmed = forms.CharField(required=False, max_length=100,
                                      widget=forms.HiddenInput)
    # What the save refused on the previous try of this same post (ProgramAdmin).
    refused: ValidationError | None = None

    class Meta:
        model = m.Program
        fields = "__all__"  # noqa: DJ007 - the admin shows what ProgramAdmin lists

    def _post_clean(self):
        super()._post_clean()  # the instance now holds the typed values
        if "twinnings" not in self.cleaned_data:
            return  # the field's own error shows
        try:
            program_admin_check(
                program=self.instance, twinnings=self.cleaned_data["twinnings"],
                removal_confirmed=self.cleaned_data.get("removal_confirmed", ""),
                dates_confirmed=self.cleaned_data.get("dates_confirmed", ""),
            )
        except ValidationError as exc:
            self._ask_again(exc)
            self._update_errors(exc)
        if self.refused is not None and not self.errors:
            # Shown even when this check passes again: the form never saves unseen what
            # the save refused.
            self._ask_again(self.refused)
            self._update_errors(self.refused)

    def _ask_again(self, exc: ValidationError) -> None:
        """The page shown again carries the answers that confirm what was asked about:
        the twinnings removed, the dates that cancel sessions."""
        questions = program_questions(exc)
        if questions:
            self.data = self.data.copy()
        for field, question in questions.items():
            self.data[field] = question.params["token"]


@admin.register(m.Program)
class ProgramAdmin(ProgramKept, NamedDatesAdmin):
    form = ProgramAdminForm
    list_display = ["name", "kind", "start_date", "weeks", "is_open"]
    list_filter = ["kind", "is_open"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["twinnings", "officers"]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        # A twinning is named after its two cities: read with them, not two queries each.
        if db_field.name == "twinnings" and "queryset" not in kwargs:
            kwargs["queryset"] = m.Twinning.objects.select_related("city_a", "city_b")
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ProgramSaveRefused as refused:
            # The admin's transaction is rolled back, so nothing is saved: the form is
            # shown again as typed, with the save's error (or question) on it.
            request.program_save_refused = refused.error
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        refused = getattr(request, "program_save_refused", None)
        if refused is None:
            return form
        return type(form.__name__, (form,), {"refused": refused})

    # The save goes through the service, under the officers' rules, with its audit event.
    def save_model(self, request, obj, form, change):
        try:
            program_admin_save(
                program=obj, by=request.user, twinnings=form.cleaned_data["twinnings"],
                officers=form.cleaned_data["officers"],
                removal_confirmed=form.cleaned_data.get("removal_confirmed", ""),
                dates_confirmed=form.cleaned_data.get("dates_confirmed", ""),
            )
        except ValidationError as exc:
            # The form's check passed a moment ago: what it read changed before the save.
            raise ProgramSaveRefused(exc) from exc

    def save_related(self, request, form, formsets, change):
        for formset in formsets:  # the twinnings and officers are saved with the program
            self.save_formset(request, form, formset, change=change)


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


@admin.register(m.Classroom)
class ClassroomAdmin(KeepsPastFigures, NamedDatesAdmin):
    list_display = ["name", "school", "city", "teacher", "join_code"]
    list_filter = ["city__country"]
    search_fields = ["name", "school", "teacher__email", "join_code"]
    raw_id_fields = ["teacher", "city", "consent_confirmed_by"]

    def kept_of(self, queryset) -> dict:
        return {"exchange_ids": list(m.ClassroomExchange.objects.filter(
            Q(classroom_a__in=queryset) | Q(classroom_b__in=queryset)
        ).values_list("pk", flat=True))}


@admin.register(m.ClassroomExchange)
class ClassroomExchangeAdmin(ClassExchangeKept, KeepsPastFigures, NamedDatesAdmin):
    list_display = ["__str__", "program", "status", "created_at"]
    list_filter = ["status"]
    # The program is nullable (no classroom program may cover the twinning), so Django's
    # own select_related() would not follow it; the name is the two classes'.
    list_select_related = ["classroom_a", "classroom_b", "program"]
    search_fields = ["classroom_a__name", "classroom_b__name"]
    raw_id_fields = ["classroom_a", "classroom_b", "twinning", "program"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        # An exchange starts without a program where no classroom program covers its
        # twinning (the column is nullable): saving it must not demand one.
        form.base_fields["program"].required = False
        return form

    def kept_of(self, queryset) -> dict:
        return {"exchange_ids": list(queryset.values_list("pk", flat=True))}


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


@admin.register(m.Block)
class BlockAdmin(NamedDatesAdmin):
    list_display = ["blocker", "blocked", "created_at"]
    search_fields = ["blocker__user__email", "blocked__user__email"]
    raw_id_fields = ["blocker", "blocked"]


@admin.register(m.Room)
class RoomAdmin(RoomKept, NamedDatesAdmin):
    list_display = ["__str__", "status", "created_at", "closed_at"]
    list_filter = ["status"]
    search_fields = ["title"]
    raw_id_fields = ["match", "exchange"]


@admin.register(m.Message)
class MessageAdmin(NamedDatesAdmin):
    list_display = ["room", "author", "text", "created_at"]
    list_filter = ["room__status"]
    search_fields = ["body", "author__email"]
    raw_id_fields = ["room", "author"]

    # A reported message is read here (an adults' room has no moderator): its text is
    # marked with the language it is written in, for screen readers, when known.
    @admin.display(description=gettext_lazy("body"), ordering="body")
    def text(self, obj):
        if obj.lang:
            return format_html('<span lang="{}" dir="auto">{}</span>', obj.lang, obj.body)
        return obj.body

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is not None and obj.lang and "body" in form.base_fields:
            form.base_fields["body"].widget.attrs.update(lang=obj.lang, dir="auto")
        return form


@admin.register(m.Report)
class ReportAdmin(NamedDatesAdmin):
    list_display = ["message", "reporter", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["reason", "reporter__email", "message__body"]
    raw_id_fields = ["message", "reporter"]


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


@admin.register(m.Notification)
class NotificationAdmin(NamedDatesAdmin):
    list_display = ["user", "kind", "text", "created_at", "read_at"]
    list_filter = ["kind"]
    search_fields = ["user__email", "text"]
    raw_id_fields = ["user"]


@admin.register(m.AuditEvent)
class AuditEventAdmin(NamedDatesAdmin):
    """Read only: the officers' audit log is the record of who did what, so nobody
    writes, rewrites or deletes it here (the services write it as they act)."""

    list_display = ["verb", "actor", "target", "created_at"]
    list_filter = ["verb"]
    # The actor is nullable (kept after their account goes), so Django's own
    # select_related() would not follow it.
    list_select_related = ["actor"]
    search_fields = ["verb", "target", "actor__email"]
    raw_id_fields = ["actor"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
