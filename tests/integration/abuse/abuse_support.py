"""What the abuse tests share: a program with every kind of record, its pages and their forms.

The program is the one the query-count test builds (``_build`` there), so a page added with
data for that test is walked here too without a change.
"""

from __future__ import annotations

import re
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from conftest import make_app, sign_in_as
from flask import Flask, url_for
from flask.testing import FlaskClient
from werkzeug.datastructures import MultiDict

from kit import get_state
from kit.auth.permissions import PERMISSION_ATTRIBUTE, ROLES
from kit.models import Base
from servers.pytest_plugin import selected_db

sys.path.insert(0, str(Path(__file__).parents[1] / "web"))
import test_query_counts as query_counts  # the module lives beside the web tests

Program = query_counts.Program

#: Endpoints whose POST ends the walk's session or deletes what later pages should show.
DESTRUCTIVE = frozenset({"kit.sign_out", "kit_coordinator.privacy_erase"})
TEXT_TYPES = frozenset({"text", "email", "search", "tel", "url", ""})


@contextmanager
def program_on_db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
            **config: Any) -> Iterator[Program]:
    """A program of the query-count test's small size, on the database ``--db`` chose."""
    postgres = (request.getfixturevalue("postgres_server")
                if selected_db(request.config) == "postgresql" else None)
    name = f"kit_test_{uuid.uuid4().hex[:16]}"
    if postgres is not None:
        url = postgres.create_database(name)
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('program') / 'kit.sqlite'}"
    app = make_app(url, KIT_PAGE_SIZE=query_counts.PAGE_SIZE, KIT_API_RATE_LIMIT=1_000_000,
                   **config)
    try:
        with app.app_context():
            Base.metadata.create_all(get_state().db.engine)
            built = query_counts._build(app, 1)
            get_state().db.session.remove()
        yield built
    finally:
        with app.app_context():
            get_state().db.session.remove()
            get_state().db.engine.dispose()
        if postgres is not None:
            postgres.drop_database(name)


def role_of(app: Flask, endpoint: str) -> str | None:
    """The first role a view declares, or None for public views."""
    permission = getattr(app.view_functions[endpoint], PERMISSION_ATTRIBUTE, None)
    if isinstance(permission, tuple) and set(permission) <= set(ROLES):
        return permission[0]
    return None


def html_pages(program: Program) -> list[tuple[str, str, str]]:
    """(endpoint, path, role) of every GET page of the kit's web blueprints.

    A page whose record ``_build`` does not make yet is left out: the query-count test
    already fails for it.
    """
    pages = []
    for endpoint, rule in query_counts._kit_pages(program.app):
        if endpoint.startswith("kit_api.") or endpoint.endswith(".occupations"):
            continue
        role = role_of(program.app, endpoint)
        if role is not None and set(re.findall(r"<int:(\w+)>", rule)) <= set(program.ids):
            pages.append((endpoint, query_counts._path(program, endpoint, rule), role))
    return pages


def signed_client(program: Program, role: str | None) -> FlaskClient:
    """A client signed in as the program's person for ``role`` (anonymous for None)."""
    client = program.app.test_client()
    if role is not None:
        sign_in_as(client, *program.people[role])
    return client


def rule_path(program: Program, endpoint: str, rule: str) -> str:
    """The path of ``rule`` with the program's ids (and stand-ins for the other arguments)."""
    values: dict[str, Any] = {}
    for converter, name in re.findall(r"<(?:(\w+):)?(\w+)>", rule):
        if name in program.ids:
            values[name] = program.ids[name]
        elif converter == "int":
            values[name] = 1
        else:
            values[name] = "city"
    with program.app.test_request_context():
        return url_for(endpoint, **values)


@dataclass
class Form:
    """A form found on a page: where it goes, and its fields as a browser would send them."""

    method: str
    action: str
    fields: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, name, value)
    selects: dict[str, list[str]] = field(default_factory=dict)
    buttons: list[tuple[str, str]] = field(default_factory=list)

    def data(self, text: str | None, button: tuple[str, str] | None = None,
             csrf: bool = True) -> MultiDict[str, str]:
        """The fields to send; every text field and textarea holds ``text`` when given."""
        sent: list[tuple[str, str]] = []
        for kind, name, value in self.fields:
            if name == "csrf_token" and not csrf:
                continue
            if text is not None and kind in TEXT_TYPES | {"textarea"}:
                value = text
            sent.append((name, value or _plausible(kind)))
        for name, options in self.selects.items():
            sent.append((name, options[0] if options else ""))
        if button is not None and button[0]:
            sent.append(button)
        return MultiDict(sent)


def _plausible(kind: str) -> str:
    """A valid value for an empty field of ``kind``, so that the form can be saved."""
    soon = date.today() + timedelta(days=21)
    return {"date": soon.isoformat(), "time": "10:00", "number": "2",
            "datetime-local": f"{soon.isoformat()}T10:00", "checkbox": "y"}.get(kind, "")


class _FormParser(HTMLParser):
    def __init__(self, base: str) -> None:
        super().__init__(convert_charrefs=True)
        self.base = base
        self.forms: list[Form] = []
        self.form: Form | None = None
        self.textarea: list[str] | None = None
        self.select: tuple[str, list[str], list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            action = urljoin(self.base, a.get("action") or self.base)
            self.form = Form(a.get("method", "get").lower(), action)
            self.forms.append(self.form)
        elif self.form is None or "disabled" in a:
            return
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text").lower()
            if kind in ("submit", "image"):
                self.form.buttons.append((a["name"], a.get("value", "")))
            elif kind == "file" or (kind in ("radio", "checkbox") and not self._take(a)):
                return
            else:
                self.form.fields.append((kind, a["name"], a.get("value", "")))
        elif tag == "button" and a.get("type", "submit") == "submit":
            self.form.buttons.append((a.get("name", ""), a.get("value", "")))
        elif tag == "textarea" and a.get("name"):
            self.textarea = [a["name"]]
        elif tag == "select" and a.get("name"):
            self.select = (a["name"], [], [])
        elif tag == "option" and self.select is not None:
            value = a.get("value", "")
            (self.select[2] if "selected" in a else self.select[1]).append(value)

    def _take(self, a: dict[str, str]) -> bool:
        # Tick every checkbox (consents, confirmations) and the first radio of each group.
        if a.get("type", "").lower() == "checkbox":
            return True
        assert self.form is not None
        return all(name != a["name"] for _kind, name, _v in self.form.fields)

    def handle_data(self, data: str) -> None:
        if self.textarea is not None:
            self.textarea.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.form = None
        elif tag == "textarea" and self.textarea is not None and self.form is not None:
            self.form.fields.append(("textarea", self.textarea[0], "".join(self.textarea[1:])))
            self.textarea = None
        elif tag == "select" and self.select is not None and self.form is not None:
            name, options, chosen = self.select
            self.form.selects[name] = chosen + [o for o in options if o] + options
            self.select = None


def forms_of(html: str, page: str) -> list[Form]:
    """The forms of a page, their actions resolved against the page's path."""
    parser = _FormParser(page)
    parser.feed(html)
    return parser.forms


def local_path(url: str) -> str:
    """The path and query of a URL on this site."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")
