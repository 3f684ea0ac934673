"""Errors services raise for the pages to show next to a form field."""

from __future__ import annotations


class FieldError(Exception):
    """A change the rules refuse: ``code`` for logic, ``message`` for people, ``field`` to blame."""

    def __init__(self, code: str, message: str = "", field: str | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.message = message
        self.field = field
