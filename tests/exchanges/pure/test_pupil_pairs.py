import pytest

from exchanges.pure.pupil_pairs import (
    SizeError,
    capacities,
    group_sentence,
    groups_from_pairs,
    shared_interests,
)


def test_equal_classes_take_one_partner_each():
    assert capacities([1, 2, 3], 3) == {1: 1, 2: 1, 3: 1}


def test_one_more_pupil_gives_the_first_of_the_smaller_class_two_partners():
    assert capacities([7, 8, 9, 10], 5) == {7: 2, 8: 1, 9: 1, 10: 1}


def test_a_much_larger_class_spreads_second_then_third_partners():
    assert capacities([1, 2], 5) == {1: 3, 2: 2}


def test_classes_too_different_in_size_are_refused():
    with pytest.raises(SizeError):
        capacities([1], 4)
    with pytest.raises(SizeError):
        capacities([], 3)


def test_pairs_sharing_a_pupil_make_one_trio():
    assert groups_from_pairs([(5, 1), (2, 6), (5, 3)]) == [[1, 3, 5], [2, 6]]


def test_shared_interests_and_sentence():
    shared = shared_interests({1: ["music", "space"], 2: ["space", "music", "films"]}, [1, 2])
    assert shared == ["music", "space"]
    assert group_sentence(shared, 2, False) == "Both like Music and Space."
    trio = group_sentence([], 3, True)
    assert trio.startswith("A group of 3") and "Changed by a teacher" in trio
