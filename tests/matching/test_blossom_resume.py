"""Resuming LEMON from the last round's optimum (matching/blossom_resume.py and
native/lemon_matching.cpp): the carried state is a valid start, checked by brute force
(blossom members and sums), and LEMON resumed from it reaches the weight of a cold solve
with a dual that is again valid; the priced blossom resuming every round stays exact."""

import numpy as np
import pytest

from matching import blossom_resume, lemon_matching, priced_blossom, tutte
from matching.keysort import most_per_end
from tests.matching.brute import best_b_matching
from tests.matching.flow_graphs import simple_graph


def _members(blossoms, n):
    """Each blossom's node set, children before parents."""
    sets = []
    for k in range(len(blossoms.z)):
        kids = blossoms.child[blossoms.child_begin[k]: blossoms.child_begin[k + 1]]
        sets.append(set().union(*({int(c)} if c < n else sets[c - n] for c in kids)))
    return sets


def _check(state, tails, heads, w, n):
    """Every rule of lemon_matching.State, by brute force; the roots' values even."""
    y, mate, blossoms = state.y, state.mate, state.blossoms
    sets = _members(blossoms, n)
    z_of = blossoms.z
    assert (y >= 0).all() and (z_of >= 0).all()
    shared = np.array([sum(int(z) for s, z in zip(sets, z_of, strict=True)
                           if int(a) in s and int(c) in s)
                       for a, c in zip(tails, heads, strict=True)], dtype=np.int64)
    slack = y[tails] + y[heads] + shared - 4 * w
    assert (slack >= 0).all()
    matched = np.unique(mate[mate >= 0])
    assert (slack[matched] == 0).all()
    for x in np.flatnonzero(mate >= 0):
        e = mate[x]
        assert x in (tails[e], heads[e]) and mate[tails[e]] == mate[heads[e]] == e
    # Each blossom's children form a cycle of tight arcs, each to the child before it.
    for k, s in enumerate(sets):
        lo, hi = blossoms.child_begin[k], blossoms.child_begin[k + 1]
        kids = blossoms.child[lo:hi]
        assert len(kids) >= 3 and len(kids) % 2 == 1 and len(s) % 2 == 1
        child_set = [{int(c)} if c < n else sets[c - n] for c in kids]
        for i in range(len(kids)):
            arc = blossoms.child_arc[lo + i]
            e, against = arc >> 1, arc & 1
            src, dst = (heads[e], tails[e]) if against else (tails[e], heads[e])
            assert src in child_set[i] and dst in child_set[i - 1]
            assert slack[e] == 0
    # Each surface (a top blossom or a node in none) has one node matched outside it or
    # exposed.
    inside = set().union(*sets) if sets else set()
    tops = [s for k, s in enumerate(sets) if not any(
        s < t for t in sets[k + 1:])] + [{x} for x in range(n) if x not in inside]
    for s in tops:
        out = 0
        for x in s:
            e = mate[x]
            other = -1 if e < 0 else (heads[e] if tails[e] == x else tails[e])
            out += e < 0 or other not in s
        assert out == 1
    roots = (mate < 0) & (y > 0)
    assert (y[roots] % 2 == 0).all()


def _graph(seed, n, m, b_max):
    rng = np.random.default_rng(seed)
    u, v, w = simple_graph(rng, n, m, 20)
    return n, rng.integers(1, b_max + 1, n), u, v, w


def _rounds(n, b, u, v, w, check):
    """The priced blossom's rounds with one edge per person first, each resumed from the
    last optimum; check(state, reduction) before each resumed solve, then compared with a
    cold solve of the same core."""
    b = np.asarray(b, dtype=np.int64)
    u, v = (np.ascontiguousarray(x, dtype=np.int32) for x in (u, v))
    nodes = int(b.sum()) + 2 * int((np.minimum(b[u], b[v]) > 1).sum())
    lift = lemon_matching.lift(nodes, w)
    first = tutte.first_copies(b)
    core = most_per_end(n, u, v, w, 1)
    last, resumed = None, 0
    for _ in range(40):
        cid = np.flatnonzero(core)
        count, tails, heads, edge, role = tutte.reduction(b, u[cid], v[cid])
        now = blossom_resume.Reduction(count, tails, heads, cid[edge], role, w[cid][edge] + lift)
        start = None if last is None else blossom_resume.carried(*last, now)
        if start is not None:
            check(start, now)
            resumed += 1
        matched, dual, blossoms, roots = lemon_matching.resumable(count, tails, heads, now.w,
                                                                  start)
        cold, _, _, _ = lemon_matching.resumable(count, tails, heads, now.w)
        assert int(now.w[matched].sum()) == int(now.w[cold].sum())
        assert (roots >= 0) == (start is not None)
        mate = np.full(count, -1)
        hit = np.flatnonzero(matched)
        mate[tails[hit]], mate[heads[hit]] = hit, hit
        check(lemon_matching.State(dual.y, mate, blossoms), now)
        best = blossom_resume.Optimum(matched, dual, blossoms)
        last = now, best
        slack = priced_blossom._Pricing(dual, best.tree, first, b, lift).slack(u, v, w, core)
        if not (slack < 0).any():
            return resumed
        near = np.flatnonzero((slack <= 0) & ~core)
        core[near[most_per_end(n, u[near], v[near], -slack[near], 1)]] = True
    raise AssertionError("the pricing did not close")


@pytest.mark.parametrize("seed", range(12))
def test_carried_states_are_valid_and_resume_to_the_cold_optimum(lemon, seed):
    n, b, u, v, w = _graph(seed, 24, 120, 3)
    resumed = _rounds(n, b, u, v, w, lambda s, r: _check(s, r.tails, r.heads, r.w, r.count))
    assert resumed >= 1, "no round resumed: the test would prove nothing"


@pytest.mark.parametrize("seed", range(4))
def test_larger_capacities_resume_to_the_cold_optimum(lemon, seed):
    n, b, u, v, w = _graph(100 + seed, 40, 300, 5)
    _rounds(n, b, u, v, w, lambda s, r: _check(s, r.tails, r.heads, r.w, r.count))


def test_odd_roots_are_made_even(lemon):
    # Some carried state on these graphs has roots whose values came odd (the checks above,
    # run on every state, fail without blossom_resume._even_roots).
    seen = []
    real = blossom_resume._even_roots

    def spy(y, mate, *rest):
        seen.append(int(((mate < 0) & (y > 0) & (y % 2 == 1)).sum()))
        real(y, mate, *rest)

    blossom_resume._even_roots = spy
    try:
        for seed in range(6):
            _rounds(*_graph(seed, 24, 120, 3), lambda s, r: None)
    finally:
        blossom_resume._even_roots = real
    assert sum(seen) > 0


@pytest.mark.parametrize("seed", range(10))
def test_priced_blossom_resuming_every_round_equals_brute_force(lemon, seed, monkeypatch):
    monkeypatch.setattr(priced_blossom, "_FIRST", 1)
    monkeypatch.setattr(priced_blossom, "_RESUME", 10**9)
    monkeypatch.setattr(priced_blossom, "_RESUME_ROOTS", 10**9)
    n, b, u, v, w = _graph(200 + seed, 12, 30, 3)
    pick = priced_blossom.solve_component(n, b, u, v, w)
    assert pick is not None
    assert (np.bincount(np.concatenate([u[pick], v[pick]]), minlength=n) <= b).all()
    expect = best_b_matching(b.tolist(), list(zip(u.tolist(), v.tolist(), w.tolist(),
                                                  strict=True)))
    assert (int(pick.sum()), int(w[pick].sum())) == expect


def test_a_grown_core_must_hold_the_old_edges(lemon):
    n, b, u, v, w = _graph(1, 10, 20, 2)
    b = np.asarray(b, dtype=np.int64)
    w = np.asarray(w, dtype=np.int64)

    def reduction(cid):
        count, tails, heads, edge, role = tutte.reduction(b, u[cid], v[cid])
        return blossom_resume.Reduction(count, tails, heads, cid[edge], role, w[cid][edge])

    big, small = reduction(np.arange(len(u))), reduction(np.arange(1, len(u)))
    matched, dual, blossoms, _ = lemon_matching.resumable(big.count, big.tails, big.heads,
                                                          big.w)
    with pytest.raises(ValueError, match="does not hold every edge"):
        blossom_resume.carried(big, blossom_resume.Optimum(matched, dual, blossoms), small)


def _valid_start():
    """A resumed round's carried state with blossoms in it, and its reduction."""
    found = []

    def keep(state, reduction):
        if not found and len(state.blossoms.z):
            found.append((state, reduction))

    for seed in range(12):
        _rounds(*_graph(seed, 24, 120, 3), keep)
        if found:
            return found[0]
    raise AssertionError("no carried state with a blossom")


def _broken(state, **change):
    y, mate = state.y.copy(), state.mate.copy()
    blossoms = state.blossoms
    if "y" in change:
        change["y"](y)
    if "mate" in change:
        change["mate"](mate)
    if "arcs" in change:
        arcs = blossoms.child_arc.copy()
        change["arcs"](arcs)
        blossoms = lemon_matching.Blossoms(blossoms.z, blossoms.child_begin, blossoms.child,
                                           arcs)
    return lemon_matching.State(y, mate, blossoms)


def test_an_invalid_start_is_refused_before_lemon_runs(lemon):
    state, r = _valid_start()
    matched_node = int(np.flatnonzero(state.mate >= 0)[0])
    root_or_exposed = int(np.flatnonzero(state.mate < 0)[0])

    def odd_root(y):
        y[root_or_exposed] = 2 * y[root_or_exposed] + 1

    def unmatch_one_end(mate):
        mate[matched_node] = -1

    def lowered(y):
        y[:] = 0

    def arc_reversed(arcs):
        arcs[0] ^= 1

    args = r.count, r.tails, r.heads, r.w
    lemon_matching.resumable(*args, state)  # as carried: accepted
    for bad in (dict(y=odd_root), dict(mate=unmatch_one_end), dict(y=lowered),
                dict(arcs=arc_reversed)):
        with pytest.raises(lemon_matching.InvalidStart):
            lemon_matching.resumable(*args, _broken(state, **bad))


def test_the_priced_blossom_solves_cold_when_a_start_is_refused(lemon, monkeypatch, caplog):
    monkeypatch.setattr(priced_blossom, "_FIRST", 1)
    monkeypatch.setattr(priced_blossom, "_RESUME", 10**9)
    monkeypatch.setattr(priced_blossom, "_RESUME_ROOTS", 10**9)
    real = blossom_resume.carried
    refused = []

    def spoiled(*args):
        state = real(*args)
        refused.append(1)
        return _broken(state, y=lambda y: y.__setitem__(slice(None), 0))

    monkeypatch.setattr(blossom_resume, "carried", spoiled)
    n, b, u, v, w = _graph(205, 12, 30, 3)
    pick = priced_blossom.solve_component(n, b, u, v, w)
    expect = best_b_matching(b.tolist(), list(zip(u.tolist(), v.tolist(), w.tolist(),
                                                  strict=True)))
    assert refused and (int(pick.sum()), int(w[pick].sum())) == expect
    assert "resumed start was refused" in caplog.text


def test_a_start_with_too_many_roots_is_solved_cold(lemon, monkeypatch):
    monkeypatch.setattr(priced_blossom, "_FIRST", 1)
    monkeypatch.setattr(priced_blossom, "_RESUME", 10**9)
    starts = []
    real = lemon_matching.resumable

    def spy(*args):
        starts.append(len(args) > 4 and args[4] is not None)
        return real(*args)

    monkeypatch.setattr(lemon_matching, "resumable", spy)
    n, b, u, v, w = _graph(205, 12, 30, 3)
    monkeypatch.setattr(priced_blossom, "_RESUME_ROOTS", 10**9)
    priced_blossom.solve_component(n, b, u, v, w)
    assert any(starts[1:])
    starts.clear()
    monkeypatch.setattr(priced_blossom, "_RESUME_ROOTS", 0)
    pick = priced_blossom.solve_component(n, b, u, v, w)
    assert len(starts) >= 2 and not any(starts)
    expect = best_b_matching(b.tolist(), list(zip(u.tolist(), v.tolist(), w.tolist(),
                                                  strict=True)))
    assert (int(pick.sum()), int(w[pick].sum())) == expect


def test_a_node_in_two_blossoms_is_refused(lemon):
    state, r = _valid_start()
    b = state.blossoms
    child = b.child.copy()
    child[b.child_begin[0]] = child[b.child_begin[0] + 1]  # the same child twice
    broken = lemon_matching.State(state.y, state.mate, lemon_matching.Blossoms(
        b.z, b.child_begin, child, b.child_arc))
    with pytest.raises(lemon_matching.InvalidStart):
        lemon_matching.resumable(r.count, r.tails, r.heads, r.w, broken)
