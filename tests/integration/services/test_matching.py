"""Matching from the database: suggestions, batch assignment with rules, publishing."""

from __future__ import annotations

import pytest

from kit.models import (
    AvailabilityWindow,
    Match,
    MatchPairRule,
    OutboxMessage,
    VolunteerLanguage,
)
from kit.services.audit import Actor
from kit.services.match_proposals import (
    propose,
    publish,
    remove_pair_rule,
    set_pair_rule,
)
from kit.services.matches import MatchError
from kit.services.matching import (
    goal_tokens,
    load_mentors,
    load_newcomers,
    run_batch,
    suggest_mentors,
    suggest_newcomers,
)


@pytest.fixture
def program(factory, db):
    """Two civil engineers (one speaks French), one accountant; three newcomers in a cohort."""
    factory.occupation("21300", "Civil engineers")
    factory.occupation("11100", "Financial auditors and accountants",
                       "Vérificateurs/vérificatrices et comptables")
    coordinator = factory.staff("Coordinator", roles=("coordinator",))
    cohort = factory.cohort()
    civil = factory.volunteer(factory.staff("Marie Tremblay"), noc_code="21300", capacity=1)
    civil_fr = factory.volunteer(factory.staff("Jean Roy"), noc_code="21300", capacity=1)
    db.add(VolunteerLanguage(volunteer_id=civil_fr.id, language="fr"))
    db.add(AvailabilityWindow(volunteer_id=civil_fr.id, weekday=1, start_minute=540,
                              end_minute=780))
    accountant = factory.volunteer(factory.staff("Ken Ito"), noc_code="11100", capacity=2)
    lan = factory.accepted_newcomer("Lan", cohort, languages=("fr", "vi"),
                                    preferred_locale="fr", target_noc_code="21300")
    db.add(AvailabilityWindow(newcomer_id=lan.id, weekday=1, start_minute=600,
                              end_minute=840))
    omar = factory.accepted_newcomer("Omar", cohort, target_noc_code="21300")
    priya = factory.accepted_newcomer("Priya", cohort, target_noc_code="11100")
    db.commit()
    return {"coordinator": coordinator, "cohort": cohort, "civil": civil, "civil_fr": civil_fr,
            "accountant": accountant, "lan": lan, "omar": omar, "priya": priya}


def staff_actor(program) -> Actor:
    return Actor("staff", program["coordinator"].id)


def test_goal_tokens_keep_the_words_that_can_match() -> None:
    assert goal_tokens("Design bridges again, in Génie civil!") == {
        "design", "bridges", "genie", "civil"}
    assert goal_tokens(None) == frozenset()


def test_only_approved_mentors_with_a_place_and_unmatched_accepted_newcomers_load(
        factory, db, program) -> None:
    factory.volunteer(factory.staff("Pending"), status="pending")
    declined = factory.volunteer(factory.staff("Busy team"), manager_approval="declined")
    factory.match(program["accountant"], factory.accepted_newcomer("Matched"), status="active")
    factory.newcomer("Not accepted")
    db.commit()
    profiles, cards = load_mentors(db)
    assert [c.name for c in cards] == ["Marie Tremblay", "Jean Roy", "Ken Ito"]
    assert [c.free for c in cards] == [1, 1, 1]
    assert declined.id not in {p.id for p in profiles}
    assert {c.name for c in load_newcomers(db)[1]} == {"Lan Lan", "Omar Lan", "Priya Lan"}
    assert {c.name for c in load_newcomers(db, program["cohort"].id)[1]} == {
        "Lan Lan", "Omar Lan", "Priya Lan"}


def test_suggestions_for_a_newcomer_rank_the_same_occupation_and_french_first(db,
                                                                              program) -> None:
    pairs = suggest_mentors(db, program["lan"].id)
    assert [p.mentor.name for p in pairs] == ["Jean Roy", "Marie Tremblay", "Ken Ito"]
    best = pairs[0]
    codes = [r.code for r in best.reasons]
    assert codes[0] == "same_unit_group"
    assert {"both_french", "shared_language", "availability_overlap"} <= set(codes)
    assert best.score == pytest.approx(sum(r.contribution for r in best.reasons), rel=1e-4)
    assert pairs[0].score > pairs[1].score > pairs[2].score


def test_suggestions_leave_out_full_mentors_excluded_and_declined_pairs(factory, db,
                                                                         program) -> None:
    factory.match(program["civil"], program["omar"], status="declined")
    set_pair_rule(db, staff_actor(program), program["civil_fr"].id, program["lan"].id,
                  "exclude")
    factory.match(program["accountant"], factory.newcomer("A"), status="active")
    factory.match(program["accountant"], factory.newcomer("B"), status="proposed")
    db.commit()
    assert [p.mentor.name for p in suggest_mentors(db, program["lan"].id)] == ["Marie Tremblay"]
    assert [p.mentor.name for p in suggest_mentors(db, program["omar"].id)] == ["Jean Roy"]
    assert suggest_mentors(db, program["omar"].id, min_score=100) == []


def test_suggestions_for_a_mentor(db, program) -> None:
    card, pairs = suggest_newcomers(db, program["accountant"].id)
    assert card.name == "Ken Ito" and card.free == 2
    assert pairs[0].newcomer.name == "Priya Lan"
    with pytest.raises(MatchError):
        suggest_newcomers(db, 999_999)


def test_the_batch_maximises_the_total_under_capacities(db, program) -> None:
    result = run_batch(db, program["cohort"].id)
    assigned = {(p.newcomer.name, p.mentor.name) for p in result.pairs}
    assert assigned == {("Lan Lan", "Jean Roy"), ("Omar Lan", "Marie Tremblay"),
                        ("Priya Lan", "Ken Ito")}
    assert result.unmatched == []
    assert result.total == pytest.approx(sum(p.score for p in result.pairs))


def test_the_batch_honours_pins_exclusions_and_declined_pairs(factory, db, program) -> None:
    actor = staff_actor(program)
    set_pair_rule(db, actor, program["civil"].id, program["lan"].id, "pin",
                  program["cohort"].id)
    set_pair_rule(db, actor, program["accountant"].id, program["priya"].id, "exclude")
    factory.match(program["civil_fr"], program["omar"], status="declined")
    db.commit()
    result = run_batch(db, program["cohort"].id)
    assigned = {(p.newcomer.name, p.mentor.name): p.pinned for p in result.pairs}
    # Lan is pinned to a mentor who does not speak French; the rest take what is left.
    assert assigned == {("Lan Lan", "Marie Tremblay"): True, ("Omar Lan", "Ken Ito"): False,
                        ("Priya Lan", "Jean Roy"): False}
    assert {r.kind for r in result.rules} == {"pin", "exclude"}

    # Pinning replaces the exclusion of the same pair; removing a rule frees the pair.
    rule = set_pair_rule(db, actor, program["accountant"].id, program["priya"].id, "pin")
    remove_pair_rule(db, actor, rule.id)
    db.commit()
    result = run_batch(db, program["cohort"].id)
    assert ("Priya Lan", "Ken Ito") in {(p.newcomer.name, p.mentor.name) for p in result.pairs}


def test_a_newcomer_keeps_one_pin(db, program) -> None:
    actor = staff_actor(program)
    set_pair_rule(db, actor, program["civil"].id, program["lan"].id, "pin")
    set_pair_rule(db, actor, program["civil_fr"].id, program["lan"].id, "pin")
    db.commit()
    pins = db.query(MatchPairRule).filter_by(newcomer_id=program["lan"].id).all()
    assert [(p.volunteer_id, p.kind) for p in pins] == [(program["civil_fr"].id, "pin")]
    with pytest.raises(MatchError):
        set_pair_rule(db, actor, program["civil"].id, program["lan"].id, "maybe")


def test_a_pin_that_can_no_longer_hold_is_reported_not_fatal(factory, db, program) -> None:
    set_pair_rule(db, staff_actor(program), program["civil"].id, program["lan"].id, "pin")
    factory.match(program["civil"], factory.newcomer("Earlier"), status="active")
    db.commit()
    result = run_batch(db, program["cohort"].id)
    assert [r.newcomer_id for r in result.ignored_pins] == [program["lan"].id]
    assert "Marie Tremblay" not in {p.mentor.name for p in result.pairs}


def test_the_minimum_score_leaves_weak_pairs_unassigned(db, program) -> None:
    result = run_batch(db, program["cohort"].id, min_score=4.5)
    assert {p.newcomer.name for p in result.pairs} <= {"Lan Lan", "Omar Lan", "Priya Lan"}
    assert all(p.score >= 4.5 for p in result.pairs)


def test_publish_proposes_exactly_the_posted_pairs_and_asks_the_mentors(db, program) -> None:
    result = publish(db, staff_actor(program), [
        (program["civil_fr"].id, program["lan"].id), (program["civil"].id, program["omar"].id)],
        program["cohort"].id)
    db.commit()
    assert len(result.created) == 2 and result.refused == []
    match = result.created[0]
    assert (match.status, match.cohort_id, match.proposed_by_id) == (
        "proposed", program["cohort"].id, program["coordinator"].id)
    assert match.score > 0
    assert [c.to_status for c in match.status_changes] == ["proposed"]
    assert db.query(OutboxMessage).count() == 2


def test_a_pair_proposed_from_the_suggestions_joins_the_newcomers_cohort(factory, db,
                                                                        program) -> None:
    match = propose(db, staff_actor(program), program["civil"].id, program["omar"].id)
    assert match.cohort_id == program["cohort"].id
    stray = factory.accepted_newcomer("Stray", target_noc_code="21300")  # in no cohort
    db.commit()
    assert propose(db, staff_actor(program), program["accountant"].id,
                   stray.id).cohort_id is None


def test_publish_checks_every_pair_again(factory, db, program) -> None:
    actor = staff_actor(program)
    factory.match(program["civil"], factory.newcomer("Meanwhile"), status="proposed")
    factory.match(program["accountant"], program["priya"], status="declined")
    set_pair_rule(db, actor, program["civil_fr"].id, program["omar"].id, "exclude")
    program["civil_fr"].status = "paused"
    db.commit()
    other = factory.volunteer(factory.staff("Ana"), noc_code="21300", capacity=1)
    db.commit()
    result = publish(db, actor, [
        (program["civil"].id, program["lan"].id),          # no place left
        (program["civil_fr"].id, program["lan"].id),       # paused
        (program["accountant"].id, program["priya"].id),   # declined before
        (other.id, program["lan"].id),                     # fine
        (program["accountant"].id, program["lan"].id),     # Lan is matched just before
        (999_999, program["omar"].id),                     # gone
    ])
    assert [(m.volunteer_id, m.newcomer_id) for m in result.created] == [
        (other.id, program["lan"].id)]
    assert [code for *_, code in result.refused] == [
        "mentor_full", "mentor_unavailable", "declined_before", "newcomer_matched",
        "not_found"]
    set_pair_rule(db, actor, other.id, program["omar"].id, "exclude")
    with pytest.raises(MatchError) as refused:
        propose(db, actor, other.id, program["omar"].id)
    assert refused.value.code in ("mentor_full", "pair_excluded")


def test_an_excluded_pair_is_not_published(factory, db, program) -> None:
    actor = staff_actor(program)
    set_pair_rule(db, actor, program["accountant"].id, program["priya"].id, "exclude")
    with pytest.raises(MatchError) as refused:
        propose(db, actor, program["accountant"].id, program["priya"].id)
    assert refused.value.code == "pair_excluded"
    assert db.query(Match).count() == 0
