"""The program admin's area of the kit."""

from kit.blueprints.admin.views import create_blueprint

__all__ = ["create_blueprint"]
