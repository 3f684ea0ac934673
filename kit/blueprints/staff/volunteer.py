"""The employee's offer to mentor: make it, change it, pause, resume or withdraw it."""

from __future__ import annotations

from datetime import time
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from kit.auth.identity import actor_of
from kit.auth.permissions import requires, signed_in
from kit.blueprints.agency.display import occupation_title
from kit.blueprints.staff.forms import WINDOW_ROWS, ButtonForm, VolunteerForm
from kit.db import db_session
from kit.i18n import current_locale
from kit.i18n import gettext as _
from kit.models import StaffMember, VolunteerProfile
from kit.reference.naics import naics_sectors
from kit.reference.noc import load_noc_index
from kit.services.manager_approval import request_approval
from kit.services.volunteers import (
    VolunteerError,
    is_repeat_mentor,
    pause_offer,
    profile_of,
    resume_offer,
    save_offer,
    withdraw_offer,
)
from kit.state import get_state
from kit.web import occupation_search


def register(bp: Blueprint) -> None:
    """Add the volunteering pages and the occupation search to the staff blueprint."""
    bp.add_url_rule("/volunteer", "volunteer", volunteer, methods=["GET", "POST"])
    bp.add_url_rule("/volunteer/pause", "pause_offer", pause, methods=["POST"])
    bp.add_url_rule("/volunteer/resume", "resume_offer", resume, methods=["POST"])
    bp.add_url_rule("/volunteer/withdraw", "withdraw_offer", withdraw, methods=["POST"])
    bp.add_url_rule("/occupations", "occupations", occupations)


@requires("staff")
def occupations() -> Response:
    """NOC 2021 unit groups matching ``q`` as JSON: the agency form's search, for staff."""
    return occupation_search()


def _clock(minutes: int) -> time:
    return time(minutes // 60, minutes % 60) if minutes < 1440 else time(23, 59)


def _form_data(profile: VolunteerProfile | None, staff: StaffMember) -> dict[str, Any]:
    if profile is None:
        return {"languages": "en, fr" if staff.preferred_locale == "fr" else "en",
                "formats": ["one_on_one"], "capacity": 1}
    formats = [code for code, offered in (("one_on_one", profile.offers_one_on_one),
                                          ("connector", profile.offers_connector),
                                          ("group", profile.offers_group)) if offered]
    windows = [{"weekday": str(w.weekday), "start": _clock(w.start_minute),
                "end": _clock(w.end_minute)} for w in profile.availability[:WINDOW_ROWS]]
    return {
        "noc": profile.noc_code, "naics_sector": profile.naics_sector or "",
        "years_experience": profile.years_experience, "capacity": profile.capacity,
        "languages": ", ".join(profile.language_codes), "formats": formats,
        "windows": windows, "goals_text": profile.goals_text,
        "orientation_on": profile.orientation_on,
        # Acknowledged once, it stays so unless the person unticks it.
        "commitment": profile.commitment_acknowledged_at is not None,
    }


def _suggestions(typed: str | None, invalid: bool) -> list[tuple[str, str]]:
    """Occupations whose title matches words typed in the code field (search without JS)."""
    typed = (typed or "").strip()
    if not invalid or not typed or typed.isdigit():
        return []
    locale = current_locale()
    return [(c.code, c.title(locale)) for c in load_noc_index().search(typed[:100], locale, 40)
            if c.is_unit_group][:8]


@requires("staff")
def volunteer() -> str | Response:
    """The offer to mentor: directory facts read-only, the rest filled in by the employee."""
    db = db_session()
    identity = signed_in()
    staff = db.get(StaffMember, identity.id)
    if staff is None:  # pragma: no cover - a signed-in employee exists
        abort(404)
    profile = profile_of(db, staff.id)
    form = VolunteerForm(data=None if request.method == "POST" else _form_data(profile, staff))
    if request.method == "POST":
        valid = form.validate()
        if form.csrf_token.errors:
            abort(400)
        if valid:
            try:
                saved = save_offer(db, actor_of(identity), staff.id, form.offer(),
                                   min_years=get_state().config["KIT_MENTOR_MIN_YEARS"])
            except VolunteerError as error:
                db.rollback()
                if error.code != "unknown_occupation":
                    raise
                form.noc.errors = [_("This occupation is not offered by the program yet; "
                                     "ask the program coordinator.")]
            else:
                if get_state().config["KIT_MANAGER_APPROVAL"]:
                    request_approval(db, actor_of(identity), saved.id, current_app.secret_key,
                                     lambda token: url_for(".manager_approval", token=token,
                                                           _external=True))
                db.commit()
                flash(_saved_message(profile, saved), "info")
                return redirect(url_for(".home"))
    return render_template(
        "kit/staff/volunteer.html", form=form, staff=staff, profile=profile,
        repeat_mentor=is_repeat_mentor(db, staff.id),
        min_years=get_state().config["KIT_MENTOR_MIN_YEARS"],
        occupation=occupation_title(form.noc.data), naics=naics_sectors(),
        suggestions=_suggestions(form.noc.data, bool(form.noc.errors)))


def _saved_message(before: VolunteerProfile | None, saved: VolunteerProfile) -> str:
    if before is None or saved.status == "pending":
        return _("Thank you! Your offer to mentor awaits the program coordinator's approval; "
                 "they will contact you about the orientation session.")
    if saved.status == "paused":
        return _("Your offer is updated. It stays paused until you resume it.")
    return _("Your offer is updated.")


def _button() -> None:
    if not ButtonForm().validate_on_submit():
        abort(400)


def _back() -> Response:
    return redirect(url_for(".home"))


def _refused(error: VolunteerError, message: str) -> Response:
    db_session().rollback()
    if error.code == "not_found":
        abort(404)
    flash(message, "error")
    return _back()


@requires("staff")
def pause() -> Response:
    """Take a break from mentoring: no new match is proposed until the employee resumes."""
    _button()
    db = db_session()
    try:
        pause_offer(db, actor_of(signed_in()), signed_in().id)
    except VolunteerError as error:
        return _refused(error, _("Only an offer awaiting approval or approved can be paused."))
    db.commit()
    flash(_("Your offer is paused. No new newcomer is proposed to you until you resume it; "
            "your current matches go on."), "info")
    return _back()


@requires("staff")
def resume() -> Response:
    """Come back from a pause."""
    _button()
    db = db_session()
    try:
        profile = resume_offer(db, actor_of(signed_in()), signed_in().id)
    except VolunteerError as error:
        return _refused(error, _("Only a paused offer can be resumed."))
    db.commit()
    flash(_("Welcome back: your offer is active again.") if profile.status == "approved" else
          _("Your offer is resumed and awaits the program coordinator's approval."), "info")
    return _back()


@requires("staff")
def withdraw() -> Response:
    """Stop volunteering; open matches are left to the coordinator, who is told."""
    _button()
    db = db_session()
    try:
        _profile, still_open = withdraw_offer(db, actor_of(signed_in()), signed_in().id)
    except VolunteerError as error:
        return _refused(error, _("This offer is already withdrawn."))
    db.commit()
    if still_open:
        flash(_("Your offer is withdrawn. You still have %(count)d open matches: the program "
                "coordinator is told and will arrange what follows with you.",
                count=still_open), "info")
    else:
        flash(_("Your offer is withdrawn. Thank you for volunteering; you can offer again at "
                "any time."), "info")
    return _back()
