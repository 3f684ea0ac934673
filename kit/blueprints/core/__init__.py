"""Core pages every host mounts: home redirect, sign-in, sign-out and the language switch."""

from kit.blueprints.core.views import create_blueprint

__all__ = ["create_blueprint"]
