"""A match's explanation writes its hours as the reader's language writes numbers."""

import pytest
from django.utils import translation

from exchanges.pure.explanations import explanation_sentences


def _hours_sentence(hours: float) -> str:
    (sentence,) = explanation_sentences(
        explanation={"overlap_hours_per_week": hours}, viewer_id=1, partner_name="Alex"
    )
    return sentence


@pytest.mark.parametrize(
    ("language", "half", "whole"),
    [("en", "8.5", "5"), ("de", "8,5", "5"), ("fr", "8,5", "5")],
)
def test_hours_use_the_active_languages_decimal_separator(language, half, whole):
    with translation.override(language):
        assert f" {half} " in _hours_sentence(8.4)
        assert f" {whole} " in _hours_sentence(5.1)
        assert "5,0" not in _hours_sentence(5.0) and "5.0" not in _hours_sentence(5.0)


def test_shared_interests_from_the_list_are_named_in_the_readers_language():
    explanation = {"shared_interests": ["hiking", "board games", "tango nuevo"]}
    with translation.override("de"):
        (sentence,) = explanation_sentences(explanation=explanation, viewer_id=1,
                                            partner_name="Alex")
    # The offered ones translated; what someone typed stays as typed.
    assert "Wandern" in sentence and "Brettspiele" in sentence and "tango nuevo" in sentence
