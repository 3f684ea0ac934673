"""Scoring rules, one at a time, and the hard constraints."""

from __future__ import annotations

import numpy as np
import pytest

from kit.matching import Weights, availability_mask, score_matrix
from kit.matching.features import encode_mentors, encode_newcomers

from .helpers import mentor, newcomer, random_cohort, scorer

ONLY_OCCUPATION = Weights(teer=0, industry=0, language=0, french=0, goals=0, location=0,
                          availability=0, experience=0)


def one(n, m, weights=None, **kw) -> float:
    return float(scorer([n], [m], weights, **kw).rows(np.array([0]))[0, 0])


def test_closer_occupation_scores_higher_level_by_level():
    codes = ["21300", "21301", "21310", "21200", "22100", "31100"]  # unit .. minor .. none
    scores = [one(newcomer("21300"), mentor(c), ONLY_OCCUPATION) for c in codes]
    assert scores == sorted(scores, reverse=True)
    assert len(set(scores)) == len(scores)
    assert scores[0] == pytest.approx(4.0)  # same unit group: the whole occupation weight
    assert scores[-1] == 0.0  # another broad category


def test_teer_closeness_breaks_ties_between_unrelated_occupations():
    w = Weights(occupation=0, industry=0, language=0, french=0, goals=0, location=0,
                availability=0, experience=0)
    same_teer = one(newcomer("21300"), mentor("41200"), w)  # TEER 1 and TEER 1
    far_teer = one(newcomer("21300"), mentor("75100"), w)  # TEER 1 and TEER 5
    assert same_teer == pytest.approx(0.5) and far_teer == pytest.approx(0.5 * (1 - 4 / 5))


def test_industry_location_and_shared_language_each_add_their_weight():
    base = one(newcomer(naics="54"), mentor(naics="23"))
    assert one(newcomer(naics="54"), mentor(naics="5413")) - base == pytest.approx(1.0)
    assert one(newcomer(location="East"), mentor(location="East")) - \
        one(newcomer(location="East"), mentor(location="West")) == pytest.approx(0.5)
    no_common = one(newcomer(languages=frozenset({"ar"})), mentor(languages=frozenset({"en"})))
    common = one(newcomer(languages=frozenset({"ar"})), mentor(languages=frozenset({"ar", "en"})))
    assert common - no_common == pytest.approx(1.0)


def test_french_with_french_only_when_the_newcomer_prefers_it():
    fr = frozenset({"fr", "en"})
    prefers = one(newcomer(languages=fr, preferred_language="fr"), mentor(languages=fr))
    english = one(newcomer(languages=fr, preferred_language="en"), mentor(languages=fr))
    no_fr_mentor = one(newcomer(languages=fr, preferred_language="fr"), mentor())
    assert prefers - english == pytest.approx(1.0)
    assert prefers - no_fr_mentor == pytest.approx(1.0)  # French adds; English still shared


def test_goal_overlap_is_jaccard():
    w = Weights(goals=3.0)
    a = one(newcomer(goals=frozenset({"resume", "network"})),
            mentor(goals=frozenset({"network", "lead", "licence"})), w)
    b = one(newcomer(goals=frozenset({"resume"})), mentor(goals=frozenset({"lead"})), w)
    assert a - b == pytest.approx(3.0 * 1 / 4)


def test_availability_counts_common_hours_up_to_the_cap():
    tuesday_9_to_11 = ((1, 540, 660),)
    w = Weights(availability=2.0, availability_cap_hours=4.0)
    none = one(newcomer(availability=((2, 540, 660),)), mentor(availability=tuesday_9_to_11), w)
    two_h = one(newcomer(availability=tuesday_9_to_11), mentor(availability=tuesday_9_to_11), w)
    one_h = one(newcomer(availability=((1, 600, 720),)), mentor(availability=tuesday_9_to_11), w)
    long = ((1, 480, 1080),)
    capped = one(newcomer(availability=long), mentor(availability=long), w)
    assert two_h - none == pytest.approx(2.0 * 2 / 4)
    assert one_h - none == pytest.approx(2.0 * 1 / 4)
    assert capped - none == pytest.approx(2.0)


def test_experience_saturates():
    gains = [one(newcomer(), mentor(years=y)) for y in (0, 5, 10, 40)]
    assert gains == sorted(gains)
    assert gains[3] - gains[2] < gains[1] - gains[0]
    assert gains[3] - gains[0] < 0.5 + 1e-6


def test_mentor_without_a_place_is_masked():
    full = mentor(capacity=2, remaining=0)
    assert one(newcomer(), full) == -np.inf
    assert np.isfinite(one(newcomer(), mentor(capacity=2, remaining=1)))


def test_declined_and_excluded_pairs_are_masked_and_only_them():
    s = scorer([newcomer(), newcomer()], [mentor(), mentor()], declined=[(0, 1)],
               excluded=[(1, 0)]).rows(np.arange(2))
    assert np.isneginf(s[0, 1]) and np.isneginf(s[1, 0])
    assert np.isfinite(s[0, 0]) and np.isfinite(s[1, 1])


def test_minimum_score_masks_weak_pairs():
    s = scorer([newcomer("21300")], [mentor("21300"), mentor("64100")],
               min_score=3.0).rows(np.array([0]))[0]
    assert np.isfinite(s[0]) and np.isneginf(s[1])


def test_blocks_cheap_part_and_pair_scores_agree_exactly():
    newcomers, mentors = random_cohort(3, 40, 70)
    sc = scorer(newcomers, mentors, declined=[(0, 0), (5, 9)])
    whole = sc.rows(np.arange(40))
    for block_rows in (1, 7, 64):
        encoded = encode_mentors(mentors)
        chunked = score_matrix(encode_newcomers(newcomers, encoded), encoded,
                               declined=[(0, 0), (5, 9)], block_rows=block_rows)
        np.testing.assert_array_equal(chunked, whole)
    cheap = sc.cheap(np.arange(40))
    assert (cheap <= whole).all() and (whole <= cheap + sc.slack + 1e-5).all()
    r, c = np.nonzero(np.isfinite(cheap))
    np.testing.assert_array_equal(sc.finish(r, c, cheap[r, c]), whole[r, c])


def test_weights_from_configuration_reject_typos_and_negative_values():
    assert Weights.from_mapping({"french": 2, "noc_levels": [0.1, 0.2, 0.3, 0.4, 1]}).french == 2
    with pytest.raises(ValueError, match="frnech"):
        Weights.from_mapping({"frnech": 2})
    with pytest.raises(ValueError, match="industry"):
        Weights(industry=-1)


def test_availability_mask_counts_whole_half_hours_only():
    assert availability_mask([(0, 0, 60)]) == 0b11
    assert availability_mask([(0, 15, 60)]) == 0b10  # 0:15-0:30 is not a whole half-hour
    assert availability_mask([(6, 23 * 60 + 30, 24 * 60)]) == 1 << 335
    with pytest.raises(ValueError):
        availability_mask([(7, 0, 30)])
