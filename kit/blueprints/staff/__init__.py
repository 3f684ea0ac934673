"""The staff area of the kit."""

from kit.blueprints.staff.views import create_blueprint

__all__ = ["create_blueprint"]
