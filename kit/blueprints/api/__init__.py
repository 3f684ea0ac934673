"""The agencies' JSON API, mounted at ``<KIT_URL_PREFIX>/api/v1``."""

from kit.blueprints.api.views import create_blueprint

__all__ = ["create_blueprint"]
