"""Pages of the program admin: agencies, their caseworkers and their API keys."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from werkzeug.wrappers import Response

from kit.auth.identity import actor_of
from kit.auth.messages import account_message
from kit.auth.permissions import requires, signed_in
from kit.blueprints.admin import eligibility
from kit.blueprints.admin import session_types as session_type_pages
from kit.blueprints.admin.forms import AgencyForm, ApiKeyForm, ButtonForm, InviteForm
from kit.config import localized
from kit.db import db_session
from kit.i18n import gettext as _
from kit.services.agencies import (
    AGENCY_SORTS,
    agency_detail,
    create_agency,
    list_agencies,
    send_invitation,
)
from kit.services.agency_accounts import AccountError, IssuedKey, create_api_key, revoke_api_key
from kit.state import get_state
from kit.web import sort_order


def create_blueprint() -> Blueprint:
    """The admin blueprint."""
    bp = Blueprint("kit_admin", __name__)
    bp.add_url_rule("/", "agencies", agencies, methods=["GET", "POST"])
    bp.add_url_rule("/agencies/<int:agency_id>", "agency", agency, methods=["GET"])
    bp.add_url_rule("/agencies/<int:agency_id>/invite", "invite", invite, methods=["POST"])
    bp.add_url_rule("/agencies/<int:agency_id>/keys", "create_key", create_key, methods=["POST"])
    bp.add_url_rule("/agencies/<int:agency_id>/keys/<int:key_id>/revoke", "revoke_key",
                    revoke_key, methods=["POST"])
    eligibility.register(bp)
    session_type_pages.register(bp)
    return bp


@requires("admin")
def agencies() -> Response | tuple[str, int]:
    """The agencies allowed to refer newcomers, and a form to add one."""
    form = AgencyForm()
    db = db_session()
    if form.validate_on_submit():
        try:
            created = create_agency(db, actor_of(signed_in()), name=form.name.data,
                                    email=form.email.data, region=form.region.data)
        except AccountError:
            form.name.errors.append(_("An agency with this name already exists."))
        else:
            flash(_("%(agency)s can now refer newcomers. Invite its caseworkers.",
                    agency=created.name), "info")
            return redirect(url_for("kit_admin.agency", agency_id=created.id))
    status = 400 if form.errors else 200
    order = sort_order(AGENCY_SORTS, "name")
    rows = list_agencies(db, sort=order.column, descending=order.descending)
    return render_template("kit/admin/agencies.html", rows=rows, form=form, order=order), status


def _agency_page(agency_id: int, *, invite_form: InviteForm | None = None,
                 key_form: ApiKeyForm | None = None, issued: IssuedKey | None = None,
                 status: int = 200) -> tuple[str, int]:
    found = agency_detail(db_session(), agency_id)
    if found is None:
        abort(404)
    agency_record, users, keys = found
    return render_template(
        "kit/admin/agency.html", agency=agency_record, users=users, keys=keys,
        invite_form=invite_form or InviteForm(formdata=None),
        key_form=key_form or ApiKeyForm(formdata=None), button=ButtonForm(), issued=issued,
    ), status


@requires("admin")
def agency(agency_id: int) -> tuple[str, int]:
    """One agency: its caseworkers, its API keys."""
    return _agency_page(agency_id)


@requires("admin")
def invite(agency_id: int) -> Response | tuple[str, int]:
    """Invite a caseworker: the e-mail leaves through the outbox."""
    form = InviteForm()
    if agency_detail(db_session(), agency_id) is None:
        abort(404)
    if form.validate_on_submit():
        config = get_state().config
        try:
            user = send_invitation(
                db_session(), actor_of(signed_in()), current_app.secret_key,
                agency_id=agency_id, email=form.email.data, display_name=form.display_name.data,
                locale=form.locale.data,
                accept_url=lambda token: url_for("kit.invitation", token=token, _external=True),
                program_name=localized(config["KIT_PROGRAM_NAME"], form.locale.data),
                valid_days=config["KIT_INVITATION_MAX_AGE_DAYS"])
        except AccountError as exc:
            form.email.errors.append(account_message(exc.code))
        else:
            flash(_("The invitation is on its way to %(email)s.", email=user.email), "info")
            return redirect(url_for("kit_admin.agency", agency_id=agency_id))
    return _agency_page(agency_id, invite_form=form, status=400)


@requires("admin")
def create_key(agency_id: int) -> tuple[str, int]:
    """Issue an API key and show it once, on this response only (never in a redirect)."""
    form = ApiKeyForm()
    if agency_detail(db_session(), agency_id) is None:
        abort(404)
    if not form.validate_on_submit():
        return _agency_page(agency_id, key_form=form, status=400)
    scopes = [scope for scope, wanted in (("referrals:read", form.read.data),
                                          ("referrals:write", form.write.data)) if wanted]
    db = db_session()
    try:
        issued = create_api_key(db, actor_of(signed_in()), agency_id=agency_id,
                                name=form.name.data, scopes=scopes)
    except AccountError as exc:
        form.read.errors.append(account_message(exc.code))
        return _agency_page(agency_id, key_form=form, status=400)
    db.commit()
    return _agency_page(agency_id, issued=issued)


@requires("admin")
def revoke_key(agency_id: int, key_id: int) -> Response:
    """Revoke a key at once."""
    if not ButtonForm().validate_on_submit():
        abort(400)
    db = db_session()
    if revoke_api_key(db, actor_of(signed_in()), key_id):
        db.commit()
        flash(_("The key is revoked: the agency's system can no longer use it."), "info")
    return redirect(url_for("kit_admin.agency", agency_id=agency_id))
