"""Forms of the coordinator's pages."""

from __future__ import annotations

from flask_wtf import FlaskForm


class ButtonForm(FlaskForm):
    """A button that changes something (send a link, revoke): a POST with a CSRF token."""
