"""Small counts hidden in figures that leave the program, such as the funders' export.

A count of newcomers from 1 to ``minimum - 1`` (3 people of one agency found work in their
field) can point at people the reader knows, once the filters narrow the program down; it is
written ``<5`` instead, and a share or an average computed from it is left empty. Zeros stay:
they say nothing about anyone. This is primary suppression only: a hidden cell can sometimes
be worked out from a total and its other cells, which is why totals of small groups are
hidden too (they are counts like the others).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from kit.reporting.exports import Cell, Table


@dataclass(frozen=True)
class Counted:
    """Which columns of a table count people, and which cells are computed from a count."""

    counts: frozenset[int]
    #: A share or an average (column) and the count it is computed from (column).
    derived: Mapping[int, int] = field(default_factory=dict)


def is_small(value: object, minimum: int) -> bool:
    """Whether ``value`` is a count that must not be shown (1 to ``minimum - 1``)."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < minimum


def suppress(table: Table, counted: Counted, minimum: int) -> Table:
    """``table`` with its small counts written ``<minimum`` and what derives from them empty."""
    if minimum <= 1:
        return table
    hidden = f"<{minimum}"
    rows: list[Sequence[Cell]] = []
    for row in table.rows:
        cells: list[Cell] = list(row)
        for column in counted.counts:
            if is_small(row[column], minimum):
                cells[column] = hidden
        for column, base in counted.derived.items():
            if is_small(row[base], minimum):
                cells[column] = None
        rows.append(cells)
    return replace(table, rows=rows)
