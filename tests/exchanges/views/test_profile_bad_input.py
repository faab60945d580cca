"""The profile form refuses text the database cannot hold with a form error, never a 500
(issue 11: "ⅷ" or "ﬃ" repeated 40 times as an interest)."""

import pytest
from django.urls import reverse

from exchanges.forms.profile import ROWS_BUILT_AT_MOST
from exchanges.models import Interest, Participant
from tests.exchanges.views.test_accounts import onboarding_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("interests", "said"),
    [
        ("chess, " + "ⅷ" * 40, "too long"),  # 40 typed, "viii" × 40 once slugged
        ("ﬃ" * 40, "too long"),  # "ffi" × 40
        ("İ" * 40, "too long"),  # two characters each once lower-cased
        ("a" * 41, "too long"),
        (", ".join(f"tag{i}" for i in range(21)), "at most 20 interests"),
        ("chess\x00", "Null characters are not allowed."),
    ],
)
def test_interests_too_long_once_written_out_are_a_form_error(
    client, newcomer, twinning, interests, said
):
    response = client.post(
        reverse("onboarding"), onboarding_data(twinning.city_a, interests=interests)
    )
    assert response.status_code == 400
    assert any(said in error for error in response.context["form"].errors["interests"])
    assert not Participant.objects.filter(user=newcomer).exists()
    assert not Interest.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "said"),
    [
        ("bio", "Hello\x00", "Null characters are not allowed."),
        ("bio", "x" * 1001, "at most 1000 characters"),
        ("birth_year", "9" * 40, "less than or equal to"),
        ("capacity", "99", "Select a valid choice"),
        ("city", "\x00", "Null characters are not allowed."),
    ],
)
def test_other_profile_text_the_database_cannot_hold_is_a_form_error(
    client, newcomer, twinning, field, value, said
):
    response = client.post(
        reverse("onboarding"), onboarding_data(twinning.city_a, **{field: value})
    )
    assert response.status_code == 400
    assert any(said in error for error in response.context["form"].errors[field])
    assert not Participant.objects.filter(user=newcomer).exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [("lang-0-code", "e\x00"), ("lang-0-level", "ⅷ" * 40), ("win-0-start", "18:00\x00"),
     ("win-0-weekday", "9" * 40), ("lang-TOTAL_FORMS", "x")],
)
def test_bad_formset_rows_are_refused_without_a_500(client, newcomer, twinning, field, value):
    response = client.post(
        reverse("onboarding"), onboarding_data(twinning.city_a, **{field: value})
    )
    assert response.status_code == 400
    assert not Participant.objects.filter(user=newcomer).exists()


@pytest.mark.parametrize("prefix", ["lang", "win"])
def test_a_huge_row_count_builds_no_more_rows_than_the_cap(
    client, newcomer, twinning, prefix
):
    # Django's default cap (max_num + 1000 rows) made this one request take minutes.
    data = onboarding_data(twinning.city_a, **{f"{prefix}-TOTAL_FORMS": "9" * 40})
    response = client.post(reverse("onboarding"), data)
    assert response.status_code == 400
    formset = response.context["languages" if prefix == "lang" else "windows"]
    assert len(formset.forms) == formset.absolute_max == ROWS_BUILT_AT_MOST
    assert f"at most {formset.max_num} " in str(formset.non_form_errors())
    assert not Participant.objects.filter(user=newcomer).exists()


def test_interests_that_fit_once_written_out_are_saved(client, newcomer, twinning):
    response = client.post(
        reverse("onboarding"), onboarding_data(twinning.city_a, interests="ⅷ" * 10 + ", ﬃ")
    )
    assert response.status_code == 302
    participant = Participant.objects.get(user=newcomer)
    assert sorted(participant.interests.values_list("slug", flat=True)) == ["ffi", "viii" * 10]


@pytest.mark.parametrize("typed", ["chess, !!!", "!!!, chess", "chess, !!! , ?!"])
def test_an_interest_of_punctuation_only_is_refused_by_name_and_the_text_is_kept(
    client, newcomer, twinning, typed
):
    response = client.post(
        reverse("onboarding"), onboarding_data(twinning.city_a, interests=typed)
    )
    assert response.status_code == 400
    errors = response.context["form"].errors["interests"]
    assert any("“!!!” has no letters or digits" in error for error in errors)
    assert response.context["form"]["interests"].value() == typed
    assert f'value="{typed}"' in response.content.decode()  # typed text kept
    assert not Participant.objects.filter(user=newcomer).exists()
    assert not Interest.objects.exists()
