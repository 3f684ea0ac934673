"""Employment outcomes at the close of a match and 3, 6 and 12 months after.

The newcomer answers through their personal link (``flask kit outcomes request`` e-mails it
once per interval when the interval is due); the agency that referred them or a coordinator
may record it too. Time to employment counts the days from the match's start, and from its
close, to the day the newcomer started working.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import render_template
from flask_babel import force_locale
from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session, joinedload

from kit.i18n import gettext as _
from kit.i18n import lazy_gettext as _l
from kit.i18n import template_gettext
from kit.models import (
    Match,
    Newcomer,
    Occupation,
    OutboxMessage,
    Outcome,
    Referral,
    VolunteerProfile,
)
from kit.models.base import utcnow
from kit.models.outcomes import OUTCOME_INTERVALS, OUTCOME_STATUSES
from kit.scheduling.times import add_months
from kit.services.audit import Actor, record
from kit.services.errors import FieldError
from kit.services.outbox import enqueue
from kit.templating import program_name

#: Months after the close at which each interval falls due.
INTERVAL_MONTHS = {"close": 0, "3m": 3, "6m": 6, "12m": 12}
INTERVAL_LABELS = {
    "close": _l("At the close of the match"),
    "3m": _l("3 months after"),
    "6m": _l("6 months after"),
    "12m": _l("12 months after"),
}
STATUS_LABELS = {
    "employed_in_field": _l("Employed in their field"),
    "employed_related": _l("Employed in a related field"),
    "employed_outside": _l("Employed outside their field"),
    "in_school": _l("In school or training"),
    "searching": _l("Looking for work"),
    "unknown": _l("Unknown"),
}
EMPLOYED = ("employed_in_field", "employed_related", "employed_outside")
assert set(STATUS_LABELS) == set(OUTCOME_STATUSES)
assert tuple(INTERVAL_MONTHS) == OUTCOME_INTERVALS


class OutcomeError(FieldError):
    """An outcome the rules refuse; ``field`` names the form field to blame."""


@dataclass(frozen=True)
class OutcomeInput:
    """What the newcomer, the agency or the coordinator reports."""

    status: str
    employed_since: date | None = None
    noc_code: str | None = None


@dataclass(frozen=True)
class IntervalRow:
    """One interval of one closed match: when it is due and what was recorded."""

    match: Match
    interval: str
    due_on: date
    outcome: Outcome | None

    @property
    def days_from_start(self) -> int | None:
        """Days from the match's start to employment (None when not employed)."""
        return time_to_employment(self.outcome, self.match)[0] if self.outcome else None

    @property
    def days_from_close(self) -> int | None:
        """Days from the match's close to employment (negative: hired before it closed)."""
        return time_to_employment(self.outcome, self.match)[1] if self.outcome else None



def closed_on(match: Match) -> date | None:
    """The day a match closed (its planned end when the close time is missing)."""
    if match.status != "closed":
        return None
    return match.closed_at.date() if match.closed_at else match.planned_end_on


def due_on(match: Match, interval: str) -> date | None:
    """When ``interval`` falls due for ``match``; None while the match is not closed."""
    closed = closed_on(match)
    return None if closed is None else add_months(closed, INTERVAL_MONTHS[interval])


def due_intervals(match: Match, today: date) -> list[str]:
    """The intervals of ``match`` that are due by ``today``, in order."""
    return [i for i in OUTCOME_INTERVALS if (d := due_on(match, i)) is not None and d <= today]


def time_to_employment(outcome: Outcome | None, match: Match | None
                       ) -> tuple[int | None, int | None]:
    """(days from the match's start, days from its close) to ``employed_since``."""
    if outcome is None or match is None or outcome.employed_since is None:
        return None, None
    start = match.started_on
    closed = closed_on(match)
    return ((outcome.employed_since - start).days if start else None,
            (outcome.employed_since - closed).days if closed else None)


def record_outcome(db: Session, actor: Actor, newcomer_id: int, match_id: int, interval: str,
                   data: OutcomeInput, today: date | None = None) -> Outcome:
    """Record (or correct) the newcomer's status at ``interval``; flushes, the caller commits."""
    today = today or date.today()
    match = db.get(Match, match_id)
    if match is None or match.newcomer_id != newcomer_id:
        raise OutcomeError("not_found")
    if interval not in OUTCOME_INTERVALS or interval not in due_intervals(match, today):
        raise OutcomeError("not_due", _("This follow-up is not due yet."), "interval")
    if data.status not in OUTCOME_STATUSES:
        raise OutcomeError("status", _("Choose a status."), "status")
    since = data.employed_since if data.status in EMPLOYED else None
    if data.status in EMPLOYED and since is None:
        raise OutcomeError("since", _("Enter the day the job started."), "employed_since")
    if since is not None and since > today:
        raise OutcomeError("since", _("The job's start cannot be in the future."),
                           "employed_since")
    noc = (data.noc_code or "").strip() or None
    if noc is not None and db.scalar(select(Occupation.level).where(
            Occupation.code == noc)) != "unit":
        raise OutcomeError("noc", _("Enter a five-digit NOC 2021 code."), "noc_code")
    outcome = db.scalar(select(Outcome).where(
        Outcome.newcomer_id == newcomer_id, Outcome.match_id == match_id,
        Outcome.interval == interval))
    if outcome is None:
        outcome = Outcome(newcomer_id=newcomer_id, match_id=match_id, interval=interval)
        db.add(outcome)
    outcome.status, outcome.employed_since = data.status, since
    outcome.noc_code = noc if data.status in EMPLOYED else None
    outcome.recorded_at, outcome.actor_kind = utcnow(), actor.kind
    outcome.actor_id = None if actor.id is None else str(actor.id)
    db.flush()
    record(db, actor, "outcome.recorded", "newcomer", newcomer_id,
           {"match": match_id, "interval": interval, "status": data.status})
    return outcome


def _rows(db: Session, matches: Iterable[Match], today: date, *, due_only: bool
          ) -> list[IntervalRow]:
    matches = list(matches)
    outcomes: dict[tuple[int | None, str], Outcome] = {}
    if matches:
        for outcome in db.scalars(select(Outcome).options(joinedload(Outcome.occupation))
                                  .where(Outcome.match_id.in_([m.id for m in matches]))):
            outcomes[(outcome.match_id, outcome.interval)] = outcome
    rows = []
    for match in matches:
        for interval in OUTCOME_INTERVALS:
            due = due_on(match, interval)
            if due is None or (due_only and due > today):
                continue
            rows.append(IntervalRow(match, interval, due, outcomes.get((match.id, interval))))
    return rows


def _closed_matches(newcomer_id: int) -> Any:
    return (select(Match).options(joinedload(Match.volunteer).joinedload(VolunteerProfile.staff))
            .where(Match.newcomer_id == newcomer_id, Match.status == "closed")
            .order_by(Match.closed_at.desc(), Match.id.desc()))


def newcomer_intervals(db: Session, newcomer_id: int, today: date | None = None
                       ) -> list[IntervalRow]:
    """Every interval of the newcomer's closed matches, due ones and the next ones."""
    return _rows(db, db.scalars(_closed_matches(newcomer_id)).unique(), today or date.today(),
                 due_only=False)


def agency_sees(db: Session, agency_id: int | None, newcomer_id: int) -> bool:
    """Whether the agency referred this newcomer (an agency sees only its own newcomers)."""
    return agency_id is not None and bool(db.scalar(select(exists().where(
        Referral.agency_id == agency_id, Referral.newcomer_id == newcomer_id))))


def matched_newcomers(db: Session, page: int, page_size: int, agency_id: int | None = None
                      ) -> tuple[list[tuple[Newcomer, int, int]], int]:
    """Newcomers with a closed match (of ``agency_id``'s referrals when given), by name.

    Each row is (newcomer, closed matches, outcomes recorded); returns (rows, pages).
    """
    closed = (select(Match.newcomer_id, func.count().label("matches"))
              .where(Match.status == "closed").group_by(Match.newcomer_id).subquery())
    recorded = (select(Outcome.newcomer_id, func.count().label("outcomes"))
                .group_by(Outcome.newcomer_id).subquery())
    base = (select(Newcomer, closed.c.matches, func.coalesce(recorded.c.outcomes, 0))
            .join(closed, closed.c.newcomer_id == Newcomer.id)
            .outerjoin(recorded, recorded.c.newcomer_id == Newcomer.id)
            .where(Newcomer.erased_at.is_(None)))
    if agency_id is not None:
        base = base.where(exists().where(Referral.newcomer_id == Newcomer.id,
                                         Referral.agency_id == agency_id))
    total = db.scalar(select(func.count()).select_from(base.subquery())) or 0
    pages = max(1, -(-total // page_size))
    page = min(max(page, 1), pages)
    rows = db.execute(base.order_by(Newcomer.given_name, Newcomer.family_name, Newcomer.id)
                      .limit(page_size).offset((page - 1) * page_size)).all()
    return [(n, int(m), int(o)) for n, m, o in rows], pages


def request_outcomes(db: Session, link_url: Callable[[int], str | None],
                     today: date | None = None) -> int:
    """E-mail each newcomer whose latest due interval has no outcome yet, once per interval.

    ``link_url`` gives a personal link (for a newcomer id) to their outcome page. Returns how
    many e-mails were queued; the caller commits. Intervals passed over (a later one is due)
    are not asked any more: the form still offers them.
    """
    today = today or date.today()
    recorded = set(db.execute(select(Outcome.match_id, Outcome.interval)))
    matches = db.scalars(select(Match).options(joinedload(Match.newcomer))
                         .where(Match.status == "closed").order_by(Match.id))
    queued = 0
    for match in matches:
        due = due_intervals(match, today)
        newcomer = match.newcomer
        if not due or (match.id, due[-1]) in recorded or newcomer.erased_at is not None:
            continue
        interval = due[-1]
        key = f"outcome:{match.id}:{interval}"
        # Checked before a personal link is issued for an e-mail that would not be queued.
        if db.scalar(select(exists().where(OutboxMessage.dedupe_key == key))):
            continue
        locale = newcomer.preferred_locale or "en"
        with force_locale(locale):
            subject = _("Where are you in your job search? A two-minute follow-up")
            body = render_template("kit/email/outcome_request.txt", _=template_gettext,
                                   name=newcomer.display_name, url=link_url(newcomer.id),
                                   program=program_name(locale),
                                   interval=str(INTERVAL_LABELS[interval]))
        if enqueue(db, recipient=newcomer.email, recipient_name=newcomer.display_name,
                   subject=subject, body_text=body, locale=locale, dedupe_key=key):
            queued += 1
    return queued
