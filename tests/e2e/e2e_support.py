"""What every browser test shares: people in their own browser, screenshots, axe-core checks.

A :class:`Journey` gives each person (caseworker, coordinator, employee, ...) a browser context
of their own, as if each sat at their own computer, in the journey's language. ``look()``
saves a numbered screenshot and runs axe-core on the page; violations of WCAG 2.1 A/AA rules
with a serious or critical impact are collected and reported together at the end.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import Flask
from flask_babel import force_locale

LOCALES = {"en": "en-CA", "fr": "fr-CA"}
#: The caseworker's password, set on a seeded caseworker for the run (the seed sets none known).
CASEWORKER_PASSWORD = "caseworker-secret-1"
#: Every password of the city's demo directory (examples/cityhall/ldap/cityhall.ldif).
DIRECTORY_PASSWORD = "demo-password"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = ("serious", "critical")
TIMEOUT_MS = 20_000
#: The city's directory sign-in form (the LDAP provider named "portalder" in cityhall.config).
DIRECTORY_FORM = "form[action$='/sign-in/staff/portalder']"


@dataclass
class LiveServer:
    """The running intranet: its address, its Flask app and the people the tests play."""

    url: str
    app: Flask
    caseworker_email: str

    def query(self, fn: Any) -> Any:
        """Run ``fn(session)`` in an app context and return its result (for assertions)."""
        from kit import get_state

        with self.app.app_context():
            session = get_state().db.session
            try:
                return fn(session)
            finally:
                session.remove()


def axe_violations(page: Any) -> list[str]:
    """Serious and critical WCAG 2.1 AA violations on the page, one line each."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS},
                                       "resultTypes": ["violations"]})
    found = []
    for violation in results.response["violations"]:
        if violation.get("impact") not in BLOCKING_IMPACTS:
            continue
        targets = [" ".join(map(str, node["target"])) for node in violation["nodes"][:5]]
        found.append(f"{violation['id']} ({violation['impact']}): {violation['help']} "
                     f"at {', '.join(targets)}")
    return found


@dataclass
class Journey:
    """One run of the program's journey in one language; steps share it."""

    browser: Any
    server: LiveServer
    lang: str
    shots: Path
    facts: dict[str, Any] = field(default_factory=dict)
    problems: dict[str, list[str]] = field(default_factory=dict)
    checked: set[str] = field(default_factory=set)
    _pages: dict[str, Any] = field(default_factory=dict)
    _contexts: list[Any] = field(default_factory=list)
    _count: int = 0

    # -- people and pages ------------------------------------------------------------

    def page(self, who: str) -> Any:
        """The browser tab of ``who``: their own context (cookies), in the journey's language."""
        if who not in self._pages:
            context = self.browser.new_context(locale=LOCALES[self.lang],
                                               viewport={"width": 1280, "height": 900})
            context.set_default_timeout(TIMEOUT_MS)
            self._contexts.append(context)
            self._pages[who] = context.new_page()
        return self._pages[who]

    def url(self, path: str) -> str:
        """The absolute address of ``path`` on the live server."""
        return self.server.url + path

    def t(self, text: str, **variables: Any) -> str:
        """``text`` as the kit says it in the journey's language (its own catalog)."""
        from kit.i18n import gettext

        with self.server.app.test_request_context(), force_locale(self.lang):
            return gettext(text, **variables)

    def close(self) -> None:
        """Close every person's browser context."""
        for context in self._contexts:
            context.close()

    # -- what every page gets --------------------------------------------------------------

    def look(self, page: Any, name: str) -> None:
        """Check the page is in the journey's language, save a screenshot, run axe-core."""
        page.wait_for_load_state("load")
        assert page.locator("html").get_attribute("lang") == self.lang, page.url
        self._count += 1
        page.screenshot(path=str(self.shots / f"{self._count:02d}-{name}.png"), full_page=True)
        key = f"{urlsplit(page.url).path} ({name})"
        found = axe_violations(page)
        self.checked.add(key)
        if found:
            self.problems[key] = found

    def speak_my_language(self, page: Any) -> None:
        """Press the language switch when the page is not in the journey's language yet.

        A signed-in person's stored preference wins over the browser's; the switch changes it.
        """
        if page.locator("html").get_attribute("lang") != self.lang:
            page.locator(f"button[name=locale][value={self.lang}]").first.click()
            page.wait_for_load_state("load")
        assert page.locator("html").get_attribute("lang") == self.lang

    def sign_in_with_directory(self, page: Any, username: str, next_path: str) -> None:
        """Sign in on the kit's page with a city account (the LDAP form)."""
        page.goto(self.url(f"/mentoring/sign-in?next={next_path}"))
        form = page.locator(DIRECTORY_FORM)
        form.locator("input[name=username]").fill(username)
        form.locator("input[name=password]").fill(DIRECTORY_PASSWORD)
        form.locator("button[type=submit]").click()
        page.wait_for_url(re.compile(re.escape(next_path.split("?")[0])))
        self.speak_my_language(page)

    def report(self) -> str:
        """The accessibility problems found, page by page."""
        return "\n".join(f"{page}:\n  " + "\n  ".join(lines)
                         for page, lines in sorted(self.problems.items()))
