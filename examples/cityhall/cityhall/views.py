"""The intranet's own pages: home, directory and service placeholders.

The language switch and sign-in are the kit's: one switch serves both kinds of page.
"""

from __future__ import annotations

from datetime import date, timedelta

from flask import Blueprint, abort, render_template, request
from flask_babel import format_date

from cityhall.content import DIRECTORY_TEASER, FOOTER_LINKS, NEWS, QUICK_LINKS
from cityhall.i18n import current_language, t

bp = Blueprint("cityhall", __name__)


@bp.get("/")
def home() -> str:
    """The intranet's front page."""
    today = date.today()
    news = [(item, today - timedelta(days=item.age_days)) for item in NEWS]
    return render_template(
        "cityhall/home.html",
        news=news,
        format_date=format_date,
        quick_links=QUICK_LINKS,
        directory=DIRECTORY_TEASER,
        lang=current_language(),
    )


@bp.get("/services/<slug>")
def service(slug: str) -> str:
    """A quick link's destination; the real services live in other systems."""
    labels = dict(QUICK_LINKS + FOOTER_LINKS)
    if slug not in labels:
        abort(404)
    return render_template("cityhall/service.html", label=t(labels[slug]))


@bp.get("/directory")
def directory() -> str:
    """The staff directory search, reduced to the teaser in this example."""
    query = request.args.get("q", "").strip()[:100]
    lang = current_language()
    needle = query.casefold()
    people = [
        person for person in DIRECTORY_TEASER
        if needle in " ".join((person[0], person[1][lang], person[2][lang])).casefold()
    ]
    return render_template("cityhall/directory.html", query=query, directory=people, lang=lang)


@bp.app_errorhandler(404)
def not_found(_error: Exception) -> tuple[str, int]:
    """The intranet's own page for unknown addresses."""
    return render_template("cityhall/not_found.html"), 404
