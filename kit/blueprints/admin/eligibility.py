"""The program admin's eligibility settings page: criteria on or off, and their parameters."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import (
    BooleanField,
    Field,
    IntegerField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, NumberRange, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from kit.auth.identity import actor_of
from kit.auth.permissions import requires, signed_in
from kit.db import db_session
from kit.eligibility import CRITERIA, DEFAULT_PARAMETERS, RuleSetting
from kit.i18n import gettext as _
from kit.i18n import lazy_gettext as _l
from kit.models.newcomers import IMMIGRATION_STATUSES
from kit.schemas.referral import IMMIGRATION_LABELS
from kit.services.eligibility_settings import (
    MAX_AREA_LENGTH,
    MAX_AREAS,
    SettingsError,
    current_rules,
    save_rules,
)

#: The form field that holds each criterion's parameter (for errors the service finds).
PARAMETER_FIELDS = {"immigration_status": "allowed_statuses", "education_abroad": "home_country",
                    "language_level": "minimum_level", "residence": "areas"}


class CheckboxesField(SelectMultipleField):
    """Several choices as checkboxes (one per immigration status)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _at_least_one(_form: FlaskForm, field: Field) -> None:
    if not field.data:
        raise ValidationError(_l("Tick at least one status."))


def _areas(text: str | None) -> list[str]:
    return [" ".join(line.split()) for line in (text or "").splitlines() if line.strip()]


def _check_areas(_form: FlaskForm, field: Field) -> None:
    areas = _areas(field.data)
    if len(areas) > MAX_AREAS:
        raise ValidationError(_l("List at most %(count)d areas.", count=MAX_AREAS))
    too_long = [area for area in areas if len(area) > MAX_AREA_LENGTH]
    if too_long:
        raise ValidationError(_l("An area name has at most %(count)d characters: %(area)s",
                                 count=MAX_AREA_LENGTH, area=too_long[0][:40] + "…"))


class EligibilityForm(FlaskForm):
    """Every criterion's switch and parameters, saved together."""

    immigration_status_enabled = BooleanField(_l("Check the immigration status"))
    allowed_statuses = CheckboxesField(
        _l("Statuses accepted"),
        choices=[SelectChoice(code, IMMIGRATION_LABELS[code]) for code in IMMIGRATION_STATUSES],
        validators=[_at_least_one])
    education_abroad_enabled = BooleanField(_l("Require an education outside the country"))
    home_country = StringField(
        _l("Country of the program"),
        description=_l("Two-letter code, such as CA: a newcomer educated elsewhere passes."),
        filters=[lambda value: value.strip().upper() if value else value],
        validators=[InputRequired(message=_l("Enter a two-letter country code, such as CA.")),
                    Regexp(r"^[A-Z]{2}$",
                           message=_l("Enter a two-letter country code, such as CA."))])
    language_level_enabled = BooleanField(_l("Require a minimum language level"))
    minimum_level = IntegerField(
        _l("Lowest CLB/NCLC level accepted"),
        description=_l("From 1 to 12; every skill must reach it."),
        validators=[InputRequired(message=_l("Enter a level from 1 to 12.")),
                    NumberRange(1, 12, message=_l("Enter a level from 1 to 12."))])
    residence_enabled = BooleanField(_l("Require residence in the region"))
    areas = TextAreaField(
        _l("Areas of the region"),
        description=_l("One per line. Leave empty to accept any area the agency names."),
        validators=[_check_areas])
    job_search_workshop_enabled = BooleanField(_l("Require the job-search workshop"))

    def settings(self) -> dict[str, RuleSetting]:
        """The rules the admin asked for."""
        parameters: dict[str, dict[str, Any]] = {
            "immigration_status": {"allowed": list(self.allowed_statuses.data or [])},
            "education_abroad": {"home_country": self.home_country.data},
            "language_level": {"minimum": self.minimum_level.data},
            "residence": {"areas": _areas(self.areas.data)},
            "job_search_workshop": {},
        }
        return {code: RuleSetting(code, bool(self[f"{code}_enabled"].data), parameters[code])
                for code in CRITERIA}


def _initial(views: list[Any]) -> dict[str, Any]:
    by_code = {view.criterion: view for view in views}
    data: dict[str, Any] = {f"{code}_enabled": by_code[code].enabled for code in CRITERIA}
    data["allowed_statuses"] = list(by_code["immigration_status"].parameters["allowed"])
    data["home_country"] = by_code["education_abroad"].parameters["home_country"]
    data["minimum_level"] = by_code["language_level"].parameters["minimum"]
    data["areas"] = "\n".join(by_code["residence"].parameters.get("areas", []))
    return data


def register(bp: Blueprint) -> None:
    """Add the eligibility settings page to ``bp``."""
    bp.add_url_rule("/eligibility", "eligibility", eligibility, methods=["GET", "POST"])


@requires("admin")
def eligibility() -> Response | tuple[str, int]:
    """The eligibility rules: the Ottawa program's defaults, and what this program changed."""
    db = db_session()
    views = current_rules(db)
    # The stored values fill a first visit; a submitted form keeps what the admin typed.
    form = EligibilityForm(data=_initial(views))
    if form.validate_on_submit():
        try:
            changed = save_rules(db, actor_of(signed_in()), form.settings())
        except SettingsError as exc:
            form[PARAMETER_FIELDS.get(exc.criterion, "allowed_statuses")].errors.append(
                _("This value cannot be used."))
        else:
            db.commit()
            if changed:
                flash(_("Eligibility rules saved: they apply to referrals evaluated from now on."),
                      "info")
            else:
                flash(_("Nothing changed."), "info")
            return redirect(url_for("kit_admin.eligibility"))
    status = 400 if form.errors else 200
    default_statuses = ", ".join(str(IMMIGRATION_LABELS[code]) for code in
                                 DEFAULT_PARAMETERS["immigration_status"]["allowed"])
    return render_template("kit/admin/eligibility.html", form=form, views=views,
                           default_statuses=default_statuses), status
