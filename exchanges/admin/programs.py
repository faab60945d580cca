"""Programs, saved through the officers' service: the same questions (twinnings removed,
dates that cancel sessions) and the same audit."""
from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from exchanges import models as m
from exchanges.admin.deletion import ProgramKept
from exchanges.admin.names import NamedDatesAdmin
from exchanges.forms.programs import CompletionWithinWeeks
from exchanges.services.program_questions import program_questions
from exchanges.services.programs import program_admin_check, program_admin_save


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
