"""Routes added to the coordinator blueprint (being written)."""

from __future__ import annotations

from flask import Blueprint


def register(bp: Blueprint) -> None:
    """Add this module's routes to ``bp``."""
