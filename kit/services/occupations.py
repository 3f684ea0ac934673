"""Loading the NOC 2021 classification into the ``kit_occupation`` table."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from kit.models.occupations import NOC_LEVELS, Occupation
from kit.reference.noc import NocIndex, load_noc_index


def load_occupations(session: Session, index: NocIndex | None = None) -> int:
    """Insert or update every NOC 2021 class in ``kit_occupation`` and commit; returns the count.

    Idempotent: running it again updates titles and TEER in place and adds nothing. Classes
    that are no longer in the classification are left alone, because profiles may point at them.
    Works with a plain SQLAlchemy session as well as Flask-SQLAlchemy's ``db.session``.
    """
    index = index or load_noc_index()
    existing = {o.code: o for o in session.scalars(select(Occupation))}
    # One flush per level, top down: a child's parent row is then always in the database
    # before the child, whatever order the unit of work would pick for one table.
    for level in NOC_LEVELS:
        for noc_class in index:
            if noc_class.level != level:
                continue
            values = {
                "level": noc_class.level,
                "parent_code": noc_class.parent_code,
                "title_en": noc_class.title_en,
                "title_fr": noc_class.title_fr,
                "teer": noc_class.teer,
            }
            row = existing.get(noc_class.code)
            if row is None:
                session.add(Occupation(code=noc_class.code, **values))
                continue
            for name, value in values.items():
                if getattr(row, name) != value:
                    setattr(row, name, value)
        session.flush()
    session.commit()
    return len(index)
