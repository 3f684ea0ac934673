"""Rewrite the key table of docs/configuration.md from kit.config.KEYS (run after adding a key)."""

from __future__ import annotations

from pathlib import Path

from kit.config import KEYS

DOC = Path(__file__).parents[1] / "docs" / "configuration.md"
HEADER = "| key | default | meaning |\n| --- | --- | --- |\n"


def _default(value: object) -> str:
    if value is None:
        return "`None`"
    if isinstance(value, tuple):
        return f"`{list(value)!r}`"
    return f"`{value!r}`"


def main() -> None:
    """Replace the table between its header and the next blank line."""
    text = DOC.read_text("utf-8")
    start = text.index(HEADER)
    end = text.index("\n\n", start)
    rows = "\n".join(f"| `{key.name}` | {_default(key.default)} | {key.doc} |" for key in KEYS)
    DOC.write_text(text[:start] + HEADER + rows + text[end:], "utf-8")


if __name__ == "__main__":
    main()
