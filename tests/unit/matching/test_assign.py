"""Batch assignment: exact optimum (against brute force), capacities, minimum score, pins."""

from __future__ import annotations

import functools

import numpy as np
import pytest

from kit.matching.assign import Pair, assign
from kit.matching.prune import Rules, top_candidates

from .helpers import random_cohort, scorer


def brute_force(scores: np.ndarray, caps: list[int], min_score: float | None,
                pinned: list[tuple[int, int]], excluded: set[tuple[int, int]]) -> float:
    """The best total by trying every choice for every newcomer (memoised on places left)."""
    n, m = scores.shape
    pins = dict(pinned)
    caps = list(caps)
    for j in pins.values():
        caps[j] -= 1
    base = sum(scores[i, j] for i, j in pins.items())

    @functools.cache
    def best(i: int, left: tuple[int, ...]) -> float:
        if i == n:
            return 0.0
        if i in pins:
            return best(i + 1, left)
        total = best(i + 1, left)  # unmatched
        for j in range(m):
            s = scores[i, j]
            if left[j] <= 0 or not np.isfinite(s) or (i, j) in excluded:
                continue
            if min_score is not None and s < min_score:
                continue
            total = max(total, s + best(i + 1, (*left[:j], left[j] - 1, *left[j + 1:])))
        return total

    return base + best(0, tuple(caps))


def random_instance(rng: np.random.Generator):
    n, m = int(rng.integers(2, 7)), int(rng.integers(2, 6))
    # Few distinct values: ties are where a careless pruning goes wrong.
    scores = rng.choice([0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 5.5], size=(n, m)).astype(np.float64)
    scores[rng.random((n, m)) < 0.15] = -np.inf
    caps = rng.integers(0, 4, size=m).tolist()
    return scores, caps


def check_feasible(pairs: list[Pair], scores, caps, min_score, pinned, excluded) -> None:
    newcomers = [p.newcomer for p in pairs]
    assert len(newcomers) == len(set(newcomers))
    load = np.bincount([p.mentor for p in pairs], minlength=len(caps))
    assert (load <= np.array(caps)).all()
    for p in pairs:
        assert p.score == pytest.approx(scores[p.newcomer, p.mentor])
        if (p.newcomer, p.mentor) in pinned:
            continue
        assert (p.newcomer, p.mentor) not in excluded
        assert np.isfinite(p.score)
        assert min_score is None or p.score >= min_score
    for pin in pinned:
        assert pin in {(p.newcomer, p.mentor) for p in pairs}


@pytest.mark.parametrize("k", [1, 2, 8])
def test_total_equals_brute_force_on_random_instances(k):
    rng = np.random.default_rng(20261122 + k)
    for _ in range(150):
        scores, caps = random_instance(rng)
        n, m = scores.shape
        min_score = float(rng.choice([0.0, 1.0, 2.0])) if rng.random() < 0.5 else None
        excluded = {(int(i), int(j)) for i, j in zip(rng.integers(0, n, 2), rng.integers(0, m, 2),
                                                   strict=True)} if rng.random() < 0.5 else set()
        pinned: list[tuple[int, int]] = []
        if rng.random() < 0.4:
            i, j = int(rng.integers(0, n)), int(rng.integers(0, m))
            if caps[j] > 0 and np.isfinite(scores[i, j]) and (i, j) not in excluded:
                pinned.append((i, j))
        pairs = assign(scores, caps, min_score, pinned=pinned, excluded=excluded, k=k)
        check_feasible(pairs, scores, caps, min_score, pinned, excluded)
        expected = brute_force(scores, caps, min_score, pinned, excluded)
        assert sum(p.score for p in pairs) == pytest.approx(expected, abs=1e-9)


def test_crowded_occupation_with_one_candidate_each_still_finds_the_optimum():
    # Four newcomers all rank mentor 0 first; only one can have it.
    scores = np.array([[9.0, 1.0, 0.5, 0.0],
                       [9.0, 8.0, 0.5, 0.0],
                       [9.0, 0.5, 7.0, 0.0],
                       [9.0, 0.5, 0.5, 6.0]])
    pairs = assign(scores, [1, 1, 1, 1], k=1)
    assert sum(p.score for p in pairs) == 9.0 + 8.0 + 7.0 + 6.0


def test_duality_check_adds_left_out_pairs_until_optimal():
    # Everyone's single best mentor is mentor 0; the check must bring in the others.
    rng = np.random.default_rng(3)
    scores = rng.choice([1.0, 2.0, 3.0], size=(12, 8))
    scores[:, 0] = 10.0
    stats: dict[str, object] = {}
    pairs = assign(scores, [1] * 8, k=1, stats=stats)
    assert sum(p.score for p in pairs) == pytest.approx(brute_force(scores, [1] * 8, None, [],
                                                                    set()))
    assert stats["candidate_pairs"] > 12


def test_scorer_source_gives_the_same_optimum_as_the_full_matrix():
    newcomers, mentors = random_cohort(8, 60, 90)
    sc = scorer(newcomers, mentors)
    matrix = sc.rows(np.arange(60))
    caps = [m.capacity for m in mentors]
    for k in (1, 4, 16):
        from_scorer = assign(sc, caps, 3.0, excluded=[(0, 1)], k=k)
        from_matrix = assign(matrix, caps, 3.0, excluded=[(0, 1)], k=60)
        assert sum(p.score for p in from_scorer) == pytest.approx(
            sum(p.score for p in from_matrix), abs=1e-4)


def test_pruned_candidates_are_the_true_best_pairs():
    newcomers, mentors = random_cohort(9, 50, 120)
    sc = scorer(newcomers, mentors)
    matrix = sc.rows(np.arange(50)).astype(np.float64)
    rows = np.arange(0, 50, 3)
    (r, _, s), theta = top_candidates(sc, rows, 5, Rules(min_score=2.0), block_rows=4)
    for at, i in enumerate(rows):
        allowed = np.sort(matrix[i][matrix[i] >= 2.0])[::-1]
        got = np.sort(s[r == at])[::-1]
        np.testing.assert_allclose(got, allowed[:5], atol=1e-6)
        expected_theta = allowed[5] if allowed.size > 5 else -np.inf
        assert theta[at] >= expected_theta - 1e-6  # an upper bound of what was left out


def test_mentor_capacity_is_respected_and_used():
    scores = np.array([[5.0, 1.0], [5.0, 1.0], [5.0, 1.0]])
    pairs = assign(scores, [2, 1])
    assert [p.mentor for p in pairs].count(0) == 2
    assert len(pairs) == 3


def test_minimum_score_leaves_a_newcomer_unmatched_rather_than_badly_matched():
    scores = np.array([[5.0, 1.0], [4.0, 0.5]])
    pairs = assign(scores, [1, 1], min_score=2.0)
    assert pairs == [Pair(0, 0, 5.0)]


def test_pinned_pair_is_kept_even_when_it_lowers_the_total():
    scores = np.array([[5.0, 1.0], [4.0, 3.0]])
    pairs = assign(scores, [1, 1], pinned=[(0, 1)])
    assert pairs == [Pair(0, 1, 1.0), Pair(1, 0, 4.0)]


def test_excluded_pair_is_never_chosen():
    scores = np.array([[5.0, 1.0]])
    assert assign(scores, [1, 1], excluded=[(0, 0)]) == [Pair(0, 1, 1.0)]


def test_pinning_beyond_capacity_or_an_excluded_pair_is_refused():
    scores = np.ones((2, 1))
    with pytest.raises(ValueError, match="places"):
        assign(scores, [1], pinned=[(0, 0), (1, 0)])
    with pytest.raises(ValueError, match="pinned and excluded"):
        assign(scores, [1], pinned=[(0, 0)], excluded=[(0, 0)])


def test_same_input_same_assignment():
    rng = np.random.default_rng(7)
    scores = rng.choice([1.0, 2.0, 3.0], size=(30, 12))
    first = assign(scores, [2] * 12, k=2)
    assert all(assign(scores, [2] * 12, k=2) == first for _ in range(3))
