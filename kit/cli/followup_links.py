"""Links in the e-mails of the follow-up jobs (check-ins, outcomes)."""

from __future__ import annotations

from flask import request, url_for
from sqlalchemy.orm import Session
from werkzeug.routing import BuildError

from kit.auth.newcomer_links import issue_link
from kit.state import get_state

_NO_LINKS = "kit.mail_without_links"  # set by kit.services.referral_notices.mail_context


def external_url(endpoint: str, **values: object) -> str | None:
    """The page's address, or None when it cannot be known (no SERVER_NAME, not mounted)."""
    if request.environ.get(_NO_LINKS):
        return None
    try:
        return url_for(endpoint, _external=True, **values)
    except (BuildError, RuntimeError):
        return None


def newcomer_page_url(db: Session, secret_key: str, newcomer_id: int, page: str) -> str | None:
    """A fresh personal link of the newcomer that opens ``page`` ('checkins', 'outcomes')."""
    if request.environ.get(_NO_LINKS):
        return None
    token = issue_link(db, secret_key, newcomer_id,
                       max_age_days=get_state().config["KIT_NEWCOMER_LINK_MAX_AGE_DAYS"])
    return external_url("kit_newcomer.open_link_to", token=token, page=page)
