"""The admin's boxes named for assistive technology where Django's markup leaves them
nameless (axe's "label" and "select-name"): each named as the text beside it, or above it,
says."""

from django.contrib import admin
from django.contrib.admin.widgets import AdminSplitDateTime
from django.db.models import DateTimeField
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy


class NamedSplitDateTime(AdminSplitDateTime):
    """Django's date and time boxes, each named as the text beside it says: the field's
    label points at neither."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.widgets[0].attrs["aria-label"] = gettext_lazy("Date")
        self.widgets[1].attrs["aria-label"] = gettext_lazy("Time")


class NamedDatesAdmin(admin.ModelAdmin):
    """The platform's admins: a date and time field shows the boxes above."""

    formfield_overrides = {DateTimeField: {"widget": NamedSplitDateTime}}


class NamedRowsFormSet(BaseInlineFormSet):
    """A row's "delete" box is named as its column's heading (Django's own "Delete")."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            deletion = form.fields["DELETE"]
            deletion.widget.attrs["aria-label"] = deletion.label


class NamedColumnsInline(admin.TabularInline):
    """A tabular inline whose boxes are named as their column's heading: Django's
    template puts the label in the heading, which names no box."""

    formset = NamedRowsFormSet

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and not field.widget.is_hidden:
            field.widget.attrs.setdefault("aria-label", field.label)
        return field
