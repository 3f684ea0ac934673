"""The gunicorn hook the deployment guide recommends."""

from __future__ import annotations

import gc

from kit.gunicorn_conf import post_worker_init


def test_the_hook_freezes_what_the_worker_loaded() -> None:
    before = gc.get_freeze_count()
    try:
        post_worker_init(object())
        assert gc.get_freeze_count() > before
    finally:
        gc.unfreeze()
