"""Batch matching: the assignment with the largest total score, computed exactly.

The problem: each newcomer gets at most one mentor, mentor j at most ``capacities[j]``
newcomers, only allowed pairs scoring at least ``min_score`` may be used, and the sum of the
scores of the chosen pairs is as large as possible (leaving a newcomer unmatched scores 0).

How it stays exact and fast (see docs/matching.md for the plain-language version):

1. Prune: keep for each newcomer only its ``k`` best allowed mentors, and remember ``theta_i``,
   the best score left out. Newcomers whose candidates are wanted by many others (a crowded
   occupation) get longer lists at once, which saves solving rounds (step 3).
2. Solve the pruned problem exactly: mentor j becomes ``capacities[j]`` identical slots, each
   newcomer gets a private "unmatched" column scoring 0, and scipy's sparse Jonker-Volgenant
   solver (``min_weight_full_bipartite_matching``) finds the optimum.
3. Prove it optimal for the full problem with LP duality. The b-matching LP is totally
   unimodular, so its optimum is the integer optimum; its dual gives each newcomer a value
   ``u_i >= 0`` and each mentor a price ``v_j >= 0`` with ``u_i + v_j >= s_ij`` on every pair.
   From the pruned optimum we build the smallest such prices by a longest-path computation
   (complementary slackness fixes ``u_i = s_i,m(i) - v_m(i)`` for matched newcomers and
   ``u_i = 0`` otherwise), so pruned primal value = dual value. If every pair left out also
   satisfies ``s_ij <= u_i + v_j`` the duals are feasible for the full problem, and the pruned
   optimum is the full optimum. Since ``v >= 0``, a newcomer with ``theta_i <= u_i`` needs no
   look at its left-out pairs at all; for the others we recompute their row and check each
   pair. Any violated pair joins the candidates and we solve again (column generation), which
   ends because each round adds a pair.

So pruning can cost time but never the optimum.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

from kit.matching.prune import DenseSource, Edges, Rules, Source, top_candidates

DEFAULT_K = 8
_TOL = 1e-9


class Pair(NamedTuple):
    """One assigned pair."""

    newcomer: int
    mentor: int
    score: float


def assign(scores_or_candidates: np.ndarray | Source, capacities: Iterable[int],
           min_score: float | None = None, pinned: Iterable[tuple[int, int]] = (),
           excluded: Iterable[tuple[int, int]] = (), *, k: int = DEFAULT_K,
           stats: dict[str, object] | None = None) -> list[Pair]:
    """The exact maximum-total-score assignment, as pairs sorted by newcomer.

    ``scores_or_candidates`` is an n x m score matrix (``-inf`` = forbidden) or a
    :class:`~kit.matching.score.Scorer`, which scores large cohorts block by block. Pinned
    pairs are kept whatever their score (a coordinator's call) and use a place of their
    mentor; excluded pairs are never chosen. ``k`` is the first pruning depth: any value gives
    the same optimum, a good one gives it sooner.
    """
    source: Source = (DenseSource(scores_or_candidates)
                      if isinstance(scores_or_candidates, np.ndarray) else scores_or_candidates)
    n, m = source.shape
    caps = np.array(list(capacities), dtype=np.int64)
    if caps.shape != (m,) or (caps < 0).any():
        raise ValueError(f"capacities needs {m} numbers >= 0")
    excluded_by_row: dict[int, set[int]] = {}
    for i, j in excluded:
        excluded_by_row.setdefault(int(i), set()).add(int(j))
    pins = _pin(source, caps, list(pinned), excluded_by_row)
    rules = Rules(closed=np.flatnonzero(caps <= 0), min_score=min_score,
                  excluded={i: np.array(sorted(js), np.intp) for i, js in excluded_by_row.items()})
    free = np.setdiff1d(np.arange(n), [p.newcomer for p in pins])
    edges, theta = top_candidates(source, free, max(1, k), rules)
    edges, theta = _deepen_crowded(source, free, edges, theta, caps, rules, max(1, k))
    rounds = rechecked = 0
    while True:
        rounds += 1
        fixed, rest, left = _settle_uncontested(edges, free.size, caps)
        rest_edges: Edges = (edges[0][rest], edges[1][rest], edges[2][rest])
        matched = np.concatenate([fixed, rest[_solve(rest_edges, free, left)]])
        u, v = _duals(edges, matched, caps, m, free.size)
        suspect = np.flatnonzero(theta > u + _TOL)
        rechecked += suspect.size
        extra = _violations(source, free, suspect, u, v, rules, per_row=2 * k)
        if extra[0].size == 0:
            break
        edges = tuple(np.concatenate([a, b]) for a, b in zip(edges, extra, strict=True))
    if stats is not None:
        stats.update(rounds=rounds, candidate_pairs=int(edges[0].size), rechecked_rows=rechecked)
    rows_i, cols, vals = edges
    result = [Pair(int(free[rows_i[e]]), int(cols[e]), float(vals[e])) for e in matched]
    return sorted([*pins, *result])


def _pin(source: Source, caps: np.ndarray, pinned: list[tuple[int, int]],
         excluded: dict[int, set[int]]) -> list[Pair]:
    if not pinned:
        return []
    newcomers = [int(i) for i, _ in pinned]
    if len(set(newcomers)) != len(newcomers):
        raise ValueError("a newcomer is pinned to more than one mentor")
    scores = source.rows(np.array(newcomers))
    pins = []
    for at, (i, j) in enumerate(pinned):
        if int(j) in excluded.get(int(i), ()):
            raise ValueError(f"pair {(i, j)} is both pinned and excluded")
        caps[j] -= 1
        if caps[j] < 0:
            raise ValueError(f"mentor {j} has more pinned newcomers than places")
        if not np.isfinite(scores[at, j]):
            raise ValueError(f"pinned pair {(i, j)} is forbidden (declined or no place)")
        pins.append(Pair(int(i), int(j), float(scores[at, j])))
    return pins


def _deepen_crowded(source: Source, free: np.ndarray, edges: Edges, theta: np.ndarray,
                    caps: np.ndarray, rules: Rules, k: int) -> tuple[Edges, np.ndarray]:
    """Give newcomers whose candidates are wanted by many others longer lists at once.

    A newcomer is crowded when its candidates' places, shared among all who list them, add up
    to less than one. Only a head start: the duality check would find those pairs anyway, one
    round at a time.
    """
    depth = k
    for _ in range(3):
        rows_i, cols, _ = edges
        if rows_i.size == 0:
            break
        demand = np.bincount(cols, minlength=caps.size)
        supply = np.bincount(rows_i, weights=caps[cols] / demand[cols], minlength=free.size)
        crowded = np.flatnonzero((supply < 1.0) & np.isfinite(theta))
        if crowded.size == 0:
            break
        depth *= 2
        (r, j, s), deep_theta = top_candidates(source, free[crowded], depth, rules)
        keep = ~np.isin(rows_i, crowded)
        theta = theta.copy()
        theta[crowded] = deep_theta
        edges = tuple(np.concatenate([a[keep], b])  # type: ignore[assignment]
                      for a, b in zip(edges, (crowded[r], j, s), strict=True))
    return edges, theta


def _settle_uncontested(edges: Edges, n_free: int, caps: np.ndarray
                        ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Give newcomers their best candidate wherever nobody else can want its place.

    If mentor j, a newcomer's best candidate, is a candidate of no more newcomers than j has
    places, some optimum of the pruned problem pairs them: moving the newcomer to j frees
    whatever it had and displaces nobody. Repeating this on what is left settles most of a
    cohort before the solver runs. Returns the settled edges, the edges still open and the
    places left.
    """
    rows_i, cols, vals = edges
    order = np.lexsort((cols, -vals, rows_i))  # each newcomer's candidates, best first
    alive = np.ones(rows_i.size, dtype=bool)
    left = caps.astype(np.int64).copy()
    settled: list[np.ndarray] = [np.zeros(0, dtype=np.intp)]
    while True:
        open_edges = order[alive[order]]
        if open_edges.size == 0:
            break
        r = rows_i[open_edges]
        best = open_edges[np.r_[True, r[1:] != r[:-1]]]
        demand = np.bincount(cols[open_edges], minlength=caps.size)
        ok = (demand[cols[best]] <= left[cols[best]]) & (vals[best] >= 0)
        if not ok.any():
            break
        take = best[ok]
        settled.append(take)
        np.subtract.at(left, cols[take], 1)
        done = np.zeros(n_free, dtype=bool)
        done[rows_i[take]] = True
        alive &= ~done[rows_i] & (left[cols] > 0)
    return np.concatenate(settled), np.flatnonzero(alive), left


def _solve(edges: Edges, free: np.ndarray,
           caps: np.ndarray) -> np.ndarray:
    """Indices of the chosen edges in an optimum of the pruned problem."""
    rows_i, cols, vals = edges
    n_free = free.size
    if rows_i.size == 0:
        return np.zeros(0, dtype=np.intp)
    mentors, compact = np.unique(cols, return_inverse=True)
    demand = np.bincount(compact, minlength=mentors.size)
    slots = np.minimum(caps[mentors], demand)  # more slots than askers would never be used
    first_slot = np.concatenate([[0], np.cumsum(slots)[:-1]])
    per_edge = slots[compact]
    edge_of = np.repeat(np.arange(rows_i.size), per_edge)
    slot_col = (np.repeat(first_slot[compact], per_edge)
                + np.arange(edge_of.size) - np.repeat(np.cumsum(per_edge) - per_edge, per_edge))
    n_slots = int(slots.sum())
    # Costs must be non-zero for the sparse solver: shift every score below a positive constant.
    big = float(max(vals.max(initial=0.0), 0.0)) + 1.0
    g_rows = np.concatenate([rows_i[edge_of], np.arange(n_free)])
    g_cols = np.concatenate([slot_col, n_slots + np.arange(n_free)])
    g_cost = np.concatenate([big - vals[edge_of], np.full(n_free, big)])
    graph = csr_matrix((g_cost, (g_rows, g_cols)), shape=(n_free, n_slots + n_free))
    row_ind, col_ind = min_weight_full_bipartite_matching(graph)
    real = col_ind < n_slots
    # A (newcomer, mentor) pair is one edge: find it from the slot's mentor.
    slot_mentor = np.repeat(np.arange(mentors.size), slots)
    edge_keys = rows_i * mentors.size + compact
    order = np.argsort(edge_keys)
    wanted = row_ind[real] * mentors.size + slot_mentor[col_ind[real]]
    return order[np.searchsorted(edge_keys, wanted, sorter=order)]


def _duals(edges: Edges, matched: np.ndarray,
           caps: np.ndarray, m: int, n_free: int) -> tuple[np.ndarray, np.ndarray]:
    """Smallest dual prices v (per mentor) and values u (per free newcomer) for the matching."""
    rows_i, cols, vals = edges
    mate = np.full(n_free, -1, dtype=np.intp)
    mate[rows_i[matched]] = matched
    load = np.bincount(cols[matched], minlength=m)
    v = np.zeros(m)
    # An unmatched newcomer has u = 0, so every mentor it could take must be priced >= s_ij.
    loose = mate[rows_i] < 0
    np.maximum.at(v, cols[loose], vals[loose])
    # A matched newcomer i (mate a) could switch to j: v_j >= v_a + s_ij - s_ia.
    tied = ~loose & (mate[rows_i] != np.arange(rows_i.size))
    src = cols[mate[rows_i[tied]]]
    dst = cols[tied]
    gain = vals[tied] - vals[mate[rows_i[tied]]]
    order = np.argsort(dst, kind="stable")
    src, dst, gain = src[order], dst[order], gain[order]
    starts = np.flatnonzero(np.r_[True, dst[1:] != dst[:-1]]) if dst.size else dst
    for _ in range(m + 2):
        if dst.size == 0:
            break
        best = np.maximum.reduceat(v[src] + gain, starts)
        improve = best > v[dst[starts]] + _TOL
        if not improve.any():
            break
        v[dst[starts][improve]] = best[improve]
    else:
        raise RuntimeError("matching is not optimal on the candidate pairs (positive cycle)")
    if (v[load < caps] > _TOL).any():
        raise RuntimeError("matching is not optimal on the candidate pairs (free place priced)")
    u = np.zeros(n_free)
    has = mate >= 0
    u[has] = vals[mate[has]] - v[cols[mate[has]]]
    return u, v


def _violations(source: Source, free: np.ndarray, suspect: np.ndarray, u: np.ndarray,
                v: np.ndarray, rules: Rules, per_row: int) -> Edges:
    """Left-out pairs of suspect newcomers that break dual feasibility (s_ij > u_i + v_j).

    Candidate pairs satisfy it by construction of the duals, so every hit is a new pair. Only
    the ``per_row`` most violated pairs of each newcomer are returned: enough to make progress
    without flooding the solver with pairs it will not use.
    """
    if suspect.size == 0:
        return np.zeros(0, np.intp), np.zeros(0, np.intp), np.zeros(0)
    # The most violated pairs are the best by s_ij - v_j: a top-k with the prices as offset.
    (r, j, s), _ = top_candidates(source, free[suspect], per_row, rules, offset=v)
    hit = s - v[j] - u[suspect][r] > _TOL
    return suspect[r[hit]], j[hit], s[hit]
