"""gunicorn.conf.py's hooks do what the serving depends on."""

from __future__ import annotations

import gc
import runpy
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_loaded_app_is_frozen_out_of_the_collectors_reach_before_the_workers_fork():
    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    before = gc.get_freeze_count()
    try:
        config["when_ready"](None)
        assert gc.get_freeze_count() > before  # everything alive now: the workers' full collections skip it
    finally:
        gc.unfreeze()
