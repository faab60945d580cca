import datetime as dt

from exchanges.pure.presence import clip, together_seconds, union

T0 = dt.datetime(2026, 3, 29, 0, 30, tzinfo=dt.UTC)


def m(minutes: int) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


def test_together_is_the_overlap_of_both_peoples_stretches():
    alice = [(m(0), m(60))]
    bruno = [(m(10), m(30)), (m(40), m(60))]
    assert together_seconds(alice, bruno, lo=m(0), hi=m(60)) == 40 * 60


def test_together_counts_only_inside_the_session():
    assert together_seconds([(m(-30), m(90))], [(m(-30), m(90))], lo=m(0), hi=m(60)) == 3600


def test_nobody_or_one_person_is_never_together():
    assert together_seconds([], [(m(0), m(60))], lo=m(0), hi=m(60)) == 0
    assert together_seconds([(m(0), m(20))], [(m(20), m(60))], lo=m(0), hi=m(60)) == 0


def test_interleaved_stretches_in_any_order():
    a = [(m(50), m(55)), (m(0), m(10)), (m(20), m(40))]
    b = [(m(5), m(25)), (m(35), m(52))]
    # 5–10, 20–25, 35–40, 50–52
    assert together_seconds(a, b, lo=m(0), hi=m(60)) == (5 + 5 + 5 + 2) * 60


def test_clip_outside_is_none():
    assert clip(m(70), m(80), m(0), m(60)) is None
    assert clip(m(-5), m(5), m(0), m(60)) == (m(0), m(5))


def test_a_class_is_present_while_any_of_its_pupils_is():
    # Three pupils' overlapping, touching and nested stretches, out of order.
    pupils = [(m(20), m(30)), (m(0), m(10)), (m(10), m(15)), (m(22), m(25)), (m(40), m(50))]
    assert union(pupils) == [(m(0), m(15)), (m(20), m(30)), (m(40), m(50))]
    assert union([]) == []


def test_two_classes_together_counts_overlapping_pupils_once():
    class_a = union([(m(0), m(30)), (m(10), m(40))])  # two pupils, 0–40 between them
    class_b = union([(m(20), m(60)), (m(25), m(35))])
    # Without the union the overlapping pupils would count 20–30 twice or more.
    assert together_seconds(class_a, class_b, lo=m(0), hi=m(60)) == 20 * 60
