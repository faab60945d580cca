"""Validation of instances: every malformed record raises one InstanceError naming it."""

import copy

import pytest

from matching import InstanceError, instance_from_dict, result_to_dict, solve
from tests.matching.builders import instance, person


def _good():
    return instance([person("p1", "coventry"), person("p2", "dresden", ("de",), ("en",))])


def _set(path, value):
    def change(data):
        target = data
        for key in path[:-1]:
            target = target[key]
        if value is KeyError:
            del target[path[-1]]
        else:
            target[path[-1]] = value
        return data

    return change


P2 = ["participants", 1]
CASES = {
    "unknown language": (_set([*P2, "languages", 0, "code"], "xx"), "p2", "languages[0].code"),
    "three-letter code": (_set([*P2, "languages", 0, "code"], "deu"), "p2", "code"),
    "unknown level": (_set([*P2, "languages", 1, "level"], "B3"), "p2", "languages[1].level"),
    "unknown zone": (_set([*P2, "availability", "tz"], "Europe/Atlantis"), "p2", "tz"),
    "inverted window": (
        _set([*P2, "availability", "weekly", 0, "end"], "17:00"),
        "p2",
        "weekly[0]",
    ),
    "empty window": (_set([*P2, "availability", "weekly", 0, "end"], "18:00"), "p2", "inverted"),
    "bad time": (_set([*P2, "availability", "weekly", 0, "start"], "25:00"), "p2", "start"),
    "bad day": (_set([*P2, "availability", "weekly", 0, "day"], "monday"), "p2", "day"),
    "capacity 0": (_set([*P2, "capacity"], 0), "p2", "capacity"),
    "capacity 4": (_set([*P2, "capacity"], 4), "p2", "capacity"),
    "capacity string": (_set([*P2, "capacity"], "2"), "p2", "capacity"),
    "bool birth year": (_set([*P2, "birth_year"], True), "p2", "birth_year"),
    "missing city": (_set([*P2, "city"], KeyError), "p2", "city"),
    "missing languages": (_set([*P2, "languages"], KeyError), "p2", "languages"),
    "missing availability": (_set([*P2, "availability"], KeyError), "p2", "availability"),
    "interests not strings": (_set([*P2, "interests"], [1]), "p2", "interests"),
    "learning not bool": (_set([*P2, "languages", 1, "learning"], "yes"), "p2", "learning"),
    "duplicate id": (_set([*P2, "id"], "p1"), "p1", "duplicate"),
    "missing id": (_set([*P2, "id"], KeyError), "participants[1]", "id"),
    "unknown kind": (_set(["kind"], "speed-dating"), "instance", "kind"),
    "missing kind": (_set(["kind"], KeyError), "instance", "kind"),
    "bad period start": (_set(["period", "start"], "2027-13-01"), "period", "start"),
    "weeks zero": (_set(["period", "weeks"], 0), "period", "weeks"),
    "session minutes float": (_set(["session_minutes"], 60.0), "instance", "session_minutes"),
    "twinning not pair": (_set(["twinnings", 0], ["coventry"]), "twinnings[0]", "twinnings"),
    "exclusion not list": (_set(["exclusions"], "p1,p2"), "instance", "exclusions"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_malformed_record_raises_one_error_naming_record_and_field(name):
    change, record, field = CASES[name]
    data = change(copy.deepcopy(_good()))
    with pytest.raises(InstanceError) as info:
        solve(instance_from_dict(data))
    assert isinstance(info.value, ValueError)
    assert record in str(info.value)
    assert field in str(info.value)


def test_duplicate_language_is_rejected():
    data = _good()
    data["participants"][0]["languages"].append({"code": "en", "level": "B2", "learning": True})
    with pytest.raises(InstanceError, match="p1.*listed twice"):
        instance_from_dict(data)


def test_defaults_are_applied():
    data = _good()
    inst = instance_from_dict(data)
    p = inst.participants[0]
    assert (p.capacity, p.via_class, p.guardian_consent, p.waiting_days) == (1, False, False, 0)
    assert p.availability.weekly[0].start == 18 * 60


def test_result_to_dict_has_the_contract_keys():
    out = result_to_dict(solve(instance_from_dict(_good())))
    assert set(out) == {"pairs", "unmatched", "matched_places", "total_score"}
    assert out["matched_places"] == 2 * len(out["pairs"]) == 2
    assert out["pairs"][0]["a"] == "p1" and out["pairs"][0]["b"] == "p2"
    assert out["total_score"] == out["pairs"][0]["score"]


KINDS = {
    "unknown language": (_set([*P2, "languages", 0, "code"], "xx"), InstanceError.LANGUAGE_UNKNOWN),
    "three-letter code": (_set([*P2, "languages", 0, "code"], "deu"),
                          InstanceError.LANGUAGE_UNKNOWN),
    "unknown level": (_set([*P2, "languages", 1, "level"], "B3"), InstanceError.LEVEL_UNKNOWN),
    "implausible birth year": (_set([*P2, "birth_year"], 1850), InstanceError.BIRTH_YEAR),
    "missing city": (_set([*P2, "city"], KeyError), InstanceError.MALFORMED),
    "capacity 4": (_set([*P2, "capacity"], 4), InstanceError.MALFORMED),
}


@pytest.mark.parametrize("name", sorted(KINDS))
def test_the_error_says_its_kind_for_a_caller_to_word_in_its_own_language(name):
    change, kind = KINDS[name]
    with pytest.raises(InstanceError) as info:
        instance_from_dict(change(copy.deepcopy(_good())))
    assert info.value.kind == kind


def test_a_language_listed_twice_is_its_own_kind():
    data = _good()
    data["participants"][0]["languages"].append({"code": "en", "level": "B2", "learning": True})
    with pytest.raises(InstanceError) as info:
        instance_from_dict(data)
    assert info.value.kind == InstanceError.LANGUAGE_TWICE
