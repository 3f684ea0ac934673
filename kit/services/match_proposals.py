"""Proposing matches: the coordinator's pins and exclusions, and publishing chosen pairs.

Publishing creates "proposed" matches for exactly the pairs the coordinator saw and posted,
each checked again under row locks: a place may have been taken, the newcomer matched or a rule
added since the page was shown.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from kit.matching import Weights, explain
from kit.models import Match, MatchPairRule, Newcomer, Referral, VolunteerProfile
from kit.models.matches import MATCH_OPEN_STATUSES
from kit.services.audit import Actor, record
from kit.services.match_notices import notify_proposed
from kit.services.matches import MatchError, add_history
from kit.services.matching import (
    configured_weights,
    load_mentors,
    load_newcomers,
    open_counts,
    pair_rules,
)


def set_pair_rule(db: Session, actor: Actor, volunteer_id: int, newcomer_id: int, kind: str,
                  cohort_id: int | None = None) -> MatchPairRule:
    """Pin a pair (always assigned by the batch) or exclude it (never proposed).

    A pair has one rule: a new one replaces the old. A newcomer has at most one pinned mentor:
    pinning another replaces the earlier pin.
    """
    if kind not in ("pin", "exclude"):
        raise MatchError("invalid_rule")
    if db.get(VolunteerProfile, volunteer_id) is None or db.get(Newcomer, newcomer_id) is None:
        raise MatchError("not_found")
    rule = db.scalar(select(MatchPairRule).where(MatchPairRule.volunteer_id == volunteer_id,
                                                 MatchPairRule.newcomer_id == newcomer_id)
                     .with_for_update())
    if kind == "pin":
        for other in db.scalars(select(MatchPairRule).where(
                MatchPairRule.newcomer_id == newcomer_id, MatchPairRule.kind == "pin",
                MatchPairRule.volunteer_id != volunteer_id)):
            db.delete(other)
    if rule is None:
        rule = MatchPairRule(volunteer_id=volunteer_id, newcomer_id=newcomer_id)
        db.add(rule)
    rule.kind = kind
    rule.cohort_id = cohort_id if kind == "pin" else None
    rule.created_by_id = actor.id if actor.kind == "staff" else None
    db.flush()
    record(db, actor, f"match_rule.{kind}", "match_rule", rule.id,
           {"volunteer_id": volunteer_id, "newcomer_id": newcomer_id, "cohort_id": cohort_id})
    return rule


def remove_pair_rule(db: Session, actor: Actor, rule_id: int) -> None:
    """Drop a pin or an exclusion."""
    rule = db.get(MatchPairRule, rule_id)
    if rule is None:
        raise MatchError("not_found")
    record(db, actor, "match_rule.removed", "match_rule", rule.id,
           {"kind": rule.kind, "volunteer_id": rule.volunteer_id,
            "newcomer_id": rule.newcomer_id})
    db.delete(rule)
    db.flush()


@dataclass
class PublishResult:
    """Matches created, and the pairs refused with the reason code of each."""

    created: list[Match] = field(default_factory=list)
    refused: list[tuple[int, int, str]] = field(default_factory=list)


def _refusal(volunteer: VolunteerProfile | None, newcomer: Newcomer | None,
             places: dict[int, int], matched: set[int], rules: dict[tuple[int, int], str],
             declined: set[tuple[int, int]]) -> str | None:
    if volunteer is None or newcomer is None or newcomer.is_erased:
        return "not_found"
    if (volunteer.status != "approved" or not volunteer.staff.is_active
            or volunteer.manager_approval == "declined"):
        return "mentor_unavailable"
    if places[volunteer.id] <= 0:
        return "mentor_full"
    if newcomer.id in matched:
        return "newcomer_matched"
    if rules.get((volunteer.id, newcomer.id)) == "exclude":
        return "pair_excluded"
    if (volunteer.id, newcomer.id) in declined:
        return "declined_before"
    return None


def publish(db: Session, actor: Actor, pairs: Iterable[tuple[int, int]],
            cohort_id: int | None = None, weights: Weights | None = None) -> PublishResult:
    """Propose the (volunteer id, newcomer id) pairs the coordinator saw and posted.

    Each pair is checked again with the mentor's and the newcomer's rows locked: the mentor
    is still approved with a place left, the newcomer still has no open match, the pair is
    neither excluded nor declined before. Valid pairs become "proposed" matches with their
    score, and the mentor is asked by e-mail; the others are returned with a reason code.
    """
    wanted = list(dict.fromkeys((int(v), int(n)) for v, n in pairs))
    result = PublishResult()
    if not wanted:
        return result
    v_ids = sorted({v for v, _ in wanted})
    n_ids = sorted({n for _, n in wanted})
    # Lock in id order (volunteers, then newcomers) so two publishers cannot deadlock.
    volunteers = {p.id: p for p in db.scalars(select(VolunteerProfile).where(
        VolunteerProfile.id.in_(v_ids)).order_by(VolunteerProfile.id).with_for_update())}
    newcomers = {n.id: n for n in db.scalars(select(Newcomer).where(
        Newcomer.id.in_(n_ids)).order_by(Newcomer.id).with_for_update())}
    counts = open_counts(db, v_ids)
    matched = set(db.scalars(select(Match.newcomer_id).where(
        Match.newcomer_id.in_(n_ids), Match.status.in_(MATCH_OPEN_STATUSES))))
    places = {v: p.capacity - counts.get(v, 0) for v, p in volunteers.items()}
    declined, rule_rows = pair_rules(db, v_ids, n_ids)
    rules = {(r.volunteer_id, r.newcomer_id): r.kind for r in rule_rows}
    declined_pairs = {(v, n) for n, v in declined}
    # Proposed from the suggestions (no cohort given), a pair joins the newcomer's cohort, so
    # its planned end, target hours and the reports filtered by cohort include it.
    cohorts = cohort_id_by_newcomer(db, n_ids) if cohort_id is None else {}
    mentors = load_mentors(db, v_ids)
    profiles = dict(zip((p.id for p in mentors[0]), mentors[0], strict=True))
    newcomer_profiles = {p.id: p for p in load_newcomers(db, newcomer_ids=n_ids)[0]}
    w = weights or configured_weights()
    for volunteer_id, newcomer_id in wanted:
        volunteer, newcomer = volunteers.get(volunteer_id), newcomers.get(newcomer_id)
        refusal = _refusal(volunteer, newcomer, places, matched, rules, declined_pairs)
        if refusal is not None:
            result.refused.append((volunteer_id, newcomer_id, refusal))
            continue
        assert volunteer is not None and newcomer is not None
        score = sum(r.contribution for r in explain(newcomer_profiles[newcomer_id],
                                                     profiles[volunteer_id], w))
        pair_cohort = cohort_id if cohort_id is not None else cohorts.get(newcomer_id)
        match = Match(volunteer_id=volunteer_id, newcomer_id=newcomer_id, status="proposed",
                      score=round(score, 4), cohort_id=pair_cohort,
                      proposed_by_id=actor.id if actor.kind == "staff" else None)
        db.add(match)
        db.flush()
        add_history(db, match, None, "proposed", actor)
        record(db, actor, "match.proposed", "match", match.id,
               {"volunteer_id": volunteer_id, "newcomer_id": newcomer_id,
                "score": match.score, "cohort_id": pair_cohort})
        places[volunteer_id] -= 1
        matched.add(newcomer_id)
        notify_proposed(db, match)
        result.created.append(match)
    db.flush()
    return result


def cohort_id_by_newcomer(db: Session, newcomer_ids: Iterable[int]) -> dict[int, int]:
    """The cohort of each newcomer's accepted referral (the latest decision wins)."""
    rows = db.execute(
        select(Referral.newcomer_id, Referral.cohort_id)
        .where(Referral.newcomer_id.in_(list(newcomer_ids)), Referral.status == "accepted",
               Referral.cohort_id.is_not(None))
        .order_by(Referral.decided_at, Referral.id))
    return {newcomer_id: cohort for newcomer_id, cohort in rows}


def propose(db: Session, actor: Actor, volunteer_id: int, newcomer_id: int,
            cohort_id: int | None = None) -> Match:
    """Propose one pair (from the suggestions); raises :class:`MatchError` when it is refused."""
    result = publish(db, actor, [(volunteer_id, newcomer_id)], cohort_id)
    if result.refused:
        raise MatchError(result.refused[0][2])
    return result.created[0]
