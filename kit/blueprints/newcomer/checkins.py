"""The newcomer's monthly check-ins, answered through their personal link."""

from __future__ import annotations

from flask import Blueprint
from werkzeug.wrappers import Response

from kit.auth.permissions import requires, signed_in
from kit.blueprints.staff.checkins import answer_view, render_checkins

RESPONDENT = "newcomer"
TEMPLATE = "kit/newcomer/checkins.html"


def register(bp: Blueprint) -> None:
    """Add the check-in pages to the newcomer blueprint."""
    bp.add_url_rule("/checkins", "checkins", checkins)
    bp.add_url_rule("/checkins/<int:check_in_id>", "answer_checkin", answer, methods=["POST"])


@requires("newcomer")
def checkins() -> str:
    """My open check-ins."""
    return render_checkins(TEMPLATE, RESPONDENT, signed_in().id)


@requires("newcomer")
def answer(check_in_id: int) -> Response | tuple[str, int]:
    """Answer one check-in."""
    return answer_view(TEMPLATE, RESPONDENT, ".checkins", check_in_id)
