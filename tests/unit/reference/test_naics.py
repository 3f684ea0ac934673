"""NAICS Canada 2022 sectors, including the range sectors such as 31-33."""

from __future__ import annotations

from kit.reference.naics import naics_sector_code, naics_sector_title, naics_sectors


def test_twenty_sectors_in_code_order():
    sectors = naics_sectors()
    assert len(sectors) == 20
    assert sectors[0].code == "11"
    assert sectors[-1].code == "91"
    assert sectors[-1].title_en == "Public administration"


def test_range_sectors_keep_their_range_as_code():
    by_code = {s.code: s.title_en for s in naics_sectors()}
    assert by_code["31-33"] == "Manufacturing"
    assert by_code["44-45"] == "Retail trade"
    assert by_code["48-49"] == "Transportation and warehousing"
    assert "31" not in by_code


def test_sector_title_by_sector_code_or_any_code_inside():
    assert naics_sector_title("54") == "Professional, scientific and technical services"
    assert naics_sector_title("31-33") == "Manufacturing"
    assert naics_sector_title("32") == "Manufacturing"
    assert naics_sector_title("336110") == "Manufacturing"
    assert naics_sector_title("45") == "Retail trade"


def test_sector_code_of_any_naics_code():
    assert naics_sector_code("336110") == "31-33"
    assert naics_sector_code("4931") == "48-49"
    assert naics_sector_code("5415") == "54"


def test_unknown_codes_have_no_sector():
    assert naics_sector_title("99") is None
    assert naics_sector_title("") is None
    assert naics_sector_code("x1") is None
    assert naics_sector_code("3") is None
