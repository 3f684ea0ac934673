"""The agencies' JSON API (``<KIT_URL_PREFIX>/api/v1``): referrals, eligibility, occupations.

Thin HTTP over the referral services; the same ReferralForm as the web page validates input.
Described by ``kit/api/openapi.json``, served at ``/openapi.json``.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request, url_for
from werkzeug.exceptions import HTTPException

from kit.auth.permissions import public, refuse_undeclared
from kit.blueprints.api.errors import ApiError, install_error_handlers
from kit.blueprints.api.guard import (
    actor,
    agency_id,
    authenticate,
    idempotent,
    requires_key,
    respond,
)
from kit.blueprints.api.payload import boolean_option, json_object, referral_profile
from kit.blueprints.api.serialize import criterion_json, referral_json, referral_summary_json
from kit.db import db_session
from kit.i18n import current_locale
from kit.i18n import lazy_gettext as _l
from kit.models import Referral
from kit.models.referrals import REFERRAL_STATUSES
from kit.reference.noc import find_unit_groups
from kit.services.api_guard import agency_referral, agency_referral_page
from kit.services.audit import record_view, record_views
from kit.services.referral_notices import notify_new_referral
from kit.services.referrals import (
    Consent,
    ReferralError,
    create_referral,
    preview_eligibility,
    update_referral,
    withdraw_referral,
)
from kit.state import get_state

MAX_PER_PAGE = 100
MAX_SEARCH_LENGTH = 100
MAX_ID = 2**31 - 1  # larger ids cannot exist; refusing them spares the database an overflow
CATCH_ALL = "kit_api.unknown"
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def create_blueprint() -> Blueprint:
    """The API blueprint ``kit_api``; mounted at ``<KIT_URL_PREFIX>/api/v1``."""
    bp = Blueprint("kit_api", __name__)
    bp.before_request(refuse_undeclared)
    bp.before_request(authenticate)
    bp.after_request(_no_store)
    install_error_handlers(bp)
    bp.add_url_rule("/referrals", "referrals", list_referrals, methods=["GET"])
    bp.add_url_rule("/referrals", "create_referral", post_referral, methods=["POST"])
    bp.add_url_rule("/referrals/<int:referral_id>", "referral", get_referral, methods=["GET"])
    bp.add_url_rule("/referrals/<int:referral_id>", "update_referral", put_referral,
                    methods=["PUT"])
    bp.add_url_rule("/referrals/<int:referral_id>/withdraw", "withdraw_referral",
                    post_withdrawal, methods=["POST"])
    bp.add_url_rule("/eligibility", "eligibility", post_eligibility, methods=["POST"])
    bp.add_url_rule("/occupations", "occupations", get_occupations, methods=["GET"])
    bp.add_url_rule("/openapi.json", "openapi", get_openapi, methods=["GET"])
    bp.add_url_rule("/", CATCH_ALL.partition(".")[2], unknown, methods=list(METHODS))
    bp.add_url_rule("/<path:anything>", CATCH_ALL.partition(".")[2], unknown,
                    methods=list(METHODS))
    return bp


def _no_store(response: Response) -> Response:
    # Answers carry personal data: no shared cache, no browser cache may keep them.
    response.headers.setdefault("Cache-Control", "no-store")
    return response


def _show(referral: Referral, status: int = 200) -> tuple[int, dict[str, Any]]:
    record_view(db_session(), actor(), referral.newcomer_id, "profile")
    return status, referral_json(referral)


def _own_referral(referral_id: int) -> Referral:
    referral = (agency_referral(db_session(), referral_id, agency_id())
                if referral_id <= MAX_ID else None)
    if referral is None:
        raise ApiError(404, "not_found", _l("There is no referral with this id."))
    return referral


def _refused(error: ReferralError) -> ApiError:
    if error.code == "not_found":
        return ApiError(404, "not_found", _l("There is no referral with this id."))
    messages = {
        "not_editable": _l("Only a draft or a referral referred back can be changed."),
        "not_withdrawable": _l("An accepted or withdrawn referral cannot be withdrawn."),
    }
    return ApiError(409, error.code, messages.get(error.code))


def _only_arguments(*names: str) -> None:
    # A misspelt parameter ("per-page") would otherwise be ignored without a word.
    unknown = sorted(set(request.args) - set(names))
    if unknown:
        raise ApiError(400, "invalid_parameter", _l("Unknown parameters: %(names)s.",
                                                    names=", ".join(unknown)))


def _int_argument(name: str, default: int, maximum: int) -> int:
    value = request.args.get(name)
    if value is None:
        return default
    if not value.isdigit() or len(value) > 9 or not 1 <= int(value) <= maximum:
        raise ApiError(400, "invalid_parameter", fields={name: [_l(
            "Enter a whole number from 1 to %(maximum)d.", maximum=maximum)]})
    return int(value)


def _page_link(page: int, per_page: int, status: str | None) -> str:
    return url_for("kit_api.referrals", page=page, per_page=per_page, status=status,
                   _external=True)


@requires_key("referrals:read")
def list_referrals() -> Response:
    """This agency's referrals, newest first, one page at a time (``page``, ``per_page``)."""
    _only_arguments("page", "per_page", "status")
    status = request.args.get("status") or None
    if status is not None and status not in REFERRAL_STATUSES:
        raise ApiError(400, "invalid_parameter", fields={"status": [_l(
            "Use one of: %(choices)s.", choices=", ".join(REFERRAL_STATUSES))]})
    per_page = _int_argument("per_page", min(get_state().config["KIT_PAGE_SIZE"], MAX_PER_PAGE),
                             MAX_PER_PAGE)
    page_number = _int_argument("page", 1, 10**8)
    db = db_session()
    page = agency_referral_page(db, agency_id(), page=page_number, per_page=per_page,
                                status=status)
    items = [referral_summary_json(r) for r in page.referrals]
    record_views(db, actor(), (r.newcomer_id for r in page.referrals), "name")
    db.commit()
    response = jsonify({"items": items, "total": page.total, "page": page.page,
                        "per_page": page.per_page, "pages": page.pages})
    links = {"first": 1, "last": page.pages}
    if page.page > 1:
        links["prev"] = min(page.page - 1, page.pages)
    if page.page < page.pages:
        links["next"] = page.page + 1
    response.headers["Link"] = ", ".join(
        f'<{_page_link(number, per_page, status)}>; rel="{rel}"' for rel, number in links.items())
    return response


@requires_key("referrals:write")
def post_referral() -> Response:
    """Refer a newcomer; ``"submit": false`` keeps a draft."""

    def work() -> tuple[int, dict[str, Any]]:
        payload = json_object()
        submit = boolean_option(payload, "submit", True)
        profile = referral_profile(payload)
        db = db_session()
        referral = create_referral(
            db, actor(), agency_id=agency_id(), profile=profile,
            consent=Consent(get_state().config["KIT_CONSENT_VERSION"]), submit=submit)
        notify_new_referral(db, referral)
        db.flush()
        db.expire(referral)  # read the history and eligibility rows the service added
        return _show(referral, 201)

    return idempotent(work)


@requires_key("referrals:read")
def get_referral(referral_id: int) -> Response:
    """One of this agency's referrals, with eligibility, history and the profile."""
    status, body = _show(_own_referral(referral_id))
    db_session().commit()
    return respond(status, body)


@requires_key("referrals:write")
def put_referral(referral_id: int) -> Response:
    """Correct a draft or a referred-back referral and submit it again (unless told not to)."""

    def work() -> tuple[int, dict[str, Any]]:
        payload = json_object()
        submit = boolean_option(payload, "submit", True)
        profile = referral_profile(payload)
        if referral_id > MAX_ID:
            raise _refused(ReferralError("not_found"))
        db = db_session()
        try:
            referral = update_referral(db, actor(), referral_id=referral_id,
                                       agency_id=agency_id(), profile=profile, resubmit=submit)
        except ReferralError as error:
            raise _refused(error) from None
        notify_new_referral(db, referral)
        db.flush()
        db.expire(referral)
        return _show(referral)

    return idempotent(work)


@requires_key("referrals:write")
def post_withdrawal(referral_id: int) -> Response:
    """Withdraw a referral that is not accepted yet; an optional ``note`` says why."""

    def work() -> tuple[int, dict[str, Any]]:
        payload = json_object(optional=True)
        note = payload.pop("note", None)
        if payload:
            raise ApiError(400, "unknown_field", _l("Unknown fields: %(names)s.",
                                                    names=", ".join(sorted(payload))))
        if note is not None and (not isinstance(note, str) or len(note) > 2000):
            raise ApiError(422, "invalid_withdrawal", fields={"note": [_l(
                "Write the note as text of at most 2000 characters.")]})
        if referral_id > MAX_ID:
            raise _refused(ReferralError("not_found"))
        db = db_session()
        try:
            referral = withdraw_referral(db, actor(), referral_id=referral_id,
                                         agency_id=agency_id(), note=(note or "").strip() or None)
        except ReferralError as error:
            raise _refused(error) from None
        db.flush()
        db.expire(referral)
        return _show(referral)

    return idempotent(work)


@requires_key("referrals:write")
def post_eligibility() -> Response:
    """Each eligibility criterion's result for a profile, saving nothing."""
    profile = referral_profile(json_object(), need_consent=False)
    results = preview_eligibility(db_session(), profile)
    return jsonify({"eligibility": [criterion_json(r) for r in results],
                    "eligible": all(r.passed is True for r in results)})


@requires_key("referrals:read")
def get_occupations() -> Response:
    """NOC 2021 unit groups by code (2016 codes are converted) or by words of their titles."""
    _only_arguments("q", "lang", "limit")
    text = request.args.get("q", "")
    if len(text) > MAX_SEARCH_LENGTH:
        raise ApiError(400, "invalid_parameter", fields={"q": [_l(
            "Search with at most %(maximum)d characters.", maximum=MAX_SEARCH_LENGTH)]})
    text = text.strip()
    lang = request.args.get("lang") or current_locale()
    if lang not in ("en", "fr"):
        raise ApiError(400, "invalid_parameter", fields={"lang": [_l("Use en or fr.")]})
    limit = _int_argument("limit", 20, 50)
    items = [{"code": noc.code, "title": noc.title(lang), "title_en": noc.title_en,
              "title_fr": noc.title_fr, "teer": noc.teer}
             for noc in find_unit_groups(text, lang, limit)]
    return jsonify({"items": items})


@public
def get_openapi() -> Response:
    """The OpenAPI 3.1 document of this API, with this host's address as its server."""
    from kit.blueprints.api.spec import openapi_document  # the builder is a maintenance tool

    document = dict(openapi_document())
    base = url_for("kit_api.openapi", _external=True).rsplit("/", 1)[0]
    document["servers"] = [{"url": base}]
    response = jsonify(document)
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


@public
def unknown(anything: str = "") -> Response:
    """Any other address under the API: a JSON 404, or 405 when another method fits."""
    adapter = current_app.url_map.bind_to_environ(request.environ)
    allowed = set()
    for method in METHODS:
        try:
            endpoint, _values = adapter.match(method=method)
        except HTTPException:
            continue
        if endpoint != CATCH_ALL:
            allowed.add(method)
    if allowed:
        raise ApiError(405, "method_not_allowed",
                       headers={"Allow": ", ".join(sorted(allowed))})
    raise ApiError(404, "not_found")
