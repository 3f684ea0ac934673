"""The agency area of the kit."""

from kit.blueprints.agency.views import create_blueprint

__all__ = ["create_blueprint"]
