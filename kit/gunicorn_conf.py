"""gunicorn hooks for hosts that serve the kit: ``gunicorn -c python:kit.gunicorn_conf ...``.

A host with a configuration file of its own imports the hook instead:
``from kit.gunicorn_conf import post_worker_init``.
"""

from __future__ import annotations

import gc
from typing import Any


def post_worker_init(worker: Any) -> None:
    """Keep the objects of the loaded app out of the garbage collector's way.

    A worker with the kit loaded holds about 170,000 objects from start-up that live as long
    as the process; a full collection walks them all (about 80 ms) in the middle of whichever
    request triggered it, a spike in the slowest answers. Frozen, they are never walked.
    """
    gc.freeze()
