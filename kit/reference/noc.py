"""The National Occupational Classification (NOC) 2021, in memory.

Pure reference code: no Flask, no SQLAlchemy. The classification ships with the kit as
``kit/data/noc2021.csv`` (see ``kit/data/README.md`` for source and licence) and never changes
while a process runs, so one index per process is safe even with many app hosts.

Codes are strings everywhere: ``"0"``, ``"00"``, ``"000"``, ``"0001"`` and ``"00010"`` are five
different classes, and an integer would lose that.
"""

from __future__ import annotations

import csv
import functools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.resources import files

NOC_LEVELS = ("broad", "major", "submajor", "minor", "unit")

_DATA_PACKAGE = "kit.data"
_NOC_FILE = "noc2021.csv"
_CONCORDANCE_FILE = "noc2016_to_noc2021.csv"

# Letters that NFKD leaves whole but that people type either way ("œuvre" / "oeuvre").
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss"})
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class NocClass:
    """One NOC 2021 class: a broad category, major, sub-major or minor group, or unit group."""

    code: str
    level: str
    title_en: str
    title_fr: str
    teer: int | None

    @property
    def parent_code(self) -> str | None:
        """The code of the enclosing class (the code without its last digit), or None."""
        return self.code[:-1] or None

    @property
    def is_unit_group(self) -> bool:
        """True for a unit group, the level a person's occupation is recorded at."""
        return self.level == "unit"

    def title(self, locale: str) -> str:
        """The title in ``locale`` (French for any ``fr`` locale, English otherwise)."""
        return self.title_fr if _is_french(locale) else self.title_en


def normalize(text: str) -> str:
    """Fold ``text`` for matching: case-insensitive and accent-insensitive ("Génie" -> "genie")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_LIGATURES))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _is_french(locale: str) -> bool:
    return locale.lower().replace("-", "_").split("_")[0] == "fr"


class NocIndex:
    """All NOC 2021 classes, with hierarchy navigation and bilingual search."""

    def __init__(self, classes: list[NocClass]) -> None:
        self._classes = tuple(classes)
        self._by_code = {c.code: c for c in self._classes}
        if len(self._by_code) != len(self._classes):
            raise ValueError("duplicate NOC code in the classification")
        children: dict[str, list[NocClass]] = {c.code: [] for c in self._classes}
        for c in self._classes:
            if c.parent_code is not None:
                if c.parent_code not in children:
                    raise ValueError(f"NOC class {c.code} has no parent {c.parent_code}")
                children[c.parent_code].append(c)
        self._children = {code: tuple(kids) for code, kids in children.items()}
        # Folded titles computed once: search runs on every keystroke of a picker.
        self._folded = {c.code: (normalize(c.title_en), normalize(c.title_fr)) for c in classes}

    def __len__(self) -> int:
        return len(self._classes)

    def __iter__(self) -> Iterator[NocClass]:
        """Every class, parents before children, in the publisher's order."""
        return iter(self._classes)

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def get(self, code: str) -> NocClass | None:
        """The class with this exact code, or None if there is none."""
        return self._by_code.get(code)

    def _require(self, code: str) -> NocClass:
        try:
            return self._by_code[code]
        except KeyError:
            raise KeyError(f"unknown NOC 2021 code: {code!r}") from None

    def parent(self, code: str) -> NocClass | None:
        """The enclosing class of ``code`` (None for a broad category); KeyError if unknown."""
        parent_code = self._require(code).parent_code
        return None if parent_code is None else self._by_code[parent_code]

    def ancestors(self, code: str) -> list[NocClass]:
        """The enclosing classes of ``code``, nearest first (minor, ..., broad)."""
        found: list[NocClass] = []
        current = self.parent(code)
        while current is not None:
            found.append(current)
            current = self.parent(current.code)
        return found

    def children(self, code: str) -> list[NocClass]:
        """The classes directly under ``code``, in code order; KeyError if unknown."""
        self._require(code)
        return list(self._children[code])

    def unit_groups(self) -> list[NocClass]:
        """The 516 unit groups (5-digit codes), in code order."""
        return [c for c in self._classes if c.is_unit_group]

    def teer(self, code: str) -> int | None:
        """The TEER category of ``code`` at any level (None for a broad category).

        NOC 2021 encodes TEER in the second digit, and every unit group under a major, sub-major
        or minor group shares that digit, so the rule holds for those levels too.
        """
        noc_class = self._require(code)
        if noc_class.teer is not None:
            return noc_class.teer
        return int(code[1]) if len(code) > 1 else None

    def search(self, text: str, locale: str, limit: int = 20) -> list[NocClass]:
        """Classes matching ``text``: a code prefix (digits only) or words of a title.

        Words match the title in ``locale`` without regard to case or accents, and every word
        must appear in it ("genie civil" finds "Ingénieurs civils"). Titles in the other
        language are also searched, ranked after, so a French word in an English page still
        finds something. Unit groups come first, then shorter (more specific) titles.
        """
        text = text.strip()
        if not text or limit <= 0:
            return []
        if text.isdigit():
            hits = [c for c in self._classes if c.code.startswith(text)]
            hits.sort(key=lambda c: (not c.is_unit_group, c.code))
            return hits[:limit]
        words = _WORD.findall(normalize(text))
        if not words:
            return []
        own = 1 if _is_french(locale) else 0
        ranked: list[tuple[bool, bool, int, str, NocClass]] = []
        for c in self._classes:
            folded = self._folded[c.code]
            if all(w in folded[own] for w in words):
                other_language = False
            elif all(w in folded[1 - own] for w in words):
                other_language = True
            else:
                continue
            ranked.append((not c.is_unit_group, other_language, len(c.title(locale)), c.code, c))
        ranked.sort(key=lambda row: row[:4])
        return [row[4] for row in ranked[:limit]]


def _open_data(name: str) -> list[dict[str, str]]:
    resource = files(_DATA_PACKAGE).joinpath(name)
    with resource.open("r", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@functools.cache
def load_noc_index() -> NocIndex:
    """The NOC 2021 index read from the packaged CSV, built once per process (it is immutable)."""
    classes = [
        NocClass(
            code=row["code"],
            level=row["level"],
            title_en=row["title_en"],
            title_fr=row["title_fr"],
            teer=int(row["teer"]) if row["teer"] else None,
        )
        for row in _open_data(_NOC_FILE)
    ]
    return NocIndex(classes)


@functools.cache
def _concordance() -> dict[str, tuple[str, ...]]:
    mapping: dict[str, list[str]] = {}
    for row in _open_data(_CONCORDANCE_FILE):
        targets = mapping.setdefault(row["noc2016"], [])
        if row["noc2021"] not in targets:
            targets.append(row["noc2021"])
    return {code: tuple(targets) for code, targets in mapping.items()}


def convert_noc2016(code: str) -> list[str]:
    """The NOC 2021 unit groups that NOC 2016 unit group ``code`` became, in concordance order.

    ``code`` is the 4-digit 2016 code as a string with its leading zeros ("0011"). A 2016 code
    that was split or broken down maps to several 2021 unit groups; an unknown code maps to none.
    """
    return list(_concordance().get(code.strip(), ()))


def find_unit_groups(text: str, locale: str, limit: int = 20) -> list[NocClass]:
    """NOC 2021 unit groups for a search box: a 2021 code or code prefix, words of a title in
    either language, or a 4-digit NOC 2016 code (its 2021 successors come first)."""
    index = load_noc_index()
    text = text.strip()
    found: list[NocClass | None] = []
    if len(text) == 4 and text.isdigit():
        found = [index.get(code) for code in convert_noc2016(text)]
    found += [c for c in index.search(text, locale, limit=limit + 200) if c.is_unit_group]
    unique: dict[str, NocClass] = {}
    for noc_class in found:
        if noc_class is not None:
            unique.setdefault(noc_class.code, noc_class)
    return list(unique.values())[:limit]
