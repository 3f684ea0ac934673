"""The intranet's own pages: home, branches and announcements."""

from __future__ import annotations

from flask import Blueprint, abort, render_template

from northshore.models import Branch, all_branches, latest_announcements

bp = Blueprint("intranet", __name__)


@bp.get("/")
def home() -> str:
    """The front page: the latest announcements, the branches, the mentoring program."""
    return render_template("northshore/home.html", announcements=latest_announcements(),
                           branches=all_branches())


@bp.get("/branches/")
def branches() -> str:
    """Every branch with its transit number and telephone."""
    return render_template("northshore/branches.html", branches=all_branches())


@bp.get("/branches/<transit>")
def branch(transit: str) -> str:
    """One branch and the announcements addressed to it."""
    found = Branch.by_transit(transit)
    if found is None:
        abort(404)
    return render_template("northshore/branch.html", branch=found)


@bp.get("/announcements/")
def announcements() -> str:
    """Every announcement, newest first."""
    return render_template("northshore/announcements.html",
                           announcements=latest_announcements(limit=100))


@bp.app_errorhandler(404)
def not_found(_error: Exception) -> tuple[str, int]:
    """The intranet's own page for unknown addresses."""
    return render_template("northshore/not_found.html"), 404
