"""The class form's row sets never build more rows than ROWS_BUILT_AT_MOST, however many a
forged TOTAL_FORMS asks for (Django's default would build max_num + 1000)."""

import pytest

from exchanges.forms.classrooms import (
    ROWS_BUILT_AT_MOST,
    ClassLanguageFormSet,
    HolidayFormSet,
    SchoolHoursFormSet,
)


@pytest.mark.parametrize("formset_class", [ClassLanguageFormSet, SchoolHoursFormSet,
                                           HolidayFormSet])
def test_a_forged_row_count_builds_at_most_the_allowed_rows(formset_class):
    prefix = formset_class.get_default_prefix()
    formset = formset_class(
        {f"{prefix}-TOTAL_FORMS": "9" * 40, f"{prefix}-INITIAL_FORMS": "0"}, prefix=prefix
    )
    assert len(formset.forms) == ROWS_BUILT_AT_MOST
    assert not formset.is_valid()
