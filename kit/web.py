"""Small helpers shared by the kit's blueprints."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from flask import Response, has_request_context, jsonify, request, url_for
from markupsafe import Markup, escape
from wtforms import Field
from wtforms.widgets import Select, html_params

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


@dataclass(frozen=True)
class SortOrder:
    """The column a table is sorted by and the direction, read from ``?sort=&dir=``."""

    column: str
    descending: bool = False

    @property
    def direction(self) -> str:
        """``asc`` or ``desc``, as the query string says it."""
        return "desc" if self.descending else "asc"

    def aria(self, column: str) -> str | None:
        """The ``aria-sort`` of a column's header: only the sorted column has one."""
        if column != self.column:
            return None
        return "descending" if self.descending else "ascending"

    def link_args(self, column: str) -> dict[str, str]:
        """Query arguments of a header's link: the sorted column flips, another starts asc."""
        flip = column == self.column and not self.descending
        return {"sort": column, "dir": "desc" if flip else "asc"}


def sort_order(allowed: Sequence[str], default: str, *, descending: bool = False,
               aliases: Mapping[str, tuple[str, bool]] | None = None) -> SortOrder:
    """The table order the reader asked for with ``?sort=<column>&dir=asc|desc``.

    Only columns in ``allowed`` are honoured (the value picks an ORDER BY from a fixed map,
    never SQL text); anything else gives ``default`` in its default direction. ``aliases``
    map older values of ``sort`` (such as ``newest``) to a column and a direction.
    """
    column = request.args.get("sort", "")
    if aliases and column in aliases:
        return SortOrder(*aliases[column])
    if column not in allowed:
        return SortOrder(default, descending)
    direction = request.args.get("dir", "")
    return SortOrder(column, direction == "desc" if direction in ("asc", "desc") else False)


def keep_sort(endpoint: str, values: dict[str, Any]) -> None:
    """``url_defaults`` hook: the pager's links to the same table keep its ``sort`` and ``dir``.

    Register it on a blueprint with ``bp.url_defaults(keep_sort)``.
    """
    if "page" in values and has_request_context() and endpoint == request.endpoint:
        for name in ("sort", "dir"):
            if request.args.get(name):
                values.setdefault(name, request.args[name])


class QuickSelect(Select):
    """WTForms' ``<select>``, drawn with a tenth of the work for long lists of plain choices.

    The HTML is the same as ``Select``'s; a choice with attributes of its own, groups or a
    multiple select fall back to it. Use it for lists as long as the agencies (dozens).
    """

    def __call__(self, field: Field, **kwargs: Any) -> Markup:
        """The field as a ``<select>`` with one ``<option>`` per choice."""
        choices = field.iter_choices()  # type: ignore[attr-defined]
        if (self.multiple or field.has_groups()  # type: ignore[attr-defined]
                or any(choice.render_kw for choice in choices)):
            return super().__call__(field, **kwargs)
        kwargs.setdefault("id", field.id)
        flags = getattr(field, "flags", {})
        for name in self.validation_attrs:
            if name not in kwargs and getattr(flags, name, False):
                kwargs[name] = getattr(flags, name)
        html = [f"<select {html_params(name=field.name, **kwargs)}>"]
        for choice in choices:
            value = str(choice.value) if isinstance(choice.value, bool) else choice.value
            selected = "selected " if choice.selected else ""
            html.append(f'<option {selected}value="{escape(value)}">'
                        f"{escape(choice.label or choice.value)}</option>")
        html.append("</select>")
        return Markup("".join(html))  # noqa: S704 - each value and label is escaped above
