"""Suggestions: the same best partners as a full sort, in the same order."""

from __future__ import annotations

import numpy as np

from kit.matching import top_mentors, top_newcomers
from kit.matching.suggest import top_k

from .helpers import mentor, newcomer, random_cohort, scorer


def full_sort(values: np.ndarray, k: int) -> list[int]:
    order = sorted((i for i in range(values.size) if np.isfinite(values[i])),
                   key=lambda i: (-values[i], i))
    return order[:k]


def test_top_k_equals_a_stable_full_sort_even_with_ties():
    rng = np.random.default_rng(5)
    for _ in range(200):
        values = rng.choice([0.0, 1.0, 2.5, 3.0, -np.inf], size=int(rng.integers(1, 60)))
        k = int(rng.integers(1, 15))
        assert top_k(values, k).tolist() == full_sort(values, k)


def test_top_mentors_and_top_newcomers_match_the_score_matrix():
    newcomers, mentors = random_cohort(2, 30, 80)
    sc = scorer(newcomers, mentors)
    matrix = sc.rows(np.arange(30))
    for i in (0, 7, 29):
        got = top_mentors(sc, i, 10)
        assert [s.index for s in got] == full_sort(matrix[i], 10)
        assert [s.score for s in got] == [float(matrix[i, s.index]) for s in got]
    for j in (0, 41, 79):
        got = top_newcomers(sc, j, 5)
        assert [s.index for s in got] == full_sort(matrix[:, j], 5)


def test_best_mentor_first_and_full_mentor_never_suggested():
    mentors = [mentor("64100", id=0), mentor("21300", id=1, remaining=0),
               mentor("21301", id=2), mentor("21300", id=3)]
    got = top_mentors(scorer([newcomer("21300")], mentors), 0, 10)
    assert [s.index for s in got] == [3, 2, 0]


def test_suggestions_are_deterministic():
    newcomers, mentors = random_cohort(4, 10, 50)
    first = [top_mentors(scorer(newcomers, mentors), i, 5) for i in range(10)]
    again = [top_mentors(scorer(newcomers, mentors), i, 5) for i in range(10)]
    assert first == again
