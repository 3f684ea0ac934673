"""Suggestions: the best mentors for one newcomer, the best newcomers for one mentor.

One row of scores costs a few vector operations over the mentors (the scorer keeps the mentor
side precomputed), and ``np.argpartition`` finds the k best in linear time instead of sorting
30,000 scores.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from kit.matching.score import Scorer


class Suggestion(NamedTuple):
    """One suggested partner: their index on the other side and the pair's score."""

    index: int
    score: float


def top_k(values: np.ndarray, k: int) -> np.ndarray:
    """Indices of the ``k`` largest finite values, best first, ties to the lower index.

    The order is the one of a full stable sort by descending value, without the full sort.
    """
    values = np.asarray(values)
    finite = np.isfinite(values)
    k = min(k, int(finite.sum()))
    if k <= 0:
        return np.zeros(0, dtype=np.intp)
    masked = np.where(finite, values, -np.inf)
    if k < masked.size:
        kth = masked[np.argpartition(masked, masked.size - k)[masked.size - k]]
        above = np.flatnonzero(masked > kth)
        ties = np.flatnonzero(masked == kth)[: k - above.size]
        chosen = np.concatenate([above, ties])
    else:
        chosen = np.flatnonzero(finite)
    order = np.lexsort((chosen, -masked[chosen]))
    return chosen[order]


def top_mentors(scorer: Scorer, newcomer_index: int, k: int = 10) -> list[Suggestion]:
    """The ``k`` best allowed mentors for one newcomer, best first."""
    row = scorer.rows(np.array([newcomer_index]))[0]
    return [Suggestion(int(j), float(row[j])) for j in top_k(row, k)]


def top_newcomers(scorer: Scorer, mentor_index: int, k: int = 10) -> list[Suggestion]:
    """The ``k`` best allowed newcomers for one mentor, best first."""
    column = scorer.column(mentor_index)
    return [Suggestion(int(i), float(column[i])) for i in top_k(column, k)]
