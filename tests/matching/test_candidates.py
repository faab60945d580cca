"""Hard constraints: twinning, language reciprocity, minors, exclusions."""

from matching import instance_from_dict, solve
from matching.candidates import ages
from tests.matching.builders import instance, pair_ids, person


def _solve(people, **extra):
    return solve(instance_from_dict(instance(people, **extra)))


def test_tandem_pairs_need_a_language_each_way():
    en_de = person("a", "coventry", ("en",), ("de",))
    de_en = person("b", "dresden", ("de",), ("en",))
    de_fr = person("c", "dresden", ("de",), ("fr",))
    assert pair_ids(_solve([en_de, de_en])) == [("a", "b")]
    assert _solve([en_de, de_fr]).pairs == ()


def test_teacher_needs_c1_or_native():
    a = person("a", "coventry", (), ("de",))
    a["languages"].insert(0, {"code": "en", "level": "B2"})
    b = person("b", "dresden", ("de",), ("en",))
    assert _solve([a, b]).pairs == ()
    a["languages"][0]["level"] = "C1"
    assert pair_ids(_solve([a, b])) == [("a", "b")]


def test_same_language_twinning_gives_no_tandem_but_citizen_pairs():
    hamburg = person("h", "hamburg", ("de",), ("en",))
    dresden = person("d", "dresden", ("de",), ("en",))
    twin = [("hamburg", "dresden")]
    assert _solve([hamburg, dresden], twinnings=twin).pairs == ()
    assert _solve([hamburg, dresden], twinnings=twin, kind="classroom").pairs == ()
    citizen = _solve([hamburg, dresden], twinnings=twin, kind="citizen")
    assert pair_ids(citizen) == [("d", "h")]
    assert citizen.pairs[0].explanation["languages"] == [
        {"code": "de", "levels": {"d": "native", "h": "native"}}
    ]


def test_citizen_needs_b1_on_both_sides():
    a = person("a", "coventry", ("en",), ())
    b = person("b", "dresden", ("de",), ())
    b["languages"].append({"code": "en", "level": "A2"})
    assert _solve([a, b], kind="citizen").pairs == ()
    b["languages"][-1]["level"] = "B1"
    assert pair_ids(_solve([a, b], kind="citizen")) == [("a", "b")]
    # a learning entry never counts as a shared spoken language
    b["languages"][-1] = {"code": "en", "level": "C2", "learning": True}
    assert _solve([a, b], kind="citizen").pairs == ()


def test_only_twinned_cities_and_never_the_same_city():
    a = person("a", "coventry")
    b = person("b", "kiel", ("de",), ("en",))
    c = person("c", "coventry", ("de",), ("en",))
    assert _solve([a, b, c]).pairs == ()
    assert pair_ids(_solve([a, b, c], twinnings=[("coventry", "kiel")])) == [("a", "b")]


def _kid(pid, city, year, **flags):
    speaks, learns = (("en",), ("de",)) if city == "coventry" else (("de",), ("en",))
    return person(pid, city, speaks, learns, birth_year=year, **flags)


def test_minor_never_with_adult():
    # period starts 2027: born 2012 is 15, born 1990 is an adult
    kid = _kid("k", "coventry", 2012, via_class=True, guardian_consent=True)
    assert _solve([kid, _kid("a", "dresden", 1990)]).pairs == ()


def test_adult_at_eighteen_and_minor_at_seventeen():
    assert ages([instance_from_dict(instance([person("p", "x", birth_year=2009)])).participants[0]],
                2027).tolist() == [18]
    assert _solve([_kid("k", "coventry", 2010, via_class=True),
                   _kid("a", "dresden", 2009)]).pairs == ()
    assert len(_solve([_kid("k", "coventry", 2009), _kid("a", "dresden", 2005)]).pairs) == 1


def test_minors_within_two_years_with_class_or_consent():
    ok = _solve([_kid("k1", "coventry", 2012, via_class=True),
                 _kid("k2", "dresden", 2010, guardian_consent=True)])
    assert pair_ids(ok) == [("k1", "k2")]
    three_apart = _solve([_kid("k1", "coventry", 2012, via_class=True),
                          _kid("k2", "dresden", 2015, via_class=True)])
    assert three_apart.pairs == ()
    no_permission = _solve([_kid("k1", "coventry", 2012, via_class=True),
                            _kid("k2", "dresden", 2012)])
    assert no_permission.pairs == ()


def test_exclusions_block_in_either_order():
    a = person("a", "coventry")
    b = person("b", "dresden", ("de",), ("en",))
    assert _solve([a, b], exclusions=[["b", "a"]]).pairs == ()
    assert len(_solve([a, b], exclusions=[["a", "ghost"]]).pairs) == 1
