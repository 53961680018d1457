"""Start-up tuning: the garbage collector, pydantic's plugins."""

from __future__ import annotations

import gc
import os

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


def test_pydantic_is_told_to_skip_plugins_unless_the_environment_says_otherwise(monkeypatch):
    from app.platform.runtime import skip_pydantic_plugins

    monkeypatch.delenv("PYDANTIC_DISABLE_PLUGINS", raising=False)
    skip_pydantic_plugins()
    assert os.environ["PYDANTIC_DISABLE_PLUGINS"] == "__all__"
    monkeypatch.setenv("PYDANTIC_DISABLE_PLUGINS", "logfire")  # a user's own choice stays
    skip_pydantic_plugins()
    assert os.environ["PYDANTIC_DISABLE_PLUGINS"] == "logfire"
