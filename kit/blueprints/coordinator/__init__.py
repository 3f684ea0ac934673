"""The coordinator area of the kit."""

from kit.blueprints.coordinator.views import create_blueprint

__all__ = ["create_blueprint"]
