"""The intranet's extension objects, created once and bound to each app in the factory."""

from __future__ import annotations

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from kit import MentoringKit


class Model(DeclarativeBase):
    """Base of the intranet's own models, with the constraint names its DBAs asked for."""

    metadata = MetaData(naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    })


#: The intranet's database: its own tables, and the mentoring kit's ``kit_*`` tables beside them.
db = SQLAlchemy(model_class=Model)
#: The community mentoring program, mounted under /community/mentoring.
kit = MentoringKit()
