"""Jinja wiring: the host's layout, translation helpers and formatting filters."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from flask import Flask, render_template, url_for
from flask_babel import (
    format_date,
    format_datetime,
    format_decimal,
    format_time,
    to_user_timezone,
)
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from kit.auth.identity import current_identity
from kit.config import localized
from kit.i18n import current_locale, gettext, template_gettext
from kit.labels import label
from kit.state import get_state

DEFAULT_LAYOUT = "kit/layout.html"


def init_templating(app: Flask) -> None:
    """Give templates what kit pages need; names are prefixed so the host's stay intact."""
    app.jinja_env.globals.setdefault("csrf_token", generate_csrf)
    app.jinja_env.globals.update(
        kit_gettext=template_gettext,
        kit_label=label,
        kit_static=lambda filename: url_for("kit.static", filename=filename),
        kit_volunteer_card=volunteer_card,
    )
    app.jinja_env.filters.update(
        kit_date=_format_date,
        kit_datetime=_format_datetime,
        kit_time=lambda value: format_time(value, "short") if value else "",
        kit_number=_format_number,
    )


def volunteer_card(class_: str = "", heading_level: int = 2) -> Markup:
    """The "Volunteer as a mentor" card for a host's own pages (``{{ kit_volunteer_card() }}``).

    It links to the offer form and, for a signed-in employee, says where their offer stands
    (none yet, awaiting approval, approved, paused). Nothing for caseworkers and newcomers, nor
    when the host did not mount the staff pages. ``class_`` adds the host's own card class;
    ``heading_level`` fits the card's heading into the host page's outline.
    """
    if "staff" not in get_state().blueprints:
        return Markup("")
    identity = current_identity()
    state = None
    if identity is not None:
        if identity.kind != "staff":
            return Markup("")
        from kit.db import db_session
        from kit.services.volunteers import profile_of

        profile = profile_of(db_session(), identity.id)
        state = profile.status if profile is not None else "none"
    # Jinja rendered it with autoescaping on: the HTML is already safe.
    return Markup(render_template(  # noqa: S704
        "kit/helpers/volunteer_card.html", _=template_gettext, state=state,
        program=program_name(), class_=class_, heading_level=min(max(heading_level, 2), 6)))


def program_name(locale: str | None = None) -> str:
    """The program's name in ``locale`` (default: the current request's language)."""
    name = get_state().config["KIT_PROGRAM_NAME"]
    if name == "Mentoring program":  # the kit's own default is translated like its other text
        return gettext("Mentoring program")
    return localized(name, locale or current_locale())


def kit_template_context() -> dict[str, Any]:
    """Context of every page rendered by a kit blueprint."""
    config = get_state().config
    return {
        "_": template_gettext,
        "kit_base_template": config["KIT_BASE_TEMPLATE"] or DEFAULT_LAYOUT,
        "kit_program_name": program_name(),
        "kit_locale": current_locale(),
        "kit_locales": config["KIT_LOCALES"],
        "kit_identity": current_identity(),
        "kit_demo_mode": config["KIT_DEMO_MODE"],
        "kit_mounted": get_state().blueprints,
        # Each language is named in itself, so a reader finds theirs whatever the page's language.
        "kit_language_names": {"en": "English", "fr": "Français"},
    }


def _format_date(value: date | datetime | None, style: str = "medium") -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        # A moment becomes a calendar date in the employer's time zone, not in UTC.
        value = to_user_timezone(value).date()
    return format_date(value, style)


def _format_datetime(value: datetime | None, style: str = "medium") -> str:
    return format_datetime(value, style) if value else ""


def _format_number(value: int | float | Decimal | None, digits: int = 1) -> str:
    if value is None:
        return ""
    return format_decimal(value, format="#,##0." + "#" * digits if digits else "#,##0")
