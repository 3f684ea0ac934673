"""Pure matching engine: NOC-aware pair scores, explanations, suggestions and batch assignment.

Arrays in, ranked pairs and explanations out: numpy and scipy only, no Flask, no SQLAlchemy, so
it can be benchmarked (``bench/matching.py``) and reused alone. See docs/matching.md.
"""

from kit.matching.assign import Pair, assign
from kit.matching.explain import REASON_CODES, Reason, explain
from kit.matching.features import (
    MentorFeatures,
    MentorProfile,
    NewcomerFeatures,
    NewcomerProfile,
    availability_mask,
    encode_mentors,
    encode_newcomers,
)
from kit.matching.score import Scorer, Weights, score_matrix
from kit.matching.suggest import Suggestion, top_mentors, top_newcomers

__all__ = [
    "REASON_CODES",
    "MentorFeatures",
    "MentorProfile",
    "NewcomerFeatures",
    "NewcomerProfile",
    "Pair",
    "Reason",
    "Scorer",
    "Suggestion",
    "Weights",
    "assign",
    "availability_mask",
    "encode_mentors",
    "encode_newcomers",
    "explain",
    "score_matrix",
    "top_mentors",
    "top_newcomers",
]
