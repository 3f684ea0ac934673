"""Personal calendar feeds: the page to make, replace or revoke one, and the feed itself."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request, url_for

from kit.auth.permissions import public, requires, signed_in
from kit.blueprints.staff.session_forms import ButtonForm
from kit.db import db_session
from kit.services.calendar_feeds import Owner, create_feed, feed_for_token, live_feed, revoke_feed


def register(bp: Blueprint) -> None:
    """Add the calendar pages and the public feed route to the staff blueprint."""
    bp.add_url_rule("/calendar", "calendar", calendar, methods=["GET", "POST"])
    bp.add_url_rule("/calendar/<token>.ics", "calendar_feed", calendar_feed)


def feed_page(owner: Owner, template: str) -> str | tuple[str, int]:
    """GET: whether a feed is live; POST ``action`` create/rotate or revoke.

    The URL is shown once, right after it is made: only its hash is kept.
    """
    db = db_session()
    form = ButtonForm()
    url = None
    if request.method == "POST":
        if not form.validate():
            abort(400)
        action = request.form.get("action")
        if action == "revoke":
            revoke_feed(db, owner)
        elif action == "create":
            token = create_feed(db, owner)
            url = url_for("kit_staff.calendar_feed", token=token, _external=True)
        else:
            abort(400)
        db.commit()
    return render_template(template, feed=live_feed(db, owner), url=url, form=form)


@requires("staff")
def calendar() -> str | tuple[str, int]:
    """The employee's calendar feed."""
    return feed_page(Owner("staff", signed_in().id), "kit/calendar_feed.html")


@public
def calendar_feed(token: str) -> Response:
    """The secret feed a calendar program subscribes to; 404 once revoked."""
    db = db_session()
    text = feed_for_token(db, token)
    if text is None:
        abort(404)
    db.commit()
    response = Response(text, mimetype="text/calendar")
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Disposition"] = 'inline; filename="sessions.ics"'
    return response
