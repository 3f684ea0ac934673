"""The coordinator's referral queue, one referral in full, and the decision on it."""

from __future__ import annotations

from typing import Any

from babel import Locale
from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import format_datetime
from werkzeug.wrappers import Response

from kit.auth.identity import actor_of
from kit.auth.permissions import requires, signed_in
from kit.blueprints.coordinator.cohort_forms import MoveCohortForm
from kit.blueprints.coordinator.referral_forms import DecisionForm, QueueFilterForm
from kit.db import db_session
from kit.eligibility import CRITERIA
from kit.i18n import current_locale
from kit.i18n import gettext as _
from kit.labels import label
from kit.models import Referral
from kit.reference.naics import naics_sector_title
from kit.schemas.referral import IMMIGRATION_LABELS
from kit.services.audit import record_view, record_views
from kit.services.cohorts import can_change_cohort, default_cohort, open_cohorts, program_day
from kit.services.documents import DocumentError, open_document
from kit.services.referral_notices import notify_decision
from kit.services.referral_queue import SORTS, queue_agencies, referral_file, referral_queue
from kit.services.referrals import ReferralError, decide_referral
from kit.state import get_state
from kit.web import page_number, sort_order

QUEUE_ENDPOINT = "kit_coordinator.referrals"
FILTERS = ("status", "agency", "sort", "dir")
#: Older links said ?sort=oldest or ?sort=newest: they keep working.
SORT_ALIASES = {"oldest": ("submitted", False), "newest": ("submitted", True)}


def register(bp: Blueprint) -> None:
    """Add the referral pages to the coordinator blueprint ``bp``."""
    bp.add_url_rule("/referrals", "referrals", referrals)
    bp.add_url_rule("/referrals/<int:referral_id>", "referral", referral)
    bp.add_url_rule("/referrals/<int:referral_id>/decision", "decide", decide, methods=["POST"])
    bp.add_url_rule("/referrals/<int:referral_id>/resume", "referral_resume", referral_resume)
    bp.url_defaults(_keep_queue_filters)


def _keep_queue_filters(endpoint: str, values: dict[str, Any]) -> None:
    # ui.pager links to the endpoint with a page number only; the queue's filters ride along.
    if endpoint == QUEUE_ENDPOINT and request.endpoint == QUEUE_ENDPOINT and "page" in values:
        for name in FILTERS:
            if request.args.get(name):
                values.setdefault(name, request.args[name])


@requires("coordinator")
def referrals() -> str:
    """The queue: referrals by status and agency, oldest first, with eligibility at a glance."""
    db = db_session()
    form = QueueFilterForm(queue_agencies(db), formdata=request.args)
    agency = form.value("agency")
    order = sort_order(tuple(SORTS), "submitted", aliases=SORT_ALIASES)
    queue = referral_queue(db, status=form.value("status"),
                           agency_id=int(agency) if agency else None, sort=order.column,
                           descending=order.descending, page=page_number(),
                           page_size=get_state().config["KIT_PAGE_SIZE"])
    filters = {"status": form.value("status"), "agency": form.value("agency") or None}
    record_views(db, actor_of(signed_in()), (row.newcomer_id for row in queue.rows), "list")
    db.commit()
    return render_template("kit/coordinator/referral_queue.html", queue=queue, form=form,
                           filters=filters, order=order)


def _language_name(code: str, locale: str) -> str:
    return Locale.parse(locale).languages.get(code, code)


def _country_name(code: str | None, locale: str) -> str:
    return Locale.parse(locale).territories.get(code, code) if code else ""


def _criterion_detail(criterion: str, detail: str | None, locale: str) -> str:
    # The stored detail is a code or a number; the coordinator reads words.
    if not detail:
        return ""
    if criterion == "immigration_status":
        return str(IMMIGRATION_LABELS.get(detail, detail))
    if criterion == "education_abroad":
        return _country_name(detail, locale)
    if criterion == "language_level":
        return _("lowest level: %(level)s", level=detail)
    return detail


def _render_file(referral_id: int, form: DecisionForm, status: int = 200,
                 problem: str | None = None,
                 move_form: MoveCohortForm | None = None) -> tuple[str, int]:
    db = db_session()
    file = referral_file(db, referral_id)
    if file is None:
        abort(404)
    # The decision offers the open cohorts; an accepted newcomer without a mentor may move.
    movable = can_change_cohort(db, file.referral)
    if file.referral.status == "submitted" or movable:
        cohorts = open_cohorts(db)
        form.set_cohorts(cohorts, default_cohort(db, program_day()))
        move_form = move_form or MoveCohortForm(formdata=None)
        move_form.set_cohorts(cohorts, file.referral.cohort)
    newcomer = file.referral.newcomer
    # The page shows the newcomer's personal data: the audit log says who saw it.
    record_view(db, actor_of(signed_in()), newcomer.id, "referral")
    locale = current_locale()
    html = render_template(
        "kit/coordinator/referral.html", file=file, referral=file.referral, newcomer=newcomer,
        form=form, problem=problem, locale=locale, movable=movable, move_form=move_form,
        criteria=[(r.criterion, r.passed, _criterion_detail(r.criterion, r.detail, locale))
                  for r in sorted(file.referral.eligibility_results,
                                  key=lambda r: CRITERIA.index(r.criterion)
                                  if r.criterion in CRITERIA else len(CRITERIA))],
        languages=[_language_name(code, locale) for code in newcomer.language_codes],
        preferred_language=_language_name(newcomer.preferred_locale,
                                          newcomer.preferred_locale).capitalize(),
        country=_country_name(newcomer.country_of_education, locale),
        immigration=IMMIGRATION_LABELS.get(newcomer.immigration_status,
                                           newcomer.immigration_status),
        industry=naics_sector_title(newcomer.naics_sector) if newcomer.naics_sector else None)
    db.commit()  # after rendering, so that the page reads the records once
    return html, status


@requires("coordinator")
def referral(referral_id: int) -> tuple[str, int]:
    """One referral in full, its duplicates, its history and the decision form."""
    return _render_file(referral_id, DecisionForm())


def _already_decided(referral_id: int) -> str:
    found = db_session().get(Referral, referral_id)
    if found is None:  # pragma: no cover - decide_referral said not_found instead
        abort(404)
    if found.status == "withdrawn":
        return _("The agency withdrew this referral on %(date)s: there is nothing to decide.",
                 date=_moment(found.status_changes[-1].changed_at))
    who = found.decided_by.display_name if found.decided_by else _("another coordinator")
    return _("%(name)s already decided on %(date)s: %(status)s. Nothing was changed.",
             name=who, date=_moment(found.decided_at),
             status=label("referral_status", found.status))


def _moment(value: Any) -> str:
    return format_datetime(value, "medium") if value else ""


@requires("coordinator")
def decide(referral_id: int) -> Response | tuple[str, int]:
    """Accept or refer back; the agency's e-mail is queued in the same transaction."""
    form = DecisionForm()
    if not form.validate_on_submit():
        if form.csrf_token.errors:
            abort(400)
        return _render_file(referral_id, form, 400)
    db = db_session()
    try:
        decided = decide_referral(
            db, actor_of(signed_in()), referral_id=referral_id, accept=bool(form.accept.data),
            reason_codes=[] if form.accept.data else form.reasons.data,
            note=(form.note.data or "").strip() or None, cohort_id=form.cohort_choice())
        notify_decision(db, decided)
        db.commit()
    except ReferralError as error:
        db.rollback()
        if error.code == "not_found":
            abort(404)
        if error.code == "already_decided":
            return _render_file(referral_id, DecisionForm(formdata=None), 409,
                                _already_decided(referral_id))
        if error.code == "cohort_unavailable":
            # Closed (or removed) since the page was opened: the list now shows what is open.
            form.cohort.raw_data = []  # the day's default is chosen again
            form.cohort.errors = [_("This cohort is closed now: choose one of the open "
                                    "cohorts.")]
            return _render_file(referral_id, form, 400)
        message = (_("Choose at least one reason to refer the newcomer back.")
                   if error.code == "reason_required"
                   else _("Choose reasons from the list."))
        form.reasons.errors = [message]
        return _render_file(referral_id, form, 400)
    name = decided.newcomer.display_name
    if decided.status != "accepted":
        flash(_("%(name)s was referred back to %(agency)s.", name=name,
                agency=decided.agency.name), "info")
    elif decided.cohort is not None:
        flash(_("%(name)s is accepted into %(cohort)s and can now be matched with a mentor.",
                name=name, cohort=decided.cohort.name), "info")
    else:
        flash(_("%(name)s is accepted and can now be matched with a mentor.", name=name),
              "info")
    return redirect(url_for(QUEUE_ENDPOINT))


@requires("coordinator")
def referral_resume(referral_id: int) -> Response:
    """The newcomer's résumé, for coordinators only; each download is in the audit log."""
    db = db_session()
    file = referral_file(db, referral_id)
    if file is None or file.resume is None:
        abort(404)
    try:
        path, document = open_document(db, file.resume.id)
    except DocumentError:
        abort(404)
    record_view(db, actor_of(signed_in()), file.referral.newcomer_id, "resume")
    db.commit()
    return send_file(path, mimetype=document.content_type, as_attachment=True,
                     download_name=document.filename, max_age=0)
