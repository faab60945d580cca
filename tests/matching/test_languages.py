from matching.languages import ISO_639_1, LEVEL_RANK, level_name


def test_codes_are_the_two_letter_iso_set():
    assert {"en", "de", "fr", "fa", "zh", "sw"} <= ISO_639_1
    assert "deu" not in ISO_639_1 and "xx" not in ISO_639_1
    assert all(len(c) == 2 for c in ISO_639_1)


def test_native_ranks_above_c2():
    assert LEVEL_RANK["native"] > LEVEL_RANK["C2"] > LEVEL_RANK["A1"]
    assert level_name(LEVEL_RANK["B2"]) == "B2"
