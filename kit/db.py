"""Database wiring: the host's Flask-SQLAlchemy instance, or the kit's own."""

from __future__ import annotations

from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import scoped_session

from kit.models.base import enable_sqlite_foreign_keys
from kit.state import get_state


def init_db(app: Flask, db: SQLAlchemy | None, database_uri: str) -> tuple[SQLAlchemy, bool]:
    """Return the Flask-SQLAlchemy instance the kit uses and whether the kit created it.

    A host that passes ``db`` (already initialised on ``app``) keeps its own engine, session and
    tables; the kit's ``kit_*`` tables live beside them. A host that has Flask-SQLAlchemy but
    passes nothing gets the same treatment. Otherwise the kit brings its own instance.
    """
    owns = False
    if db is None:
        db = app.extensions.get("sqlalchemy")
    elif app.extensions.get("sqlalchemy") is not db:
        raise RuntimeError(
            "The Flask-SQLAlchemy instance passed to MentoringKit.init_app(app, db=...) is not "
            "initialised on this app: call db.init_app(app) before kit.init_app(app, db=db)."
        )
    if db is None:
        db = SQLAlchemy()
        app.config.setdefault("SQLALCHEMY_DATABASE_URI", database_uri)
        db.init_app(app)
        owns = True
    with app.app_context():
        for engine in db.engines.values():
            enable_sqlite_foreign_keys(engine)
    return db, owns


def db_session() -> scoped_session:
    """The SQLAlchemy session of the current app's kit database."""
    return get_state().db.session
