"""Hostile text in every form: it comes back escaped, and SQL in it is only text.

The walk opens every page of the kit as the role it declares, finds each ``<form method=post>``
and sends it with a payload in every text field and textarea: once for each of its submit
buttons. The payload mixes markup that would run script if echoed raw and SQL that would
change the database if pasted into a statement. No answer may be a 500, no page (the answer,
the page it redirects to, nor any page afterwards) may carry the markup unescaped, and every
table is still there afterwards.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from abuse_support import (
    DESTRUCTIVE,
    Form,
    Program,
    forms_of,
    html_pages,
    local_path,
    program_on_db,
    signed_client,
)
from flask.testing import FlaskClient
from sqlalchemy import func, inspect, select

from kit import get_state
from kit.models import Base, Newcomer

MARKUP = "<script>alert(1)</script>\"'><img src=x onerror=alert(1)>"
SQL = "' OR '1'='1'; DROP TABLE kit_newcomer; --"
PAYLOAD = f"{MARKUP} {SQL}"
RAW = ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>")
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


@pytest.fixture(scope="module")
def program(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
            ) -> Iterator[Program]:
    with program_on_db(request, tmp_path_factory) as built:
        yield built


def _raw_markup(html: str) -> list[str]:
    return [raw for raw in RAW if raw in html]


def _html(response: Any) -> str:
    # Downloads (calendars, spreadsheets, certificates) are not pages a browser would run.
    return response.get_data(as_text=True) if response.mimetype == "text/html" else ""


def _post_forms(program: Program, clients: dict[str, FlaskClient]
                ) -> list[tuple[str, str, Form]]:
    """(page, role, form) for every POST form on every page, each action once per role."""
    found: dict[tuple[str, str], tuple[str, str, Form]] = {}
    for _endpoint, path, role in html_pages(program):
        response = clients[role].get(path)
        assert response.status_code < 500, (path, response.status_code)
        for form in forms_of(_html(response), path):
            if form.method == "post":
                found.setdefault((local_path(form.action), role), (path, role, form))
    return list(found.values())


def test_markup_and_sql_in_every_text_field_come_back_escaped(program: Program) -> None:
    app = program.app
    # One client per role: the CSRF tokens in the forms belong to its session.
    clients = {role: signed_client(program, role) for role in program.people}
    forms = _post_forms(program, clients)
    assert len(forms) >= 10, "the walk found too few forms"
    statuses: Counter[int] = Counter()
    failures: list[str] = []
    sent = 0
    for _page, role, form in forms:
        target = local_path(form.action)
        endpoint = app.url_map.bind("localhost").match(target.split("?")[0], method="POST")[0]
        if endpoint in DESTRUCTIVE:
            continue
        for button in (form.buttons or [("", "")])[:3]:
            response = clients[role].post(target, data=form.data(PAYLOAD, button),
                                          follow_redirects=True)
            sent += 1
            statuses[response.status_code] += 1
            html = _html(response)
            if response.status_code >= 500:
                failures.append(f"{response.status_code} from {target} {button}")
            if _raw_markup(html):
                failures.append(f"raw markup after POST {target} {button}")

    shown = 0
    for endpoint, path, role in html_pages(program):
        response = signed_client(program, role).get(path)
        html = _html(response)
        if response.status_code >= 500 or _raw_markup(html):
            failures.append(f"{endpoint}: {response.status_code} {_raw_markup(html)}")
        shown += ESCAPED in html
    print(f"\n{sent} form submissions: {dict(statuses)}; payload shown escaped on {shown} pages")
    assert failures == []
    assert shown >= 3, "the payload was saved nowhere: the walk proves nothing"

    with app.app_context():
        db = get_state().db.session
        tables = set(inspect(db.get_bind()).get_table_names())
        assert {t.name for t in Base.metadata.sorted_tables} <= tables
        assert db.scalar(select(func.count(Newcomer.id))) > 1
