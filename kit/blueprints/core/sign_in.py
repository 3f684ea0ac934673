"""Sign-in pages: staff through the directory or SSO, caseworkers by e-mail, invitations."""

from __future__ import annotations

import contextlib
import logging

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from werkzeug.wrappers import Response

from kit.auth.identity import current_identity, sign_in
from kit.auth.messages import account_message, sign_in_message
from kit.auth.oidc import PendingLogin
from kit.auth.permissions import public
from kit.auth.providers import DirectoryPerson, ProviderUnavailable, SignInError
from kit.auth.registry import ProviderEntry
from kit.blueprints.core.forms import AgencySignInForm, ChoosePasswordForm, PasswordSignInForm
from kit.db import db_session
from kit.i18n import current_locale
from kit.i18n import gettext as _
from kit.services.agency_accounts import (
    AccountError,
    accept_invitation,
    authenticate_agency_user,
    open_invitation,
)
from kit.services.staff_accounts import sign_in_staff
from kit.services.throttle import account_key, record_attempt, retry_after
from kit.state import get_state
from kit.web import safe_next

log = logging.getLogger(__name__)


def register(bp: Blueprint) -> None:
    """Add the sign-in routes to the core blueprint."""
    bp.add_url_rule("/sign-in", "sign_in", sign_in_page)
    bp.add_url_rule("/sign-in/staff/<provider>", "staff_sign_in", staff_password_sign_in,
                    methods=["POST"])
    bp.add_url_rule("/sign-in/agency", "agency_sign_in", agency_sign_in, methods=["POST"])
    bp.add_url_rule("/invitation/<token>", "invitation", invitation, methods=["GET", "POST"])
    register_sso(bp)


def _providers(kind: str | None = None) -> list[ProviderEntry]:
    return [entry for entry in get_state().providers if kind is None or entry.type == kind]


def _page(status: int = 200, *, staff_forms: dict | None = None,
          agency_form: AgencySignInForm | None = None, error: str | None = None) -> tuple[str, int]:
    next_url = request.values.get("next", "")
    forms = staff_forms or {}
    for entry in _providers("ldap"):
        forms.setdefault(entry.name, PasswordSignInForm(formdata=None, next=next_url))
    agency_open = "agency" in get_state().blueprints
    if agency_form is None and agency_open:
        agency_form = AgencySignInForm(formdata=None, next=next_url)
    return render_template(
        "kit/core/sign_in.html",
        password_providers=[(entry, forms[entry.name]) for entry in _providers("ldap")],
        redirect_providers=[entry for entry in get_state().providers if entry.type != "ldap"],
        agency_form=agency_form if agency_open else None,
        dev_sign_in=get_state().config["KIT_DEV_SIGN_IN"],
        locale=current_locale(),
        error=error,
        next=next_url,
    ), status


@public
def sign_in_page() -> Response | tuple[str, int]:
    """Every way to sign in that this employer configured, side by side."""
    if current_identity() is not None:
        return redirect(safe_next(request.args.get("next")))
    return _page()


def _throttled(key: str) -> int:
    return retry_after(db_session(), key, request.remote_addr or "unknown",
                       get_state().throttle_rules)


def _refuse(code: str, key: str, *, status: int, **page: object) -> tuple[str, int]:
    db = db_session()
    record_attempt(db, key, request.remote_addr or "unknown", succeeded=False)
    db.commit()
    return _page(status, error=sign_in_message(code), **page)


def _too_many(wait: int, **page: object) -> tuple[str, int]:
    minutes = max(1, -(-wait // 60))
    return _page(429, error=_("Too many failed attempts. Try again in %(minutes)d minutes.",
                              minutes=minutes), **page)


@public
def staff_password_sign_in(provider: str) -> Response | tuple[str, int]:
    """Check a user name and password against the directory, then sign the employee in."""
    entry = next((e for e in _providers("ldap") if e.name == provider), None)
    if entry is None:
        abort(404)
    form = PasswordSignInForm()
    forms = {provider: form}
    if not form.validate_on_submit():
        return _page(400, staff_forms=forms)
    key = account_key(provider, form.username.data)
    wait = _throttled(key)
    if wait:
        return _too_many(wait, staff_forms=forms)
    try:
        person = entry.provider.authenticate(form.username.data, form.password.data)
        staff = sign_in_staff(db_session(), person, get_state().role_groups, request.remote_addr)
    except ProviderUnavailable as exc:
        log.error("Directory %s unavailable: %s", provider, exc)
        return _page(503, staff_forms=forms, error=sign_in_message("directory_unavailable"))
    except SignInError as exc:
        person = getattr(exc, "person", None)
        if person is not None:  # a disabled account: the directory's word deactivates it
            with contextlib.suppress(SignInError):
                sign_in_staff(db_session(), person, get_state().role_groups, request.remote_addr)
        return _refuse(exc.code, key, status=401, staff_forms=forms)
    record_attempt(db_session(), key, request.remote_addr or "unknown", succeeded=True)
    db_session().commit()
    sign_in("staff", staff.id)
    return redirect(safe_next(form.next.data))


@public
def agency_sign_in() -> Response | tuple[str, int]:
    """A caseworker signs in with e-mail and password."""
    if "agency" not in get_state().blueprints:
        abort(404)
    form = AgencySignInForm()
    if not form.validate_on_submit():
        return _page(400, agency_form=form)
    key = account_key("agency", form.email.data)
    wait = _throttled(key)
    if wait:
        return _too_many(wait, agency_form=form)
    db = db_session()
    try:
        user = authenticate_agency_user(db, form.email.data, form.password.data)
    except SignInError as exc:
        return _refuse(exc.code, key, status=401, agency_form=form)
    record_attempt(db, key, request.remote_addr or "unknown", succeeded=True)
    db.commit()
    sign_in("agency", user.id)
    return redirect(safe_next(form.next.data))


@public
def invitation(token: str) -> Response | tuple[str, int]:
    """A caseworker accepts an invitation by choosing a password."""
    db = db_session()
    max_age = get_state().config["KIT_INVITATION_MAX_AGE_DAYS"]
    secret = current_app.secret_key
    try:
        user = open_invitation(db, secret, token, max_age)
    except AccountError as exc:
        return render_template("kit/core/invitation_invalid.html",
                               message=account_message(exc.code)), 404
    form = ChoosePasswordForm()
    if form.validate_on_submit():
        try:
            accept_invitation(db, secret, token, form.password.data, max_age)
        except AccountError as exc:
            form.password.errors.append(account_message(exc.code))
        else:
            flash(_("Your password is saved. Sign in with your e-mail address."), "info")
            return redirect(url_for("kit.sign_in"))
    status = 400 if request.method == "POST" else 200
    return render_template("kit/core/invitation.html", form=form, user=user), status


PENDING_KEY = "kit_sso_pending"


def register_sso(bp: Blueprint) -> None:
    """Add the single sign-on routes (OIDC redirect and identity-aware proxy)."""
    bp.add_url_rule("/sign-in/sso/<provider>", "sso_begin", sso_begin)
    bp.add_url_rule("/sign-in/sso/<provider>/callback", "sso_callback", sso_callback)


def _sso_entry(provider: str) -> ProviderEntry:
    entry = next((e for e in get_state().providers if e.name == provider and e.type != "ldap"),
                 None)
    if entry is None:
        abort(404)
    return entry


def _finish_staff_sign_in(person: DirectoryPerson, next_url: str | None
                          ) -> Response | tuple[str, int]:
    try:
        staff = sign_in_staff(db_session(), person, get_state().role_groups, request.remote_addr)
    except SignInError as exc:
        return _page(403, error=sign_in_message(exc.code))
    sign_in("staff", staff.id)
    return redirect(safe_next(next_url))


def _sso_refused(provider: str, exc: SignInError) -> tuple[str, int]:
    """An IdP that does not answer is a 503; anything it or we refused is a 401."""
    if isinstance(exc, ProviderUnavailable):
        log.error("Identity provider %s unavailable: %s", provider, exc)
        return _page(503, error=sign_in_message("idp_unavailable"))
    log.warning("Single sign-on through %s refused: %s", provider, exc)
    return _page(401, error=sign_in_message("sso_failed"))


@public
def sso_begin(provider: str) -> Response | tuple[str, int]:
    """Send the browser to the IdP, or read the proxy's signed assertion."""
    entry = _sso_entry(provider)
    next_url = request.args.get("next")
    try:
        if entry.type == "proxy":
            return _finish_staff_sign_in(entry.provider.person_from_headers(request.headers),
                                         next_url)
        url, pending = entry.provider.begin(
            url_for("kit.sso_callback", provider=provider, _external=True),
            next_url=safe_next(next_url))
    except SignInError as exc:
        return _sso_refused(provider, exc)
    session[PENDING_KEY] = {"provider": provider, **pending.to_dict()}
    return redirect(url)


@public
def sso_callback(provider: str) -> Response | tuple[str, int]:
    """The IdP sends the browser back: check everything, then sign the employee in."""
    entry = _sso_entry(provider)
    stored = session.pop(PENDING_KEY, None)  # single use, whatever happens next
    try:
        if not isinstance(stored, dict) or stored.pop("provider", None) != provider:
            raise SignInError("no_pending_login")
        pending = PendingLogin.from_dict(stored)
        person = entry.provider.complete(request.args, pending)
    except SignInError as exc:
        return _sso_refused(provider, exc)
    return _finish_staff_sign_in(person, pending.next_url)
