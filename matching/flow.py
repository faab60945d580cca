"""Components with a capacity above 1: one min-cost max-flow on the double cover
(LEMON's network simplex with pricing, priced_flow.py; OR-Tools when its certificate
fails) and an exact rounding of its half-edges along Euler trails."""

from __future__ import annotations

import numpy as np

from . import priced_flow


def flow_b_matching(n, cap, u, v, w, label, n_comp, stats):
    """Lexicographic optimum of the fractional b-matching relaxation by one min-cost flow
    on the double cover, rounded exactly where that is provable.

    Double cover: left copy v_l with supply b(v), right copy v_r with demand b(v), arcs
    u_l -> v_r and v_l -> u_r of capacity 1 and cost W - w(uv) for every edge (W = max w,
    so every cost is >= 0: among maximum flows, minimum cost == maximum weight). A flow y
    gives x_uv = (y(u_l, v_r) + y(v_l, u_r)) / 2, a fractional b-matching (0 <= x <= 1,
    x(delta(v)) <= b(v)) of the same size and weight (halved); conversely every fractional
    b-matching x gives the flow y = x on both arcs. So the maximum flow of minimum cost
    (ortools' solve_max_flow_with_min_cost) is a lexicographically optimal fractional
    b-matching, an upper bound on the integral optimum; x is half-integral.

    Rounding the half-edges H (a simple graph): let c(v) = b(v) - (whole edges at v) and
    d(v) = degree of v in H; slack(v) = c(v) - d(v)/2 >= 0. Join every odd-degree vertex
    of H to a virtual vertex Z and take Euler circuits. Cutting the circuit through Z at the
    Z-edges gives open trails whose two ends are distinct odd vertices, each odd vertex
    being the end of exactly one trail; the other circuits are closed. Along a trail the
    half-edges alternate +1/2 / -1/2 (rounded up / down). At an interior visit of v the
    two consecutive edges cancel, so only trail ends change a degree, by 1/2, and only at
    odd vertices, where slack >= 1/2 (2 * slack = 2c - d is odd and >= 0). So every single
    trail can be moved either way feasibly, hence by the optimality of x it changes
    neither the size nor the weight, and all of them moved together keep feasibility:
    the rounding is an integral b-matching with the fractional optimum's value, optimal.
    A closed circuit of even length alternates all the way round just the same. A closed
    circuit of odd length cannot be rounded at equal size (it has an odd number of
    half-edges); its connected component of the graph is returned as unresolved (the
    caller solves it whole with the LP/MILP path). The rounding is checked at the end
    (capacities, and size and weight equal to the flow's); a failed check also returns
    that component as unresolved rather than an unproven answer.

    Returns (mask over the given edges, mask over components left unresolved, 2 x the
    fractional optimum per edge: an optimum of each component's own relaxation, which the
    repair of an unresolved one starts from instead of solving the flow again).
    """
    total = _FRACTIONAL(n, cap, u, v, w)
    pick = total == 2
    half = np.flatnonzero(total == 1)
    bad = np.zeros(n_comp, dtype=bool)
    if len(half):
        up, odd_closed = _round_half_edges(u[half], v[half])
        pick[half[up]] = True
        bad[label[np.asarray(odd_closed, dtype=np.int64)]] = True
    # Check every component: capacities, and the flow's value exactly (2 x size and
    # 2 x weight of the rounding == the flow's size and weight on that component).
    over = np.bincount(np.concatenate([u[pick], v[pick]]), minlength=n) > cap
    failed = np.zeros(n_comp, dtype=bool)
    failed[label[np.flatnonzero(over)]] = True
    # Only the edges in the rounding or the flow add to these sums (the rest add 0).
    on = np.flatnonzero(pick | (total > 0))
    comp = label[u[on]]
    p, t = pick[on].astype(np.int64), total[on]
    failed |= np.bincount(comp, 2 * p, n_comp) != np.bincount(comp, t, n_comp)
    wf = w[on].astype(np.float64)  # sums < 2**53 (weights are scores x 10 000)
    failed |= np.bincount(comp, 2 * p * wf, n_comp) != np.bincount(comp, t * wf, n_comp)
    failed &= ~bad
    if failed.any():
        stats.flow_check_failed += int(failed.sum())
    return pick, bad | failed, total


def fractional_flow(n, cap, u, v, w) -> np.ndarray:
    """2 x an optimal fractional b-matching: priced_flow's certified network simplex, or
    ortools' whole flow (double_cover_flow) if its certificate fails."""
    total = priced_flow.double_cover_flow(n, cap, u, v, w)
    return total if total is not None else double_cover_flow(n, cap, u, v, w)


def double_cover_flow(n, cap, u, v, w) -> np.ndarray:
    """2 x an optimal fractional b-matching (0, 1 or 2 per edge): the maximum flow of
    minimum cost on the double cover (flow_b_matching's docstring)."""
    from ortools.graph.python import min_cost_flow

    m = len(u)
    wmax = int(w.max()) if m else 0
    flow = min_cost_flow.SimpleMinCostFlow()
    tails = np.concatenate([u, v]).astype(np.int32)
    heads = (np.concatenate([v, u]) + n).astype(np.int32)
    costs = (wmax - np.concatenate([w, w])).astype(np.int64)
    arcs = flow.add_arcs_with_capacity_and_unit_cost(
        tails, heads, np.ones(2 * m, dtype=np.int64), costs
    )
    del tails, heads, costs  # ortools holds its own copy (memory at millions of edges)
    # The vertices with an edge, by a mask: np.unique would hash or sort 2m endpoints.
    present = np.zeros(n, dtype=bool)
    present[u] = present[v] = True
    verts = np.flatnonzero(present)
    b = cap[verts].astype(np.int64)
    flow.set_nodes_supplies(
        np.concatenate([verts, verts + n]).astype(np.int32), np.concatenate([b, -b])
    )
    status = flow.solve_max_flow_with_min_cost()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"min-cost flow failed: status {status}")
    y = np.asarray(flow.flows(np.asarray(arcs, dtype=np.int32)), dtype=np.int64)
    return y[:m] + y[m:]


# The flow flow_b_matching uses (the benchmark's `ortools-flow` baseline swaps in
# double_cover_flow, the engine's flow before priced_flow.py).
_FRACTIONAL = fractional_flow


def _round_half_edges(hu, hv):
    """Euler-trail rounding of the half-edges (see flow_b_matching). Returns (mask of
    half-edges rounded up, a vertex of each odd closed circuit)."""
    k = len(hu)
    ids, inv = np.unique(np.concatenate([hu, hv]), return_inverse=True)
    a, c = inv[:k], inv[k:]
    nv = len(ids)
    deg = np.bincount(inv, minlength=nv)
    odd = np.flatnonzero(deg % 2 == 1)
    z = nv  # virtual vertex
    ea = np.concatenate([a, odd]).tolist()
    ec = np.concatenate([c, np.full(len(odd), z)]).tolist()
    adj: list[list[int]] = [[] for _ in range(nv + 1)]
    for e, (x, y) in enumerate(zip(ea, ec, strict=True)):
        adj[x].append(e)
        adj[y].append(e)
    used = [False] * len(ea)
    ptr = [0] * (nv + 1)
    up = np.zeros(k, dtype=bool)
    odd_closed: list[int] = []
    starts = [z] if len(odd) else []
    for start in [*starts, *range(nv)]:
        if ptr[start] >= len(adj[start]):
            continue
        circuit = _euler_circuit(start, adj, ptr, used, ea, ec)
        if not circuit:
            continue
        if start == z:
            # Split at the virtual edges: open trails between odd vertices.
            trail: list[int] = []
            for e in circuit:
                if e >= k:
                    _alternate(trail, up)
                    trail = []
                else:
                    trail.append(e)
            _alternate(trail, up)
        elif len(circuit) % 2 == 0:
            _alternate(circuit, up)
        else:
            odd_closed.append(int(ids[start]))
    return up, odd_closed


def _alternate(trail, up):
    for e in trail[::2]:
        up[e] = True


def _euler_circuit(start, adj, ptr, used, ea, ec):
    """Hierholzer: the edges of an Euler circuit of start's component, in walking order
    (consecutive edges share the vertex the walk passes through)."""
    stack = [(start, -1)]
    out: list[int] = []
    while stack:
        x, e_in = stack[-1]
        lst = adj[x]
        p = ptr[x]
        while p < len(lst) and used[lst[p]]:
            p += 1
        ptr[x] = p
        if p == len(lst):
            stack.pop()
            if e_in >= 0:
                out.append(e_in)
        else:
            e = lst[p]
            used[e] = True
            stack.append((ec[e] if ea[e] == x else ea[e], e))
    return out
