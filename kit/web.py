"""Small helpers shared by the kit's blueprints."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import request, url_for


def safe_next(target: str | None, fallback_endpoint: str = "kit.index") -> str:
    """``target`` when it is a path on this site, else the fallback: no open redirects."""
    if target:
        parts = urlsplit(target)
        if (not parts.scheme and not parts.netloc and target.startswith("/")
                and not target.startswith(("//", "/\\")) and "\\" not in target):
            return target
    return url_for(fallback_endpoint)


def page_number() -> int:
    """The ``page`` query argument as a positive number; anything else is page 1."""
    value = request.args.get("page", "1")
    return int(value) if value.isdigit() and 0 < len(value) < 7 and int(value) > 0 else 1
