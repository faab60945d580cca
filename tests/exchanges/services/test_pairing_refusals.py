"""The words a teacher reads when the engine cannot read their classes' data: one
sentence for each kind of data the teachers write (languages, levels, ages), one for
the rest, which the platform writes itself; never the engine's English reason."""

from exchanges.services.pairing_refusals import pairing_refusal
from matching import InstanceError

TEACHERS_DATA = (InstanceError.LANGUAGE_UNKNOWN, InstanceError.LANGUAGE_TWICE,
                 InstanceError.LEVEL_UNKNOWN, InstanceError.BIRTH_YEAR)
PLATFORMS_DATA = (InstanceError.MALFORMED, InstanceError.ZONE_UNKNOWN, InstanceError.TIME,
                  InstanceError.DUPLICATE_ID)


def test_each_kind_of_the_teachers_data_has_its_own_sentence():
    said = [pairing_refusal(kind) for kind in TEACHERS_DATA]
    assert len(set(said)) == len(TEACHERS_DATA)
    assert all("(Edit the class)" in sentence for sentence in said)


def test_data_the_platform_writes_is_said_to_be_the_platforms_fault():
    (said,) = {pairing_refusal(kind) for kind in PLATFORMS_DATA}
    assert "tell the platform's administrators" in said
    assert said not in {pairing_refusal(kind) for kind in TEACHERS_DATA}


def test_every_kind_the_engine_has_is_one_of_the_two():
    kinds = {value for name, value in vars(InstanceError).items() if name.isupper()}
    assert kinds == {*TEACHERS_DATA, *PLATFORMS_DATA}
