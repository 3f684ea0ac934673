"""Matches needing attention: stalled (no session for weeks) or behind their hours pace."""

from __future__ import annotations

from flask import Blueprint, render_template

from kit.auth.identity import actor_of
from kit.auth.permissions import requires, signed_in
from kit.db import db_session
from kit.services.audit import record_views
from kit.services.pace import matches_needing_attention
from kit.state import get_state


def register(bp: Blueprint) -> None:
    """Add the pace page to the coordinator blueprint."""
    bp.add_url_rule("/pace", "pace", pace)


@requires("coordinator")
def pace() -> str:
    """Active matches that are stalled or behind, the longest idle first."""
    db = db_session()
    paces = matches_needing_attention(db)
    record_views(db, actor_of(signed_in()), [p.newcomer_id for p in paces], "pace")
    page = render_template("kit/coordinator/pace.html", paces=paces,
                           stall_days=get_state().config["KIT_STALL_DAYS"])
    db.commit()
    return page
