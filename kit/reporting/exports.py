"""Reports as files: CSV and XLSX, with the filters written above the figures.

Text that a spreadsheet would run as a formula (a name starting with ``=``, ``+``, ``-`` or
``@``, or a tab or carriage return) is prefixed with an apostrophe: a department called
``=HYPERLINK(...)`` stays text when HR opens the file (CSV or formula injection).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
Cell = str | int | float | Decimal | date | datetime | None
#: Excel's limit on the length of a sheet's name.
SHEET_NAME_MAX = 31


@dataclass(frozen=True)
class Table:
    """A titled table: headings in the reader's language, then rows of cells."""

    title: str
    headings: Sequence[str]
    rows: Sequence[Sequence[Cell]]
    #: Columns holding numbers (right-aligned on pages).
    numeric: frozenset[int] = field(default_factory=frozenset)


def safe_text(value: str) -> str:
    """Text a spreadsheet shows as text, never runs as a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _csv_cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return str(value)
    return safe_text(str(value))


def to_csv(title: str, filters: Sequence[tuple[str, str]], tables: Sequence[Table]) -> str:
    """The report as CSV: its title, one line per filter, then each table after a blank line.

    Numbers are written plainly (a point before decimals) so that any program reads them;
    the file starts with a byte-order mark so that Excel reads accents correctly.
    """
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([_csv_cell(title)])
    for name, value in filters:
        writer.writerow([_csv_cell(name), _csv_cell(value)])
    for table in tables:
        writer.writerow([])
        writer.writerow([_csv_cell(table.title)])
        writer.writerow([_csv_cell(heading) for heading in table.headings])
        writer.writerows([_csv_cell(cell) for cell in row] for row in table.rows)
    return out.getvalue()


def _xlsx_cell(value: Cell) -> object:
    if isinstance(value, datetime):
        # Spreadsheets have no time zones: write the moment as the UTC wall-clock time.
        return value.replace(tzinfo=None)
    if isinstance(value, str):
        return safe_text(value)
    return value


def _sheet_name(title: str, taken: set[str]) -> str:
    # Excel forbids []:*?/\ in sheet names and wants them unique and short.
    name = "".join(" " if ch in "[]:*?/\\" else ch for ch in title).strip()[:SHEET_NAME_MAX]
    name = name or "Sheet"
    candidate, number = name, 2
    while candidate.lower() in taken:
        suffix = f" ({number})"
        candidate, number = name[:SHEET_NAME_MAX - len(suffix)] + suffix, number + 1
    taken.add(candidate.lower())
    return candidate


def to_xlsx(title: str, filters: Sequence[tuple[str, str]], tables: Sequence[Table],
            filters_sheet: str = "Filters") -> bytes:
    """The report as an XLSX workbook: a first sheet with the title and filters, then one
    sheet per table with a bold heading row (written in streaming mode: large tables fit)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    bold = Font(bold=True)
    taken: set[str] = set()

    def heading_row(sheet: object, cells: Sequence[str]) -> list[object]:
        row = []
        for text in cells:
            cell = WriteOnlyCell(sheet, value=safe_text(str(text)))
            cell.font = bold
            row.append(cell)
        return row

    first = book.create_sheet(_sheet_name(filters_sheet, taken))
    first.append(heading_row(first, [title]))
    for name, value in filters:
        first.append([safe_text(name), safe_text(value)])
    for table in tables:
        sheet = book.create_sheet(_sheet_name(table.title, taken))
        sheet.append(heading_row(sheet, table.headings))
        for row in table.rows:
            sheet.append([_xlsx_cell(cell) for cell in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
