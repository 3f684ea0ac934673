"""What every throwaway test server shares: a context manager that always cleans up."""

from __future__ import annotations

import atexit
import shutil
from pathlib import Path
from types import TracebackType
from typing import Self


class ThrowawayServer:
    """A server living in ``base_dir``; ``stop()`` ends it and deletes its files.

    Subclasses implement ``start()`` (returning self) and ``stop()``, and call
    ``_remove_files()`` at the end of ``stop()``.
    """

    base_dir: Path | None = None

    def start(self) -> Self:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError

    def _remove_files(self) -> None:
        """Delete the server's folder and forget the exit hook; safe to call twice."""
        if self.base_dir is not None:
            shutil.rmtree(self.base_dir, ignore_errors=True)
            self.base_dir = None
        atexit.unregister(self.stop)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()
