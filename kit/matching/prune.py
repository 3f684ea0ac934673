"""Finding the few pairs that matter in a large cohort without scoring every pair in full.

The batch needs, per newcomer, its k + 1 best allowed pairs (the candidates and ``theta``, the
best score left out), and later the pairs scoring above a given value. Both are found in blocks
of newcomers, in parallel threads (numpy releases the GIL), with a bound that skips the two
costly terms for most pairs:

    full score <= cheap part + slack     (slack = goal weight + availability weight)

The threshold ``t`` of a row is the (k+1)-th best cheap score in a sample of its mentors; at
least k + 1 pairs then score ``t`` or more in full, so a pair whose ``cheap + slack < t`` can be
neither a candidate nor ``theta``. Only the others (typically a few per cent) get their goal
overlap and availability computed, one popcount per pair.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

# Float32 sums of the same terms in another grouping can differ in the last bits.
_MARGIN = 1e-3
_SAMPLE_COLUMNS = 4096


class Source(Protocol):
    """What pruning reads: cheap scores by rows, an upper bound of the rest, full pair scores."""

    shape: tuple[int, int]
    slack: float

    def cheap(self, rows: np.ndarray) -> np.ndarray:
        """A lower bound of the scores of ``rows`` (all mentors), ``-inf`` where forbidden."""
        ...

    def finish(self, rows: np.ndarray, cols: np.ndarray, cheap: np.ndarray) -> np.ndarray:
        """Full scores of the pairs (rows[k], cols[k]) from their cheap values."""
        ...

    def rows(self, rows: np.ndarray) -> np.ndarray:
        """Full scores of ``rows`` against every mentor."""
        ...


@dataclass
class Rules:
    """Pairs the batch may not use on top of the source's own masks."""

    closed: np.ndarray = field(default_factory=lambda: np.zeros(0, np.intp))  # mentors, no place
    excluded: dict[int, np.ndarray] = field(default_factory=dict)  # newcomer -> mentors
    min_score: float | None = None

    def apply(self, block: np.ndarray, rows: np.ndarray) -> None:
        """Forbid (``-inf``) closed mentors and excluded pairs in a block of ``rows``."""
        block[:, self.closed] = -np.inf
        if self.excluded:
            for at, i in enumerate(rows.tolist()):
                js = self.excluded.get(i)
                if js is not None:
                    block[at, js] = -np.inf


class DenseSource:
    """A precomputed score matrix (small cohorts, tests): no slack, nothing to finish."""

    slack = 0.0

    def __init__(self, scores: np.ndarray) -> None:
        self.scores = np.asarray(scores, dtype=np.float64)
        self.shape = self.scores.shape

    def cheap(self, rows: np.ndarray) -> np.ndarray:
        """The rows themselves (a copy: fancy indexing copies)."""
        return self.scores[rows]

    def finish(self, rows: np.ndarray, cols: np.ndarray, cheap: np.ndarray) -> np.ndarray:
        """Nothing to add: the cheap value is the score."""
        return cheap

    def rows(self, rows: np.ndarray) -> np.ndarray:
        """The rows themselves."""
        return self.scores[rows]


Edges = tuple[np.ndarray, np.ndarray, np.ndarray]  # (row position, mentor, score)


def _pairs_at_least(source: Source, rows: np.ndarray, floor: np.ndarray | None, k: int | None,
                    rules: Rules, offset: np.ndarray | None = None) -> tuple[Edges, np.ndarray]:
    """Allowed pairs of ``rows`` whose value is >= floor (per row) or >= a sampled threshold.

    A pair's value is its score minus ``offset[mentor]`` (nothing by default). Returns
    (position in ``rows``, mentor, full score) and, per row, an upper bound of the values of
    the allowed pairs left out (``-inf`` when none can be).
    """
    cheap = source.cheap(rows)
    rules.apply(cheap, rows)
    value = cheap if offset is None else cheap - offset.astype(cheap.dtype)
    if k is not None:
        floor = _sampled_threshold(value, k)
    assert floor is not None
    left_out = floor.copy()  # pairs not returned are worth less than this
    min_score = rules.min_score
    if min_score is not None and offset is None:
        # Under the minimum score a pair is forbidden, not left out.
        left_out[floor <= min_score] = -np.inf
        floor = np.maximum(floor, min_score)
    # Keep a little under the floor: the sampled pairs must come back even when float32
    # rounding of the cheap value (minus the offset) put the floor a hair above them.
    low = floor - _MARGIN
    bound = (low - source.slack - _MARGIN).astype(cheap.dtype)
    bound[~np.isfinite(floor)] = np.finfo(cheap.dtype).min  # keep every allowed pair
    hits = np.flatnonzero(value >= bound[:, None])
    hit_r, hit_j = np.divmod(hits, value.shape[1])
    scores = source.finish(rows[hit_r], hit_j, cheap.ravel()[hits])
    worth = scores if offset is None else scores - offset[hit_j]
    keep = np.isfinite(scores) & (worth >= low[hit_r])
    if min_score is not None:
        keep &= scores >= min_score
    return (hit_r[keep], hit_j[keep], scores[keep].astype(np.float64)), left_out


def _sampled_threshold(values: np.ndarray, k: int) -> np.ndarray:
    """Per row, the (k+1)-th best of a sample of ``values`` (or ``-inf``): at least k + 1
    pairs of the row are worth that much, since full scores are never below cheap ones."""
    step = max(1, values.shape[1] // _SAMPLE_COLUMNS)
    sample = values[:, ::step]
    if sample.shape[1] <= k:
        return np.full(values.shape[0], -np.inf)
    cut = sample.shape[1] - (k + 1)
    return np.partition(sample, cut, axis=1)[:, cut].astype(np.float64)


def _parallel(work: Callable[[np.ndarray], object], rows: np.ndarray, block_rows: int
              ) -> list[object]:
    chunks = [rows[s:s + block_rows] for s in range(0, rows.size, block_rows)]
    workers = min(len(chunks), os.cpu_count() or 1, 4)
    if workers <= 1:
        return [work(chunk) for chunk in chunks]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(work, chunks))


def top_candidates(source: Source, rows: np.ndarray, k: int, rules: Rules,
                   offset: np.ndarray | None = None, block_rows: int = 64
                   ) -> tuple[Edges, np.ndarray]:
    """The k best allowed pairs of each row and ``theta``, the (k+1)-th best (or ``-inf``).

    "Best" is by score minus ``offset[mentor]`` when an offset is given (theta too). Edges
    carry the position of the newcomer in ``rows`` and the pair's score.
    """

    def work(chunk: np.ndarray) -> tuple[Edges, np.ndarray]:
        (r, j, s), left_out = _pairs_at_least(source, chunk, None, k, rules, offset)
        worth = s if offset is None else s - offset[j]
        order = np.lexsort((j, -worth, r))
        r, j, s, worth = r[order], j[order], s[order], worth[order]
        first = np.searchsorted(r, np.arange(chunk.size))
        rank = np.arange(r.size) - first[r]
        theta = left_out
        at_k = rank == k
        theta[r[at_k]] = worth[at_k]
        keep = rank < k
        return (r[keep], j[keep], s[keep]), theta

    return _merge(_parallel(work, rows, block_rows), block_rows)


def _merge(parts: list[object], block_rows: int) -> tuple[Edges, np.ndarray]:
    rs, js, ss, thetas = [], [], [], []
    for n, part in enumerate(parts):
        (r, j, s), theta = part  # type: ignore[misc]
        rs.append(r + n * block_rows)
        js.append(j)
        ss.append(s)
        thetas.append(theta)
    if not parts:
        return (np.zeros(0, np.intp), np.zeros(0, np.intp), np.zeros(0)), np.zeros(0)
    return ((np.concatenate(rs).astype(np.intp), np.concatenate(js).astype(np.intp),
             np.concatenate(ss)), np.concatenate(thetas))
