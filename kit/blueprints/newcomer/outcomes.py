"""The newcomer tells the program where they are in their job search after the match."""

from __future__ import annotations

from flask import Blueprint, url_for
from werkzeug.wrappers import Response

from kit.auth.permissions import requires, signed_in
from kit.blueprints.followup_outcomes import outcome_page


def register(bp: Blueprint) -> None:
    """Add the follow-up page to the newcomer blueprint."""
    bp.add_url_rule("/outcomes", "outcomes", outcomes, methods=["GET", "POST"])


@requires("newcomer")
def outcomes() -> str | Response | tuple[str, int]:
    """My follow-ups: at the close of my match and 3, 6 and 12 months after."""
    return outcome_page(signed_in().id, "kit/newcomer/outcomes.html",
                        url_for("kit_newcomer.outcomes"))
