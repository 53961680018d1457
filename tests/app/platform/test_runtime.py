"""Start-up tuning of the garbage collector."""

from __future__ import annotations

import gc

from app.platform.runtime import YOUNG_GENERATION_THRESHOLD, tune_garbage_collector


def test_tuning_raises_the_young_threshold_and_freezes_start_up_objects():
    before = gc.get_threshold()
    try:
        tune_garbage_collector()
        assert gc.get_threshold() == (YOUNG_GENERATION_THRESHOLD, *before[1:])
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
