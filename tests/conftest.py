"""Test-wide set-up: Qt offscreen, QtWebEngine without its sandbox when root,
every data/config/cache directory under the test's tmp_path, and an in-memory
keyring so no test touches the machine's real secrets or needs a daemon."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
if hasattr(os, "geteuid") and os.geteuid() == 0:
    os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox")

import logging  # noqa: E402

import keyring  # noqa: E402
import pytest  # noqa: E402
from hypothesis import settings  # noqa: E402

from app.platform.environment_secrets import forget_environment_secrets  # noqa: E402
from tests.helpers.memory_keyring import MemoryKeyring  # noqa: E402

# The fuzz tests draw new examples on every run on a developer's machine (that
# is how they keep finding things); CI (HYPOTHESIS_PROFILE=ci, set by .ci/run)
# replays a fixed sequence, so a landing is never refused for an example no
# one has seen yet — what a local run finds is fixed and pinned by a test.
settings.register_profile("ci", derandomize=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path, monkeypatch):
    """Point every platform directory (platformdirs reads XDG_* on Linux) and
    Backroom's own override at this test's tmp_path."""
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        path = tmp_path / "xdg" / name.lower()
        path.mkdir(parents=True)
        monkeypatch.setenv(name, str(path))
    monkeypatch.setenv("BACKROOM_DATA_DIR", str(tmp_path / "backroom-data"))
    monkeypatch.delenv("BACKROOM_TOKEN", raising=False)
    monkeypatch.delenv("BACKROOM_ECDP_KEY", raising=False)
    forget_environment_secrets()  # none taken by an earlier test
    yield tmp_path
    forget_environment_secrets()


@pytest.fixture(autouse=True)
def memory_keyring():
    """An in-memory keyring for every test; the previous backend is restored."""
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def sandbox(tmp_path):
    """A fresh demo store of 250 orders per test (mutations stay in the test)."""
    from tests.helpers.sandbox import running_sandbox

    with running_sandbox(tmp_path / "sandbox.sqlite3") as server:
        yield server


@pytest.fixture
def restore_root_logger():
    """Undo a test's changes to the root logger (handlers it added are closed)."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in root.handlers:
        if handler not in handlers:
            handler.close()
    root.handlers[:] = handlers
    root.setLevel(level)
