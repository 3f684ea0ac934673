"""The program admin's eligibility settings: each criterion on or off, with its parameters.

The rules start from the Ottawa program's defaults (:mod:`kit.eligibility`); what the admin
saves is stored per criterion in ``kit_eligibility_rule`` and applies to every referral
evaluated afterwards (earlier results stay as they were when the referral was submitted).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kit.eligibility import CRITERIA, DEFAULT_PARAMETERS, RuleSetting, merge_rules
from kit.models import EligibilityRule, StaffMember
from kit.models.newcomers import IMMIGRATION_STATUSES
from kit.services.audit import Actor, record

MAX_AREAS = 200
MAX_AREA_LENGTH = 100
_COUNTRY = re.compile(r"^[A-Z]{2}$")


class SettingsError(ValueError):
    """A parameter the kit cannot use; ``criterion`` and ``code`` say which and why."""

    def __init__(self, criterion: str, code: str) -> None:
        super().__init__(f"{criterion}: {code}")
        self.criterion = criterion
        self.code = code


@dataclass(frozen=True)
class RuleView:
    """One criterion as it stands, beside the program's default, for the settings page."""

    criterion: str
    enabled: bool
    parameters: Mapping[str, Any]
    defaults: Mapping[str, Any]
    updated_at: datetime | None
    updated_by: str | None

    @property
    def changed(self) -> bool:
        """Whether the admin changed this criterion from the default."""
        return not self.enabled or dict(self.parameters) != dict(self.defaults)


def current_rules(db: Session) -> list[RuleView]:
    """Every criterion in the canonical order: what applies now, the default, who changed it."""
    stored = {rule.criterion: rule for rule in db.scalars(select(EligibilityRule))}
    merged = merge_rules(RuleSetting(r.criterion, r.enabled, r.parameters or {})
                         for r in stored.values())
    views = []
    for rule in merged:
        row = stored.get(rule.criterion)
        who = db.get(StaffMember, row.updated_by_id) if row and row.updated_by_id else None
        views.append(RuleView(rule.criterion, rule.enabled, dict(rule.parameters),
                              DEFAULT_PARAMETERS[rule.criterion],
                              row.updated_at if row else None, who.display_name if who else None))
    return views


def clean_parameters(criterion: str, parameters: Mapping[str, Any]) -> dict[str, Any]:
    """The parameters of ``criterion`` checked and normalised; raises SettingsError."""
    if criterion == "immigration_status":
        allowed = list(dict.fromkeys(parameters.get("allowed") or ()))
        if not allowed:
            raise SettingsError(criterion, "none_allowed")
        if set(allowed) - set(IMMIGRATION_STATUSES):
            raise SettingsError(criterion, "unknown_status")
        return {"allowed": [code for code in IMMIGRATION_STATUSES if code in allowed]}
    if criterion == "education_abroad":
        country = str(parameters.get("home_country") or "").strip().upper()
        if not _COUNTRY.match(country):
            raise SettingsError(criterion, "bad_country")
        return {"home_country": country}
    if criterion == "language_level":
        minimum = parameters.get("minimum")
        if isinstance(minimum, bool) or not isinstance(minimum, int) or not 1 <= minimum <= 12:
            raise SettingsError(criterion, "bad_level")
        return {"minimum": minimum}
    if criterion == "residence":
        areas = list(dict.fromkeys(
            " ".join(str(area).split()) for area in parameters.get("areas") or ()
            if str(area).strip()))
        if len(areas) > MAX_AREAS:
            raise SettingsError(criterion, "too_many_areas")
        if any(len(area) > MAX_AREA_LENGTH for area in areas):
            raise SettingsError(criterion, "area_too_long")
        return {"areas": areas}
    if criterion == "job_search_workshop":
        return {}
    raise SettingsError(criterion, "unknown_criterion")


def save_rules(db: Session, actor: Actor, settings: Mapping[str, RuleSetting]) -> list[str]:
    """Store the admin's settings (one per criterion, upserted); returns the criteria changed.

    Every parameter is checked first, so an error saves nothing. Flushes; the caller commits.
    One audit event lists what changed (settings only: no personal data here).
    """
    cleaned = {code: (bool(setting.enabled), clean_parameters(code, setting.parameters))
               for code, setting in settings.items()}
    if set(cleaned) - set(CRITERIA):
        raise SettingsError(sorted(set(cleaned) - set(CRITERIA))[0], "unknown_criterion")
    before = {view.criterion: view for view in current_rules(db)}
    # Locking the rows makes two admins saving at once take turns instead of mixing settings.
    rows = {row.criterion: row for row in db.scalars(
        select(EligibilityRule).where(EligibilityRule.criterion.in_(list(cleaned)))
        .with_for_update())}
    changed: dict[str, dict[str, Any]] = {}
    for code in CRITERIA:
        if code not in cleaned:
            continue
        enabled, parameters = cleaned[code]
        old = before[code]
        if enabled == old.enabled and parameters == dict(old.parameters):
            continue
        row = rows.get(code) or EligibilityRule(criterion=code)
        row.enabled, row.parameters = enabled, parameters
        row.updated_by_id = actor.id if actor.kind == "staff" else None
        db.add(row)
        changed[code] = {"enabled": enabled, "parameters": parameters}
    if changed:
        record(db, actor, "eligibility.updated", "eligibility_rules", "program", changed)
    db.flush()
    return list(changed)
