"""English and French ship complete: a message without a French translation fails here."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

KIT = Path(__file__).parents[2] / "kit"
METHODS = [("**.py", "python"), ("templates/**.html", "jinja2"), ("templates/**.txt", "jinja2")]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}


def source_messages() -> set[str | tuple[str, ...]]:
    messages = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(KIT), METHODS, keywords=KEYWORDS
    ):
        messages.add(message)
    return messages


def catalog(locale: str):
    with (KIT / "translations" / locale / "LC_MESSAGES" / "kit.po").open("rb") as po:
        return read_po(po, locale=locale)


def test_the_kit_has_messages_to_translate() -> None:
    assert len(source_messages()) > 100


@pytest.mark.parametrize("locale", ["fr"])
def test_every_message_has_a_translation(locale: str) -> None:
    translations = catalog(locale)
    missing = []
    for message in source_messages():
        msgid = message[0] if isinstance(message, tuple) else message
        entry = translations.get(msgid)
        if entry is None or entry.fuzzy or not entry.string or (
            isinstance(entry.string, tuple) and not all(entry.string)
        ):
            missing.append(msgid)
    assert not missing, f"{len(missing)} lack a {locale} translation: {sorted(missing)[:10]}"


def test_placeholders_survive_translation() -> None:
    translations = catalog("fr")
    broken = [
        message.id for message in translations
        if message.id and message.string and isinstance(message.id, str)
        and sorted(_placeholders(message.id)) != sorted(_placeholders(message.string))
    ]
    assert not broken


def test_the_english_catalog_exists_for_every_message() -> None:
    translations = catalog("en")
    ids = {message.id[0] if isinstance(message.id, tuple) else message.id
           for message in translations if message.id}
    expected = {m[0] if isinstance(m, tuple) else m for m in source_messages()}
    assert expected <= ids


def _placeholders(text: str) -> list[str]:
    import re

    return re.findall(r"%\([a-z_]+\)[sd]", text)
