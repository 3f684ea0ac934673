"""Certificates as downloads: the program's name in both languages and the PDF response."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Response, abort, current_app
from flask_babel import force_locale

from kit.services.recognition import CertificateError, find_font
from kit.state import get_state
from kit.templating import program_name


def program_names() -> dict[str, str]:
    """The program's name in English and in French."""
    names = {}
    for locale in ("en", "fr"):
        with force_locale(locale):
            names[locale] = program_name(locale)
    return names


def pdf_response(render: Callable[..., bytes], cert: Any, locale: str, filename: str
                 ) -> Response:
    """The certificate as a PDF download; a missing font is the operator's error (503)."""
    try:
        font = find_font(get_state().config["KIT_CERTIFICATE_FONT"])
    except CertificateError as error:
        current_app.logger.error("%s", error)
        abort(503)
    body = render(cert, font, "fr" if locale.startswith("fr") else "en")
    response = Response(body, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response
