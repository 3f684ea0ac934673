"""Views of the core blueprint."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from kit.auth.identity import actor_of, current_identity, sign_in, sign_out
from kit.auth.newcomer_links import issue_link
from kit.auth.permissions import public
from kit.blueprints.core import sign_in as sign_in_views
from kit.blueprints.core.forms import DevSignInForm, LanguageForm, SignOutForm
from kit.db import db_session
from kit.i18n import gettext as _
from kit.i18n import remember_locale
from kit.services.people import find_person, set_preferred_locale
from kit.services.personas import demo_personas
from kit.state import get_state
from kit.web import safe_next


def create_blueprint() -> Blueprint:
    """The core blueprint, with the kit's templates and static files."""
    bp = Blueprint("kit", __name__, template_folder="../../templates",
                   static_folder="../../static/kit", static_url_path="/static")
    bp.add_url_rule("/", "index", index)
    sign_in_views.register(bp)
    bp.add_url_rule("/sign-in/dev", "dev_sign_in", dev_sign_in, methods=["GET", "POST"])
    bp.add_url_rule("/sign-out", "sign_out", sign_out_view, methods=["POST"])
    bp.add_url_rule("/language", "language", change_language, methods=["POST"])
    return bp


def _landing_endpoint() -> str | None:
    identity = current_identity()
    if identity is None:
        return None
    mounted = get_state().blueprints
    if identity.kind == "staff":
        if identity.has_role("coordinator") and "coordinator" in mounted:
            return "kit_coordinator.home"
        return "kit_staff.home" if "staff" in mounted else None
    area = identity.kind
    return f"kit_{area}.home" if area in mounted else None


@public
def index() -> Response:
    """Send each person to their own landing page, or to sign in."""
    if current_identity() is None:
        return redirect(url_for("kit.sign_in"))
    endpoint = _landing_endpoint()
    if endpoint is None:
        abort(403)
    return redirect(url_for(endpoint))


@public
def dev_sign_in() -> str | Response:
    """Act as a demo persona; exists only in debug or demo mode (checked at start-up)."""
    if not get_state().config["KIT_DEV_SIGN_IN"]:
        abort(404)
    db = db_session()
    form = DevSignInForm()
    if form.validate_on_submit():
        kind, _sep, raw_id = form.persona.data.partition(":")
        person_id = int(raw_id)
        if find_person(db, kind, person_id) is not None:
            if kind == "newcomer":
                token = issue_link(db, current_app.secret_key, person_id,
                                   max_age_days=get_state().config["KIT_NEWCOMER_LINK_MAX_AGE_DAYS"])
                db.commit()
                return redirect(url_for("kit_newcomer.open_link", token=token))
            sign_in(kind, person_id)
            return redirect(safe_next(form.next.data))
        flash(_("That person no longer exists; choose another."), "error")
    elif request.method == "POST":
        flash(_("Choose one of the listed people."), "error")
    personas = demo_personas(db)
    status = 400 if request.method == "POST" else 200
    return render_template("kit/core/dev_sign_in.html", personas=personas, form=form,
                           next=request.args.get("next", "")), status


@public
def sign_out_view() -> Response:
    """End the session; a stale form still signs out, there is nothing to protect."""
    SignOutForm().validate_on_submit()
    sign_out()
    flash(_("You are signed out."), "info")
    return redirect(url_for("kit.sign_in"))


@public
def change_language() -> Response:
    """Switch language; a signed-in person's preference is stored for next time."""
    form = LanguageForm()
    if not form.validate_on_submit():
        abort(400)
    identity = current_identity()
    if identity is not None:
        set_preferred_locale(db_session(), actor_of(identity), form.locale.data)
    remember_locale(form.locale.data)
    return redirect(safe_next(form.next.data))
