"""Small helpers shared by the kit's blueprints."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Response, jsonify, request, url_for

from kit.i18n import current_locale
from kit.reference.noc import find_unit_groups


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


def occupation_search(limit: int = 10) -> Response:
    """The occupation search box's answer: NOC 2021 unit groups matching ``q`` as JSON.

    Each area guards its own route; the search itself is the same for everyone.
    """
    query = request.args.get("q", "")[:100].strip()
    lang = request.args.get("lang") or current_locale()
    lang = "fr" if lang.lower().startswith("fr") else "en"
    results = [{"code": noc.code, "title": noc.title(lang)}
               for noc in find_unit_groups(query, lang, limit)]
    return jsonify(query=query, results=results)
