"""The newcomer area of the kit."""

from kit.blueprints.newcomer.views import create_blueprint

__all__ = ["create_blueprint"]
