"""The reports area of the kit: figures, charts and exports for coordinators and admins."""

from kit.blueprints.reports.views import create_blueprint

__all__ = ["create_blueprint"]
