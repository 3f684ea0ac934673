"""Sectors of the North American Industry Classification System (NAICS) Canada 2022.

Pure reference code: no Flask, no SQLAlchemy. Matching looks at the industry a mentor works in
and a newcomer aims for at sector level, the 20 two-digit classes. Three sectors are ranges of
two-digit codes ("31-33" Manufacturing, "44-45" Retail trade, "48-49" Transportation and
warehousing), and the range is their code. Titles are English only: the packaged file has no
French edition.
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from importlib.resources import files

_DATA_PACKAGE = "kit.data"
_NAICS_FILE = "naics2022_canada_codes.csv"


@dataclass(frozen=True, slots=True)
class NaicsSector:
    """One NAICS sector: its code ("54" or a range such as "31-33") and English title."""

    code: str
    title_en: str

    @property
    def two_digit_codes(self) -> tuple[str, ...]:
        """The two-digit codes the sector covers ("31-33" covers "31", "32" and "33")."""
        first, _, last = self.code.partition("-")
        if not last:
            return (first,)
        return tuple(f"{n:02d}" for n in range(int(first), int(last) + 1))


@functools.cache
def naics_sectors() -> tuple[NaicsSector, ...]:
    """The 20 NAICS Canada 2022 sectors, in code order."""
    resource = files(_DATA_PACKAGE).joinpath(_NAICS_FILE)
    with resource.open("r", encoding="utf-8", newline="") as handle:
        return tuple(
            NaicsSector(code=row["code"], title_en=row["title_en"])
            for row in csv.DictReader(handle)
            if row["level"] == "sector"
        )


@functools.cache
def _sector_by_two_digits() -> dict[str, NaicsSector]:
    return {two: sector for sector in naics_sectors() for two in sector.two_digit_codes}


def naics_sector_code(code: str) -> str | None:
    """The sector code of any NAICS code ("336110" -> "31-33", "54" -> "54"), or None."""
    code = code.strip()
    if any(sector.code == code for sector in naics_sectors()):
        return code
    sector = _sector_by_two_digits().get(code[:2]) if code[:2].isdigit() else None
    return None if sector is None else sector.code


def naics_sector_title(code: str) -> str | None:
    """The English title of the sector of ``code`` ("31-33", "32" or "3361"), or None if unknown."""
    sector_code = naics_sector_code(code)
    if sector_code is None:
        return None
    return next(s.title_en for s in naics_sectors() if s.code == sector_code)
