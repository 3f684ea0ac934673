"""Classifications the kit ships with: NOC 2021 occupations and NAICS 2022 sectors.

Pure code (no Flask, no SQLAlchemy), reading the CSV files packaged in :mod:`kit.data`.
"""

from kit.reference.naics import NaicsSector, naics_sector_code, naics_sector_title, naics_sectors
from kit.reference.noc import NocClass, NocIndex, convert_noc2016, load_noc_index

__all__ = [
    "NaicsSector",
    "NocClass",
    "NocIndex",
    "convert_noc2016",
    "load_noc_index",
    "naics_sector_code",
    "naics_sector_title",
    "naics_sectors",
]
