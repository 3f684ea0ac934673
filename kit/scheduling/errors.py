"""The one error the scheduling rules raise: a stable code the web layer turns into a message."""

from __future__ import annotations


class SchedulingError(ValueError):
    """A date, time or interval the scheduling rules refuse.

    ``code`` is stable and meant for the screens (they translate it); the message is for
    developers and logs.
    """

    def __init__(self, code: str, message: str = "") -> None:
        super().__init__(message or code)
        self.code = code
