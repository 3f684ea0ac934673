"""Translations: the kit's own Flask-Babel domain, locale selection and catalog commands.

The kit's messages live in the ``kit`` domain (``kit/translations/<locale>/LC_MESSAGES/kit.po``)
so that they never mix with the host application's catalogs. Run ``python -m kit.i18n``
with ``extract``, ``update`` or ``compile``; ``init_app`` compiles stale catalogs too.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any

import flask_babel
from babel import Locale, support
from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, has_request_context, request, session
from flask_babel import Babel, Domain, LazyString

from kit.state import get_state

TRANSLATIONS_DIR = Path(__file__).parent / "translations"
DOMAIN = "kit"
SESSION_LOCALE_KEY = "kit_locale"
#: Most distinct template messages remembered per language; the kit's templates have fewer.
TEMPLATE_MEMO_SIZE = 5000
log = logging.getLogger(__name__)


class KitDomain(Domain):
    """The kit's translation domain, with the look-ups every page makes kept cheap.

    A page asks for a hundred messages. Flask-Babel's domain finds the catalog by the locale's
    name on each of them; this one keeps it per locale, and keeps each template message's text
    per locale and host domain (the kit's catalog, else the host's): catalogs do not change
    while the process runs, and Flask-Babel keeps them loaded for good as well. The locale is
    still asked for on every look-up, so ``force_locale`` (e-mails) and ``refresh`` hold.
    """

    def __init__(self, translation_directories: list[str], domain: str) -> None:
        super().__init__(translation_directories=translation_directories, domain=domain)
        self._catalogs: dict[Locale, support.Translations] = {}
        self._template_texts: dict[tuple[Locale, Domain], dict[str, str]] = {}

    def get_translations(self) -> support.NullTranslations:
        """The kit's catalog in the current locale (no translation outside a request)."""
        locale = flask_babel.get_locale()
        if locale is None:
            return support.NullTranslations()
        try:
            return self._catalogs[locale]
        except KeyError:
            return self._catalogs.setdefault(locale, super().get_translations())

    def template_text(self, string: str) -> str:
        """``string`` in the current locale: the kit's catalog first, then the host's."""
        locale = flask_babel.get_locale()
        if locale is None:
            return string
        texts = self._template_texts.setdefault((locale, flask_babel.get_domain()), {})
        try:
            return texts[string]
        except KeyError:
            pass
        text = self.get_translations().ugettext(string)
        if text == string:
            text = flask_babel.gettext(string)
        if len(texts) < TEMPLATE_MEMO_SIZE:
            texts[string] = text
        return text


def _translations() -> Any:
    if not has_request_context():
        return None
    return get_state().translations.get_translations()


def gettext(string: str, **variables: Any) -> str:
    """Translate ``string`` in the kit's domain and fill ``%(name)s`` placeholders."""
    translations = _translations()
    text = translations.ugettext(string) if translations is not None else string
    return text % variables if variables else text


def ngettext(singular: str, plural: str, num: int, **variables: Any) -> str:
    """Translate a message that depends on a count; ``%(num)d`` is filled in."""
    variables.setdefault("num", num)
    translations = _translations()
    if translations is None:
        text = singular if num == 1 else plural
    else:
        text = translations.ungettext(singular, plural, num)
    return text % variables


def lazy_gettext(string: str, **variables: Any) -> LazyString:
    """A string translated when it is rendered: for form labels and module constants."""
    return LazyString(gettext, string, **variables)


def template_gettext(string: str, **variables: Any) -> str:
    """``_()`` in templates: the kit's catalog first, then the host's for the host's layout."""
    text = get_state().translations.template_text(string) if has_request_context() else string
    return text % variables if variables else text


def current_locale() -> str:
    """The language of the current request, as a short code such as 'en' or 'fr'."""
    return str(flask_babel.get_locale() or get_state().config["KIT_DEFAULT_LOCALE"])


def select_locale() -> str:
    """Choose the language: the person's preference, then Accept-Language, then the default.

    A language picked with the switch is remembered in the session for visitors who are not
    signed in; for a signed-in person the switch updates their stored preference.
    """
    config = get_state().config
    locales = config["KIT_LOCALES"]
    from kit.auth.identity import current_identity  # import here: identity imports this module

    identity = current_identity()
    if identity is not None and identity.locale in locales:
        return identity.locale
    chosen = session.get(SESSION_LOCALE_KEY)
    if chosen in locales:
        return chosen
    return request.accept_languages.best_match(locales) or config["KIT_DEFAULT_LOCALE"]


def select_timezone() -> str:
    """The employer's time zone, for dates shown on pages."""
    return get_state().config["KIT_TIMEZONE"]


def init_babel(app: Flask, config: dict[str, Any]) -> KitDomain:
    """Set up Flask-Babel (unless the host already did) and return the kit's own domain."""
    compile_catalogs(quiet=True)
    if "babel" not in app.extensions:
        app.config.setdefault("BABEL_DEFAULT_LOCALE", config["KIT_DEFAULT_LOCALE"])
        app.config.setdefault("BABEL_DEFAULT_TIMEZONE", config["KIT_TIMEZONE"])
        Babel(app, locale_selector=select_locale, timezone_selector=select_timezone)
    return KitDomain([str(TRANSLATIONS_DIR)], DOMAIN)


def remember_locale(locale: str) -> None:
    """Remember the language chosen with the switch for the rest of the visit."""
    session[SESSION_LOCALE_KEY] = locale
    flask_babel.refresh()


def compile_catalogs(*, quiet: bool = False) -> list[Path]:
    """Compile every ``.po`` catalog whose ``.mo`` is missing or older; return those written.

    Runs at start-up so that a fresh checkout is translated without a build step; a read-only
    installation that ships compiled catalogs is left as it is.
    """
    written = []
    for po_path in sorted(TRANSLATIONS_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file, locale=po_path.parts[-3], domain=DOMAIN)
        try:
            with mo_path.open("wb") as mo_file:
                write_mo(mo_file, catalog)
        except OSError as exc:
            log.warning("Cannot write compiled catalog %s: %s", mo_path, exc)
            continue
        written.append(mo_path)
        if not quiet:
            print(f"compiled {mo_path}")
    return written


def main(argv: list[str]) -> int:
    """``python -m kit.i18n extract|update|compile``: maintain the kit's catalogs."""
    root = Path(__file__).parent
    pot = TRANSLATIONS_DIR / f"{DOMAIN}.pot"
    commands = {
        "extract": ["extract", "-F", str(root.parent / "babel.cfg"),
                    "-k", "_l", "-k", "lazy_gettext",
                    "--no-location", "--sort-output", "--project", "mentoring-kit",
                    "-o", str(pot), str(root)],
        "update": ["update", "-i", str(pot), "-d", str(TRANSLATIONS_DIR), "-D", DOMAIN,
                   "--no-fuzzy-matching", "--ignore-obsolete"],
    }
    if len(argv) != 1 or argv[0] not in {*commands, "compile"}:
        print("usage: python -m kit.i18n extract|update|compile", file=sys.stderr)
        return 2
    if argv[0] == "compile":
        for mo_path in TRANSLATIONS_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.mo"):
            mo_path.unlink()
        compile_catalogs()
        return 0
    CommandLineInterface().run(["pybabel", *commands[argv[0]]])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
