"""Database wiring: the host's Flask-SQLAlchemy instance, or the kit's own."""

from __future__ import annotations

import logging

from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.orm import scoped_session

from kit.models.base import enable_sqlite_foreign_keys
from kit.state import get_state

#: Errors that say the database cannot be reached right now (down, restarting, failing over,
#: every pooled connection busy) rather than that a statement is wrong: answered with 503.
DATABASE_UNREACHABLE = (OperationalError, InterfaceError, PoolTimeoutError)
#: Seconds a client is asked to wait (``Retry-After``) before trying again after such an error.
RETRY_AFTER_SECONDS = 10
log = logging.getLogger(__name__)


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
        # A pooled connection that died with a database restart is replaced before use, not
        # handed to a request that would fail with it: the app recovers by itself.
        db = SQLAlchemy(engine_options={"pool_pre_ping": True})
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


def release_session() -> None:
    """Roll back the current session after the database failed, whatever state it is in."""
    try:
        db_session().rollback()
    except Exception:  # the connection is already gone: there is nothing more to undo
        log.debug("rollback after a database failure failed", exc_info=True)
