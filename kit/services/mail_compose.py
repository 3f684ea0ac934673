"""Composing the kit's e-mails: the request context they need, links, and rendering.

Every notice module (referrals, matches, sessions, formats, follow-up) writes its e-mails with
these three, so that a message looks and links the same whichever change sent it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import current_app, has_request_context, render_template, request, url_for
from werkzeug.routing import BuildError

from kit.i18n import template_gettext
from kit.labels import label
from kit.templating import program_name

_NO_LINKS = "kit.mail_without_links"


@contextmanager
def mail_context() -> Iterator[None]:
    """Write e-mails outside a request (a command, a cron job) as inside one.

    Translations need a request context; links need the app's address, which only
    ``SERVER_NAME`` gives outside a request: without it, e-mails go without links rather than
    with links to a wrong host. Inside a request this does nothing.
    """
    if has_request_context():
        yield
        return
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    with app.test_request_context(
            environ_overrides={_NO_LINKS: not app.config.get("SERVER_NAME")}):
        yield


def mail_link(endpoint: str, **values: object) -> str | None:
    """The absolute URL of a kit page for an e-mail, or None when no address is known."""
    # The page may live on another host (an agency-only portal): then the e-mail has no link.
    if not has_request_context() or request.environ.get(_NO_LINKS):
        return None
    try:
        return url_for(endpoint, _external=True, **values)
    except (BuildError, RuntimeError):  # RuntimeError: no request and no SERVER_NAME
        return None


def render_mail(locale: str, template: str, **context: object) -> str:
    """Render an e-mail template; call it inside ``force_locale(locale)``."""
    # The kit's default program name is translated too.
    return render_template(template, _=template_gettext, label=label,
                           program=program_name(locale), **context)
