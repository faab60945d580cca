"""The year-of-birth field's bounds follow the calendar of the day the form is built, not
the day the server started: a process running across New Year must accept the people who
come of age in the new year."""

import datetime as dt

import pytest
from django.utils import timezone

from exchanges.forms.accounts import SignupExtraForm
from exchanges.forms.profile import ProfileForm

pytestmark = pytest.mark.django_db

FORMS = [pytest.param(SignupExtraForm, id="signup"), pytest.param(ProfileForm, id="profile")]


@pytest.fixture
def in_2045(monkeypatch):
    later = dt.datetime(2045, 1, 1, 9, 0, tzinfo=dt.UTC)
    monkeypatch.setattr(timezone, "now", lambda: later)


@pytest.mark.parametrize("form_class", FORMS)
def test_the_bounds_are_those_of_the_year_the_form_is_built_in(in_2045, form_class):
    form = form_class()
    field = form.fields["birth_year"]
    assert (field.min_value, field.max_value) == (2045 - 110, 2045)
    html = str(form["birth_year"])
    assert 'max="2045"' in html and 'min="1935"' in html


@pytest.mark.parametrize("form_class", FORMS)
def test_a_person_coming_of_age_in_the_new_year_is_accepted(in_2045, form_class):
    form = form_class(data={"birth_year": "2027"})
    form.is_valid()
    assert "birth_year" not in form.errors, form.errors["birth_year"]
    assert form.cleaned_data["birth_year"] == 2027


@pytest.mark.parametrize("form_class", FORMS)
def test_a_year_of_the_future_is_still_refused(in_2045, form_class):
    form = form_class(data={"birth_year": "2046"})
    assert not form.is_valid()
    assert form.errors["birth_year"]
