"""Every ``<input type="date">`` shows its date in ISO form in every interface language: a
browser leaves a date input empty for the localised format (03/12/2026 in French), and the
form then fails as if the person had not filled it (found by the French officer journey)."""

import datetime as dt

import pytest
from django import forms
from django.utils import translation

from exchanges.forms.classrooms import ClassroomForm, CodeRotateForm, HolidayForm
from exchanges.forms.metrics import MetricsRangeForm
from exchanges.forms.programs import ProgramForm
from exchanges.forms.twinnings import TwinningChangeForm

FORMS = [ClassroomForm, CodeRotateForm, HolidayForm, MetricsRangeForm, ProgramForm,
         TwinningChangeForm]
DATE_INPUTS = [
    pytest.param(field.widget, id=f"{form.__name__}.{name}")
    for form in FORMS
    for name, field in form.base_fields.items()
    if isinstance(field.widget, forms.DateInput) and field.widget.input_type == "date"
]


def test_the_forms_have_date_inputs():
    assert len(DATE_INPUTS) >= 7


@pytest.mark.parametrize("lang", ["en", "fr", "de", "ja"])
@pytest.mark.parametrize("widget", DATE_INPUTS)
def test_a_date_input_shows_iso_dates_in_every_language(widget, lang):
    with translation.override(lang):
        assert widget.format_value(dt.date(2026, 12, 3)) == "2026-12-03"
