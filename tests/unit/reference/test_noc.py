"""The NOC 2021 index: hierarchy, TEER, bilingual search and the 2016 concordance."""

from __future__ import annotations

import csv
from collections import Counter
from importlib.resources import files

import pytest

from kit.reference.noc import NocIndex, convert_noc2016, load_noc_index


@pytest.fixture(scope="module")
def noc() -> NocIndex:
    return load_noc_index()


def codes(classes) -> list[str]:
    return [c.code for c in classes]


def test_all_822_classes_at_five_levels(noc):
    counts = Counter(c.level for c in noc)
    assert len(noc) == 822
    assert counts == {"broad": 10, "major": 45, "submajor": 89, "minor": 162, "unit": 516}
    assert len(noc.unit_groups()) == 516
    assert all(len(c.code) == 5 for c in noc.unit_groups())


def test_leading_zeros_are_kept(noc):
    legislators = noc.get("00010")
    assert legislators is not None
    assert legislators.title_en == "Legislators"
    assert noc.get("10").level == "major"  # a different class from "00010"
    assert noc.get("010") is None
    assert noc.get("0010") is None
    assert codes(noc.ancestors("00010")) == ["0001", "000", "00", "0"]
    assert "0" in noc and "00" in noc and "000" in noc


def test_unit_group_titles_in_both_languages(noc):
    civil = noc.get("21300")
    assert civil.title_en == "Civil engineers"
    assert civil.title_fr == "Ingénieurs civils/ingénieures civiles"
    assert civil.title("fr_CA") == civil.title_fr
    assert civil.title("en") == civil.title_en


def test_ancestors_go_from_unit_group_up_to_broad_category(noc):
    assert codes(noc.ancestors("21300")) == ["2130", "213", "21", "2"]
    assert noc.parent("21300").title_en == "Civil and mechanical engineers"
    assert noc.parent("2") is None
    assert noc.ancestors("2") == []


def test_children_are_the_next_level_down(noc):
    assert "21300" in codes(noc.children("2130"))
    assert all(c.level == "minor" and c.code.startswith("213") for c in noc.children("213"))
    assert noc.children("21300") == []
    assert codes(noc.children("0")) == ["00"]


def test_every_class_but_a_broad_category_has_its_parent(noc):
    for c in noc:
        if c.level == "broad":
            assert c.parent_code is None
        else:
            assert noc.get(c.parent_code) is not None


def test_unknown_code_is_reported(noc):
    assert noc.get("99999") is None
    with pytest.raises(KeyError):
        noc.ancestors("99999")
    with pytest.raises(KeyError):
        noc.teer("21300 ")


def test_teer_at_every_level(noc):
    assert noc.teer("21300") == 1
    assert noc.teer("2130") == 1
    assert noc.teer("213") == 1
    assert noc.teer("21") == 1
    assert noc.teer("2") is None
    assert noc.teer("00010") == 0
    assert Counter(c.teer for c in noc.unit_groups()) == {0: 48, 1: 97, 2: 162, 3: 69, 4: 95, 5: 45}


def test_teer_of_a_group_is_the_teer_of_every_unit_group_under_it(noc):
    for unit in noc.unit_groups():
        for ancestor in noc.ancestors(unit.code)[:-1]:  # all but the broad category
            assert noc.teer(ancestor.code) == unit.teer


def test_search_in_english_finds_the_unit_group_first(noc):
    results = noc.search("civil engineer", "en")
    assert results[0].code == "21300"
    assert "22300" in codes(results)  # Civil engineering technologists and technicians


@pytest.mark.parametrize("text", ["génie civil", "ingénieurs civils", "INGENIEURS CIVILS"])
def test_search_in_french_finds_civil_engineers_first(noc, text):
    assert noc.search(text, "fr")[0].code == "21300"


def test_search_without_accents_finds_titles_with_accents(noc):
    results = noc.search("ingenieurs", "fr", limit=100)
    assert len(results) > 10
    assert all("ingénieur" in c.title_fr.lower() for c in results)
    assert "21300" in codes(results)


def test_search_needs_every_word(noc):
    results = noc.search("software engineers", "en", limit=100)
    assert results
    assert all("software" in c.title_en.lower() for c in results)
    assert noc.search("civil astronaut", "en") == []


def test_search_ranks_unit_groups_first_then_shorter_titles(noc):
    results = noc.search("engineers", "en", limit=200)
    levels = [c.level for c in results]
    first_other = levels.index("minor") if "minor" in levels else len(levels)
    assert set(levels[:first_other]) == {"unit"}
    assert "unit" not in levels[first_other:]
    units = results[:first_other]
    assert [len(c.title_en) for c in units] == sorted(len(c.title_en) for c in units)


def test_search_finds_a_french_word_from_an_english_page(noc):
    assert noc.search("scientifiques des données", "en")[0].code == "21211"


def test_search_by_code_prefix(noc):
    results = noc.search("213", "en", limit=100)
    assert {c.code for c in results} == {c.code for c in noc if c.code.startswith("213")}
    assert results[0].code == "21300"
    assert noc.search("00010", "fr")[0].title_fr.startswith("Membres des corps législatifs")


def test_search_respects_the_limit_and_ignores_blank_text(noc):
    assert len(noc.search("a", "en")) == 20
    assert len(noc.search("a", "en", limit=5)) == 5
    assert noc.search("   ", "en") == []
    assert noc.search("--", "fr") == []


def test_convert_a_renumbered_2016_code():
    assert convert_noc2016("2131") == ["21300"]
    assert convert_noc2016("0011") == ["00010"]


def test_convert_a_2016_code_that_was_broken_down():
    # 2174 "Computer programmers and interactive media developers" expired into three units.
    assert convert_noc2016("2174") == ["21230", "21232", "21234"]
    assert convert_noc2016("0112") == ["10011", "11200", "13110", "22232"]


def test_convert_unknown_or_non_2016_codes_gives_nothing():
    assert convert_noc2016("9999") == []
    assert convert_noc2016("11") == []  # "0011" without its zeros is not a code
    assert convert_noc2016("21300") == []


def test_every_2016_code_converts_to_known_unit_groups(noc):
    path = files("kit.data").joinpath("noc2016_to_noc2021.csv")
    with path.open("r", encoding="utf-8", newline="") as handle:
        old_codes = {row["noc2016"] for row in csv.DictReader(handle)}
    assert len(old_codes) == 500
    for old in old_codes:
        new = convert_noc2016(old)
        assert new
        assert all(noc.get(code).level == "unit" for code in new)
