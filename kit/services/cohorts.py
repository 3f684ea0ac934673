"""Cohorts: the coordinator sets up program cycles, closes and reopens them, and says which
cohort an accepted newcomer belongs to.

An accepted newcomer joins a cohort when the coordinator accepts the referral (the cohort of
that day by default, see :func:`default_cohort`); the cohort's batch matching then includes
them. Until a mentor is proposed, the coordinator may move them to another open cohort or take
them out of any. Each change is one audit event; functions flush and the caller commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum
from typing import Any, Literal
from zoneinfo import ZoneInfo

from flask import has_app_context
from sqlalchemy import case, exists, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kit.i18n import gettext as _
from kit.models import Cohort, Match, Newcomer, Referral
from kit.models.base import utcnow
from kit.models.matches import MATCH_OPEN_STATUSES
from kit.services.audit import Actor, record
from kit.services.errors import FieldError
from kit.state import get_state

NAME_MAX = 100
#: The most hours a match may aim at: a year of two hours a week is about 100.
MAX_TARGET_HOURS = Decimal(500)
_CENTS = Decimal("0.01")


class _Unset(Enum):
    DEFAULT = "default"


#: ``cohort_id`` of a decision when the caller says nothing: the cohort of the decision day.
DEFAULT_COHORT: Literal[_Unset.DEFAULT] = _Unset.DEFAULT
#: What a caller may pass as a referral's cohort: an id, None (no cohort yet), or the default.
CohortChoice = int | None | Literal[_Unset.DEFAULT]


class CohortError(FieldError):
    """A cohort change the rules refuse; ``field`` names the form field to blame."""


@dataclass(frozen=True)
class CohortInput:
    """What the coordinator types for a cohort."""

    name: str
    starts_on: date | None
    ends_on: date | None
    target_hours: Decimal | None


@dataclass(frozen=True)
class CohortRow:
    """A cohort as a row of the coordinator's list, with its newcomers and matches counted."""

    id: int
    name: str
    starts_on: date
    ends_on: date
    target_hours: Decimal
    is_open: bool
    newcomers: int  # accepted into the cohort
    waiting: int  # of those, without a mentor proposed or active: the batch's newcomers
    matches: int  # proposed, accepted, active or closed (declined ones aside)


def program_day(instant: datetime | None = None) -> date:
    """The day ``instant`` (now by default) falls on at the employer (``KIT_TIMEZONE``)."""
    zone = get_state().config["KIT_TIMEZONE"] if has_app_context() else "UTC"
    return (instant or utcnow()).astimezone(ZoneInfo(zone)).date()


def _open_match() -> Any:
    return exists().where(Match.newcomer_id == Referral.newcomer_id,
                          Match.status.in_(MATCH_OPEN_STATUSES))


def list_cohorts(db: Session) -> list[CohortRow]:
    """Every cohort, the latest first, with its counts (one statement whatever the size)."""
    accepted = (
        select(Referral.cohort_id,
               func.count(func.distinct(Referral.newcomer_id)).label("newcomers"),
               func.count(func.distinct(case((~_open_match(), Referral.newcomer_id))))
               .label("waiting"))
        .join(Newcomer, Newcomer.id == Referral.newcomer_id)
        .where(Referral.status == "accepted", Referral.cohort_id.is_not(None),
               Newcomer.erased_at.is_(None))
        .group_by(Referral.cohort_id).subquery())
    matches = (select(Match.cohort_id, func.count().label("matches"))
               .where(Match.cohort_id.is_not(None), Match.status != "declined")
               .group_by(Match.cohort_id).subquery())
    rows = db.execute(
        select(Cohort, func.coalesce(accepted.c.newcomers, 0),
               func.coalesce(accepted.c.waiting, 0), func.coalesce(matches.c.matches, 0))
        .outerjoin(accepted, accepted.c.cohort_id == Cohort.id)
        .outerjoin(matches, matches.c.cohort_id == Cohort.id)
        .order_by(Cohort.starts_on.desc(), Cohort.id.desc())).all()
    return [CohortRow(c.id, c.name, c.starts_on, c.ends_on, c.target_hours, c.is_open,
                      newcomers, waiting, count) for c, newcomers, waiting, count in rows]


def open_cohorts(db: Session) -> list[Cohort]:
    """Cohorts that take newcomers, in the order they start (for the coordinator's choices)."""
    return list(db.scalars(select(Cohort).where(Cohort.is_open)
                           .order_by(Cohort.starts_on, Cohort.id)))


def default_cohort(db: Session, day: date) -> Cohort | None:
    """The cohort a newcomer accepted on ``day`` joins unless the coordinator says otherwise.

    The open cohort running on ``day`` (of several, the one that started last: it has the most
    time left), else the open cohort starting soonest after it, else None.
    """
    candidates = db.scalars(select(Cohort).where(Cohort.is_open, Cohort.ends_on >= day))
    running, coming = [], []
    for cohort in candidates:
        (running if cohort.starts_on <= day else coming).append(cohort)
    if running:
        return max(running, key=lambda c: (c.starts_on, c.id))
    return min(coming, key=lambda c: (c.starts_on, c.id)) if coming else None


def get_cohort(db: Session, cohort_id: int) -> Cohort:
    """One cohort; CohortError('not_found')."""
    cohort = db.get(Cohort, cohort_id)
    if cohort is None:
        raise CohortError("not_found")
    return cohort


def _checked(db: Session, data: CohortInput, cohort_id: int | None) -> dict[str, Any]:
    name = " ".join((data.name or "").split())
    if not name:
        raise CohortError("name_required", _("Enter the cohort's name, such as Fall 2027."),
                          "name")
    if len(name) > NAME_MAX:
        raise CohortError("name_too_long", _("A cohort's name has at most 100 characters."),
                          "name")
    if data.starts_on is None:
        raise CohortError("start_required", _("Enter the cohort's first day."), "starts_on")
    if data.ends_on is None:
        raise CohortError("end_required", _("Enter the cohort's last day."), "ends_on")
    if data.ends_on <= data.starts_on:
        raise CohortError("dates_order", _("The last day comes after the first day."),
                          "ends_on")
    if data.target_hours is None or not data.target_hours.is_finite() or data.target_hours <= 0:
        raise CohortError("target_not_positive", _("Enter more than 0 hours."), "target_hours")
    hours = data.target_hours.quantize(_CENTS, ROUND_HALF_UP)
    if hours > MAX_TARGET_HOURS:
        raise CohortError("target_too_high", _("A match aims at %(hours)s hours at most.",
                                               hours=MAX_TARGET_HOURS), "target_hours")
    same_name = select(Cohort.id).where(func.lower(Cohort.name) == name.lower())
    if cohort_id is not None:
        same_name = same_name.where(Cohort.id != cohort_id)
    if db.scalar(same_name.limit(1)) is not None:
        raise _name_taken()
    return {"name": name, "starts_on": data.starts_on, "ends_on": data.ends_on,
            "target_hours": hours}


def _name_taken() -> CohortError:
    return CohortError("name_taken", _("Another cohort already has this name."), "name")


def _flush(db: Session) -> None:
    # Two coordinators naming two cohorts alike at once: the database's unique name decides.
    try:
        with db.begin_nested():
            db.flush()
    except IntegrityError:
        raise _name_taken() from None


def _plain(values: dict[str, Any]) -> dict[str, Any]:
    return {key: value.isoformat() if isinstance(value, date) else
            str(value) if isinstance(value, Decimal) else value
            for key, value in values.items()}


def create_cohort(db: Session, actor: Actor, data: CohortInput) -> Cohort:
    """A new open cohort; CohortError with the field to blame when the input is refused."""
    values = _checked(db, data, None)
    cohort = Cohort(**values, is_open=True)
    db.add(cohort)
    _flush(db)
    record(db, actor, "cohort.created", "cohort", cohort.id, _plain(values))
    return cohort


def update_cohort(db: Session, actor: Actor, cohort_id: int, data: CohortInput) -> Cohort:
    """Change a cohort's name, dates or target hours.

    Matches already under way keep the end date and target they started with.
    """
    cohort = db.scalar(select(Cohort).where(Cohort.id == cohort_id).with_for_update())
    if cohort is None:
        raise CohortError("not_found")
    values = _checked(db, data, cohort_id)
    before = {key: getattr(cohort, key) for key in values}
    changed = {key for key, value in values.items() if before[key] != value}
    if not changed:
        return cohort
    for key in changed:
        setattr(cohort, key, values[key])
    _flush(db)
    record(db, actor, "cohort.updated", "cohort", cohort.id, {
        "before": _plain({key: before[key] for key in sorted(changed)}),
        "after": _plain({key: values[key] for key in sorted(changed)})})
    return cohort


def set_cohort_open(db: Session, actor: Actor, cohort_id: int, is_open: bool) -> Cohort:
    """Close a cohort (no newcomer joins it any more) or reopen it; nothing else changes.

    Its newcomers, matches and batch matching stay as they are.
    """
    cohort = db.scalar(select(Cohort).where(Cohort.id == cohort_id).with_for_update())
    if cohort is None:
        raise CohortError("not_found")
    if cohort.is_open != is_open:
        cohort.is_open = is_open
        record(db, actor, "cohort.reopened" if is_open else "cohort.closed", "cohort",
               cohort.id, {"name": cohort.name})
        db.flush()
    return cohort


def require_open(db: Session, cohort_id: int) -> Cohort | None:
    """The open cohort ``cohort_id``, or None when it does not exist or is closed."""
    cohort = db.get(Cohort, cohort_id)
    return cohort if cohort is not None and cohort.is_open else None


def can_change_cohort(db: Session, referral: Referral) -> bool:
    """Whether the referral's newcomer may change cohort: accepted, no mentor proposed yet."""
    if referral.status != "accepted":
        return False
    return not db.scalar(select(exists().where(
        Match.newcomer_id == referral.newcomer_id, Match.status.in_(MATCH_OPEN_STATUSES))))


def move_referral(db: Session, actor: Actor, referral_id: int, cohort_id: int | None
                  ) -> Referral:
    """Put an accepted newcomer in another open cohort, or in none (``cohort_id`` None).

    Refused once a mentor is proposed or active: the match belongs to its cohort.
    """
    referral = db.scalar(select(Referral).where(Referral.id == referral_id).with_for_update())
    if referral is None:
        raise CohortError("not_found")
    if referral.status != "accepted":
        raise CohortError("not_accepted", _("Only an accepted newcomer joins a cohort."),
                          "cohort")
    if not can_change_cohort(db, referral):
        raise CohortError("has_open_match", _(
            "A mentor is already proposed to this newcomer or matched with them: their cohort "
            "stays as it is."), "cohort")
    before = referral.cohort_id
    if before == cohort_id:
        return referral  # staying where they are, even in a cohort closed meanwhile
    if cohort_id is not None and require_open(db, cohort_id) is None:
        raise CohortError("cohort_unavailable", _("Choose one of the open cohorts."), "cohort")
    referral.cohort_id = cohort_id
    record(db, actor, "referral.cohort_changed", "referral", referral.id,
           {"from_cohort_id": before, "to_cohort_id": cohort_id})
    db.flush()
    return referral
