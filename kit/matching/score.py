"""The score of a newcomer-mentor pair, for one pair, one row or a whole cohort.

A score is a weighted sum of terms that each lie between 0 and 1, so a weight reads as "how many
points this criterion is worth at most":

- occupation: the deepest NOC 2021 level the two codes share (unit group 1.0, minor group 0.8,
  sub-major 0.6, major 0.4, broad category 0.2 by default), and separately TEER closeness
  (1 - |TEER difference| / 5);
- industry: same NAICS sector; language: at least one language in common; french: the newcomer
  prefers French and the mentor speaks it; goals: Jaccard overlap of goal tokens; location: same
  workplace area; availability: common hours a week, capped (4 h counts fully); experience:
  1 - exp(-years / 5), which saturates for long careers.

Forbidden pairs score ``-inf``: a mentor with no place left, pairs the coordinator excluded,
pairs that declined before, and (optionally) pairs under a minimum score.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import numpy as np

from kit.matching.features import (
    MentorFeatures,
    NewcomerFeatures,
    noc_levels,
    popcount,
    slot_matrix,
)
from kit.matching.weights import Weights

__all__ = ["FORBIDDEN", "Scorer", "Weights", "score_matrix", "shared_noc_levels", "teer_closeness"]

FORBIDDEN = np.float32(-np.inf)
DEFAULT_BLOCK_ROWS = 128


def shared_noc_levels(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """How many NOC levels two codes share (0-5), broadcasting per-level integer arrays.

    ``a`` and ``b`` end in an axis of 5 levels (broad first). A code's level integers are
    prefixes, so sharing the minor group implies sharing every coarser level and the count of
    equal levels is the depth of the common ancestor.
    """
    return (a == b).sum(axis=-1)


def teer_closeness(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """1 - |TEER difference| / 5, and 0 where either TEER is unknown (-1)."""
    a = a.astype(np.float32)
    b = b.astype(np.float32)
    close = 1.0 - np.abs(a - b) / 5.0
    return np.where((a >= 0) & (b >= 0), close, 0.0).astype(np.float32)


def _pairs_by_row(pairs: Iterable[tuple[int, int]], n: int, m: int) -> dict[int, np.ndarray]:
    rows: dict[int, list[int]] = {}
    for i, j in pairs:
        if not (0 <= i < n and 0 <= j < m):
            raise IndexError(f"pair {(i, j)} outside {n} newcomers x {m} mentors")
        rows.setdefault(int(i), []).append(int(j))
    return {i: np.array(sorted(set(js)), dtype=np.intp) for i, js in rows.items()}


class Scorer:
    """Scores for encoded newcomers x mentors, computed on demand by blocks of rows.

    Everything that depends on one side only (the NOC proximity table, the mentor columns,
    unpacked availability) is computed once here, so a row for one newcomer costs a few
    vector operations over the mentors.
    """

    def __init__(self, newcomers: NewcomerFeatures, mentors: MentorFeatures,
                 weights: Weights | None = None, *, declined: Iterable[tuple[int, int]] = (),
                 excluded: Iterable[tuple[int, int]] = (), min_score: float | None = None) -> None:
        self.newcomers = newcomers
        self.mentors = mentors
        self.weights = w = weights or Weights()
        self.min_score = min_score
        n, m = len(newcomers), len(mentors)
        self.shape = (n, m)
        self._forbidden = _pairs_by_row([*declined, *excluded], n, m)
        self._build_noc_table(w)
        self._no_place = np.flatnonzero(mentors.remaining <= 0)
        experience = 1.0 - np.exp(-np.maximum(mentors.years, 0) / w.experience_scale_years)
        self._mentor_points = (w.experience * experience).astype(np.float32)
        speaks_french = _has_token(mentors.languages, mentors.vocabulary.languages.get("fr"))
        self._french_points = (w.french * speaks_french).astype(np.float32)
        self._french_rows = newcomers.prefers_french
        vocab_goals = len(mentors.vocabulary.goals)
        self._goals = vocab_goals > 0 and w.goals > 0
        if self._goals:
            self._goal_n = _unpack_tokens(newcomers.goals, vocab_goals)
            self._goal_mt = np.ascontiguousarray(_unpack_tokens(mentors.goals, vocab_goals).T)
            self._goal_count_n = newcomers.goal_count.astype(np.float32)
            self._goal_count_m = mentors.goal_count.astype(np.float32)
            self._goal_words = _word_columns(newcomers.goals, mentors.goals)
        self._cap_slots = np.float32(2 * w.availability_cap_hours)
        self._build_availability(w)
        self._build_language_table(w)

    def _build_language_table(self, w: Weights) -> None:
        # People share few distinct language sets: score set against set once, then gather.
        sets_n, self._language_set_n = np.unique(self.newcomers.languages, axis=0,
                                                 return_inverse=True)
        sets_m, self._language_set_m = np.unique(self.mentors.languages, axis=0,
                                                 return_inverse=True)
        self._language_set_n = self._language_set_n.reshape(-1)
        self._language_set_m = self._language_set_m.reshape(-1)
        self._language_points: np.ndarray | None = None
        if sets_n.shape[0] * sets_m.shape[0] <= 4_000_000:
            shared = (sets_n[:, None, :] & sets_m[None, :, :]).any(axis=-1)
            self._language_points = (shared * np.float32(w.language)).astype(np.float32)

    def _build_noc_table(self, w: Weights) -> None:
        # Proximity over the distinct codes only (at most a few hundred), then a gather per pair.
        codes = sorted({c for c in self.newcomers.noc_codes + self.mentors.noc_codes if c})
        key = {c: k + 1 for k, c in enumerate(codes)}  # 0 = no code
        levels = np.array([noc_levels(None, -1)] + [noc_levels(c, -1) for c in codes], np.int32)
        levels_m = levels.copy()
        levels_m[0] = -2  # a missing code on both sides is no match
        shares = np.array((0.0, *w.noc_levels), dtype=np.float32)
        depth = shared_noc_levels(levels[:, None, :], levels_m[None, :, :])
        teer = np.array([-1] + [int(c[1]) if len(c) > 1 else -1 for c in codes], np.int8)
        table = w.occupation * shares[depth] + w.teer * teer_closeness(teer[:, None], teer)
        table[0, :] = table[:, 0] = 0.0
        self._noc_table = table.astype(np.float32)
        self._noc_key_n = np.array([key.get(c, 0) if c else 0 for c in self.newcomers.noc_codes],
                                   dtype=np.intp)
        self._noc_key_m = np.array([key.get(c, 0) if c else 0 for c in self.mentors.noc_codes],
                                   dtype=np.intp)

    def _build_availability(self, w: Weights) -> None:
        self._availability = w.availability > 0
        if not self._availability:
            return
        any_n = np.bitwise_or.reduce(self.newcomers.availability, axis=0)
        any_m = np.bitwise_or.reduce(self.mentors.availability, axis=0)
        both = (any_n & any_m)[None, :]
        # Only half-hours someone on each side offers can overlap: drop the others.
        slots = np.flatnonzero(np.unpackbits(both.view(np.uint8), axis=1, bitorder="little")[0])
        self._availability = slots.size > 0
        self._slots_n = slot_matrix(self.newcomers.availability, slots)
        self._slots_mt = np.ascontiguousarray(slot_matrix(self.mentors.availability, slots).T)
        # The same bits repacked on the shared half-hours only: fewer words per pair popcount.
        self._slot_words = _word_columns(_repack(self._slots_n), _repack(self._slots_mt.T))

    @property
    def slack(self) -> float:
        """Most points the goal and availability terms can add on top of :meth:`cheap`."""
        return float(self.weights.goals * self._goals + self.weights.availability
                     * self._availability)

    def block(self, rows: np.ndarray | slice, cols: np.ndarray | None = None) -> np.ndarray:
        """Scores of newcomers ``rows`` x mentors ``cols`` (all mentors by default), float32."""
        r = self._rows(rows)
        c = slice(None) if cols is None else np.asarray(cols)
        out = self.cheap(r, cols)
        if self._goals:
            inter = self._goal_n[r] @ self._goal_mt[:, c]
            union = np.add.outer(self._goal_count_n[r], self._goal_count_m[c])
            out += self._jaccard_points(inter, union)
        if self._availability:
            overlap = self._slots_n[r] @ self._slots_mt[:, c]
            out += self._availability_points(overlap)
        if self.min_score is not None:
            np.copyto(out, FORBIDDEN, where=out < np.float32(self.min_score))
        return out

    def finish(self, rows: np.ndarray, cols: np.ndarray, cheap: np.ndarray) -> np.ndarray:
        """Full scores of the pairs (rows[k], cols[k]) from their :meth:`cheap` part.

        Same float32 operations in the same order as :meth:`block`, so both give equal scores.
        """
        out = cheap.astype(np.float32, copy=True)
        if self._goals:
            inter = _common_bits(self._goal_words, rows, cols)
            union = self._goal_count_n.take(rows) + self._goal_count_m.take(cols)
            out += self._jaccard_points(inter, union)
        if self._availability:
            out += self._availability_points(_common_bits(self._slot_words, rows, cols))
        if self.min_score is not None:
            np.copyto(out, FORBIDDEN, where=out < np.float32(self.min_score))
        return out

    def _jaccard_points(self, inter: np.ndarray, union: np.ndarray) -> np.ndarray:
        union -= inter
        np.maximum(union, 1.0, out=union)
        np.divide(inter, union, out=inter)
        inter *= np.float32(self.weights.goals)
        return inter

    def _availability_points(self, overlap: np.ndarray) -> np.ndarray:
        np.minimum(overlap, self._cap_slots, out=overlap)
        overlap *= np.float32(self.weights.availability) / self._cap_slots
        return overlap

    def _rows(self, rows: np.ndarray | slice) -> np.ndarray:
        return np.arange(self.shape[0])[rows] if isinstance(rows, slice) else np.asarray(rows)

    def cheap(self, rows: np.ndarray | slice, cols: np.ndarray | None = None) -> np.ndarray:
        """Scores without the goal and availability terms, with the pair masks applied.

        The full score is at most ``cheap + slack``: the batch prunes on this before paying for
        the two costly terms (see :mod:`kit.matching.prune`).
        """
        nc, mt, w = self.newcomers, self.mentors, self.weights
        r = self._rows(rows)
        c = slice(None) if cols is None else np.asarray(cols)
        key_m = self._noc_key_m[c]
        if key_m.size <= 8:  # a column (top newcomers for one mentor): gather the other way
            out = self._noc_table[:, key_m][self._noc_key_n[r]]
        else:
            out = np.take(self._noc_table[self._noc_key_n[r]], key_m, axis=1)
        out = np.ascontiguousarray(out, dtype=np.float32)
        out += self._mentor_points[c]
        if w.industry:
            out += (nc.sector[r, None] == mt.sector[None, c]) * np.float32(w.industry)
        if w.location:
            out += (nc.location[r, None] == mt.location[None, c]) * np.float32(w.location)
        if w.language and self._language_points is not None:
            points = self._language_points[self._language_set_n[r]]
            out += np.take(points, self._language_set_m[c], axis=1)
        elif w.language:
            shared = np.zeros(out.shape, dtype=bool)
            for word in range(mt.languages.shape[1]):
                shared |= (nc.languages[r, None, word] & mt.languages[None, c, word]) != 0
            out += shared * np.float32(w.language)
        french = self._french_rows[r]
        if w.french and french.any():
            out[french] += self._french_points[c]
        self._mask(out, r, cols)
        return out

    def _mask(self, out: np.ndarray, r: np.ndarray, cols: np.ndarray | None) -> None:
        position = None
        if cols is not None:
            position = np.full(self.shape[1], -1, dtype=np.intp)
            position[np.asarray(cols)] = np.arange(len(cols))
        no_place = self._no_place if position is None else position[self._no_place]
        out[:, no_place[no_place >= 0]] = FORBIDDEN
        if self._forbidden:
            for at, i in enumerate(r.tolist()):
                js = self._forbidden.get(i)
                if js is not None:
                    js = js if position is None else position[js]
                    out[at, js[js >= 0]] = FORBIDDEN

    def rows(self, rows: np.ndarray | slice) -> np.ndarray:
        """Scores of some newcomers against every mentor."""
        return self.block(rows)

    def column(self, mentor: int) -> np.ndarray:
        """Scores of every newcomer against one mentor, shape (n,)."""
        return self.block(slice(None), np.array([mentor]))[:, 0]

    def blocks(self, block_rows: int = DEFAULT_BLOCK_ROWS) -> Iterator[tuple[int, np.ndarray]]:
        """(first row, block) over all newcomers, so a large cohort never sits whole in memory."""
        for start in range(0, self.shape[0], block_rows):
            yield start, self.block(slice(start, min(start + block_rows, self.shape[0])))


def _has_token(bitsets: np.ndarray, bit: int | None) -> np.ndarray:
    if bit is None:
        return np.zeros(bitsets.shape[0], dtype=bool)
    return (bitsets[:, bit // 64] >> np.uint64(bit % 64)) & np.uint64(1) == 1


def _repack(bits: np.ndarray) -> np.ndarray:
    packed = np.packbits(bits.astype(bool), axis=1, bitorder="little")
    width = -(-packed.shape[1] // 8) * 8
    padded = np.zeros((packed.shape[0], width), dtype=np.uint8)
    padded[:, :packed.shape[1]] = packed
    return padded.view(np.uint64)


def _word_columns(a: np.ndarray, b: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    # One contiguous array per word and side: gathering from 1-D arrays is the fast path.
    return [(np.ascontiguousarray(a[:, w]), np.ascontiguousarray(b[:, w]))
            for w in range(a.shape[1])]


def _common_bits(words: list[tuple[np.ndarray, np.ndarray]], rows: np.ndarray,
                 cols: np.ndarray) -> np.ndarray:
    total = np.zeros(rows.shape, dtype=np.float32)
    for side_n, side_m in words:
        total += popcount(side_n.take(rows) & side_m.take(cols))
    return total


def _unpack_tokens(bitsets: np.ndarray, size: int) -> np.ndarray:
    bits = np.unpackbits(bitsets.view(np.uint8), axis=1, bitorder="little")[:, :size]
    return np.ascontiguousarray(bits, dtype=np.float32)


def score_matrix(newcomers: NewcomerFeatures, mentors: MentorFeatures,
                 weights: Weights | None = None, *, declined: Iterable[tuple[int, int]] = (),
                 excluded: Iterable[tuple[int, int]] = (), min_score: float | None = None,
                 block_rows: int = DEFAULT_BLOCK_ROWS) -> np.ndarray:
    """The full n x m float32 score matrix (forbidden pairs are ``-inf``), built block by block.

    For a large cohort prefer :class:`Scorer` and its blocks: 5,000 x 30,000 scores take 600 MB.
    """
    scorer = Scorer(newcomers, mentors, weights, declined=declined, excluded=excluded,
                    min_score=min_score)
    out = np.empty(scorer.shape, dtype=np.float32)
    for start, block in scorer.blocks(block_rows):
        out[start:start + block.shape[0]] = block
    return out
