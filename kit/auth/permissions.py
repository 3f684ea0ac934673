"""Deny by default: every kit view declares who may call it.

``@requires("coordinator")`` or ``@public`` marks a view; the kit's blueprints refuse any view
without a mark, and a test walks ``app.url_map`` to prove that every kit endpoint has one.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort, current_app, flash, redirect, request, url_for

from kit.auth.identity import Identity, current_identity, session_expired
from kit.i18n import gettext as _

ROLES = ("staff", "coordinator", "admin", "agency", "newcomer")
PERMISSION_ATTRIBUTE = "kit_permission"
PUBLIC = "public"

View = TypeVar("View", bound=Callable[..., Any])


def public(view: View) -> View:
    """Mark a view that anyone may open (sign-in pages, the language switch)."""
    setattr(view, PERMISSION_ATTRIBUTE, PUBLIC)
    return view


def requires(*roles: str) -> Callable[[View], View]:
    """Allow a view to people holding any of ``roles``; others get 403, strangers sign in."""
    unknown = set(roles) - set(ROLES)
    if unknown or not roles:
        raise ValueError(f"unknown roles {sorted(unknown)}; choose from {ROLES}")

    def decorate(view: View) -> View:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            identity = current_identity()
            if identity is None:
                if session_expired():
                    flash(_("Your session has expired: please sign in again."), "info")
                return redirect(url_for("kit.sign_in", next=request.full_path.rstrip("?")))
            if not any(identity.has_role(role) for role in roles):
                abort(403)
            return view(*args, **kwargs)

        setattr(guarded, PERMISSION_ATTRIBUTE, roles)
        return guarded  # type: ignore[return-value]

    return decorate


def declared_permission(endpoint: str) -> Any:
    """The permission a view declared, or None when it declared none."""
    view = current_app.view_functions.get(endpoint)
    return getattr(view, PERMISSION_ATTRIBUTE, None)


def refuse_undeclared() -> None:
    """``before_request`` of every kit blueprint: a view without a declared permission is 403."""
    endpoint = request.endpoint
    if endpoint and not endpoint.endswith(".static") and declared_permission(endpoint) is None:
        abort(403)


def signed_in() -> Identity:
    """The current person inside a guarded view (never None there)."""
    identity = current_identity()
    if identity is None:  # pragma: no cover - guarded views never get here
        abort(401)
    return identity
