"""Encodings: NOC levels as integers, bitsets, and what a newcomer-only word counts for."""

from __future__ import annotations

import numpy as np
import pytest

from kit.matching import encode_mentors, encode_newcomers
from kit.matching.features import (
    _BYTE_POPCOUNT,
    noc_levels,
    overlap_half_hours,
    popcount,
    teer_of,
)
from kit.matching.score import shared_noc_levels

from .helpers import mentor, newcomer


def test_noc_levels_are_prefixes_and_keep_leading_zeros_apart():
    assert noc_levels("21300", -1) == [2, 21, 213, 2130, 21300]
    assert noc_levels("00010", -1) == [0, 0, 0, 1, 10]
    assert noc_levels("2130", -1) == [2, 21, 213, 2130, -1]  # a minor group, no unit group
    assert teer_of("21300") == 1 and teer_of(None) == -1
    with pytest.raises(ValueError):
        noc_levels("21-300", -1)


def test_shared_levels_broadcast_over_all_pairs():
    a = np.array([noc_levels(c, -1) for c in ("21300", "21301", "41200")])
    b = np.array([noc_levels(c, -2) for c in ("21300", "21310", None)])
    depth = shared_noc_levels(a[:, None, :], b[None, :, :])
    assert depth.tolist() == [[5, 3, 0], [4, 3, 0], [0, 0, 0]]


def test_newcomer_words_no_mentor_uses_still_count_in_their_goal_set():
    mentors = encode_mentors([mentor(goals=frozenset({"resume"}))])
    newcomers = encode_newcomers([newcomer(goals=frozenset({"resume", "pilot-licence"}))], mentors)
    assert newcomers.goal_count.tolist() == [2]
    assert popcount(newcomers.goals & mentors.goals).sum() == 1


def test_availability_overlap_by_popcount_of_packed_words():
    mentors = encode_mentors([mentor(availability=((1, 540, 780),))])  # Tue 9:00-13:00
    newcomers = encode_newcomers([newcomer(availability=((1, 660, 900),))], mentors)
    assert overlap_half_hours(newcomers.availability, mentors.availability).tolist() == [4]


def test_popcount_table_fallback_agrees_with_numpy():
    words = np.array([0, 1, 0xFFFF_FFFF_FFFF_FFFF, 0x8000_0000_0000_0001], dtype=np.uint64)
    by_table = _BYTE_POPCOUNT[words.view(np.uint8).reshape(-1, 8)].sum(axis=1)
    assert by_table.tolist() == popcount(words).tolist() == [0, 1, 64, 2]


def test_capacity_and_remaining_are_checked():
    with pytest.raises(ValueError):
        mentor(capacity=4)
    with pytest.raises(ValueError):
        mentor(capacity=2, remaining=3)
    assert encode_mentors([mentor(capacity=3, remaining=1)]).remaining.tolist() == [1]
