"""Explanations: stable codes, the parameters a sentence needs, and contributions that add up."""

from __future__ import annotations

import numpy as np
import pytest

from kit.matching import REASON_CODES, Weights, explain
from kit.matching.explain import ENGLISH, total

from .helpers import mentor, newcomer, random_cohort, scorer


def by_code(reasons):
    return {r.code: r for r in reasons}


def test_same_unit_group_names_the_code_and_leads_the_list():
    reasons = explain(newcomer("21300"), mentor("21300"))
    assert reasons[0].code == "same_unit_group"
    assert reasons[0].params["noc_code"] == "21300"
    assert reasons[0].contribution == pytest.approx(4.0)
    assert reasons[0].text_key == "matching.reason.same_unit_group"


@pytest.mark.parametrize(("other", "code", "shared"), [
    ("21301", "same_minor_group", "2130"),
    ("21310", "same_submajor_group", "213"),
    ("21200", "same_major_group", "21"),
    ("22100", "same_broad_category", "2"),
])
def test_coarser_common_levels_name_the_shared_class(other, code, shared):
    reasons = by_code(explain(newcomer("21300"), mentor(other)))
    assert reasons[code].params["noc_code"] == shared
    assert "same_unit_group" not in reasons


def test_french_hours_language_and_experience_carry_their_parameters():
    fr = frozenset({"fr", "en"})
    reasons = by_code(explain(
        newcomer(languages=fr, preferred_language="fr", availability=((2, 600, 840),),
                 goals=frozenset({"resume", "network"}), location="East", naics="5413"),
        mentor(languages=fr, availability=((2, 540, 780),), goals=frozenset({"network"}),
               location="East", naics="54", years=12),
    ))
    assert reasons["both_french"].params == {"language": "fr"}
    assert reasons["availability_overlap"].params == {"hours_per_week": 3.0}
    assert reasons["shared_language"].params["languages"] == ["en", "fr"]
    assert reasons["goals_overlap"].params["goals"] == ["network"]
    assert reasons["same_location"].params == {"location": "East"}
    assert reasons["same_industry"].params == {"naics": "54"}
    assert reasons["experienced_mentor"].params == {"years": 12}
    assert reasons["availability_overlap"].english() == "availability overlaps 3 h a week"
    assert reasons["both_french"].english() == "both speak French"


def test_no_reason_for_what_the_pair_does_not_share():
    reasons = by_code(explain(newcomer("21300", languages=frozenset({"ar"})),
                              mentor("64100", languages=frozenset({"en"}), years=0)))
    assert not {"shared_language", "both_french", "same_unit_group", "experienced_mentor"} & \
        set(reasons)


def test_every_code_is_listed_and_has_plain_english():
    assert set(ENGLISH) == set(REASON_CODES)
    assert len(set(REASON_CODES)) == len(REASON_CODES)


@pytest.mark.parametrize("weights", [None, Weights(goals=3, teer=0, experience=2)])
def test_contributions_add_up_to_the_score(weights):
    newcomers, mentors = random_cohort(11, 15, 20)
    scores = scorer(newcomers, mentors, weights).rows(np.arange(15))
    for i, n in enumerate(newcomers):
        for j, m in enumerate(mentors):
            reasons = explain(n, m, weights)
            assert total(reasons) == pytest.approx(float(scores[i, j]), abs=1e-4)
            assert all(r.code in REASON_CODES and r.contribution > 0 for r in reasons)
            assert [r.contribution for r in reasons] == sorted(
                (r.contribution for r in reasons), reverse=True)
