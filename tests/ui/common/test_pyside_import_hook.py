"""PySide6's import hook answered without reading modules' sources
(ui.common.pyside_import_hook): imports stay correct, and no file is read."""

from __future__ import annotations

import inspect
import os
import subprocess
import sys
import textwrap
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

import ui  # noqa: F401  (its import sets the hook's answer)
from ui.common import pyside_import_hook

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def fresh_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    """Import a new module written from source text, by a name never seen."""
    monkeypatch.syspath_prepend(str(tmp_path))
    names: list[str] = []

    def load(source: str) -> ModuleType:
        name = f"hook_probe_{uuid.uuid4().hex}"
        (tmp_path / f"{name}.py").write_text(textwrap.dedent(source), encoding="utf-8")
        names.append(name)
        return __import__(name)

    yield load
    for name in names:
        sys.modules.pop(name, None)


def _feature_dict() -> dict[str, int]:
    return sys.modules["shibokensupport.feature"].pyside_feature_dict  # type: ignore[no-any-return]


def test_a_module_imported_after_pyside_is_not_read(fresh_module, monkeypatch) -> None:
    read = []
    getsource = inspect.getsource

    def reading(target: object) -> str:
        read.append(getattr(target, "__name__", ""))
        return getsource(target)  # type: ignore[arg-type]

    monkeypatch.setattr(inspect, "getsource", reading)
    probe = fresh_module(
        """
        from PySide6.QtCore import Qt
        LEFT = Qt.AlignmentFlag.AlignLeft
        """
    )
    from PySide6.QtCore import Qt

    assert probe.LEFT is Qt.AlignmentFlag.AlignLeft
    assert read == []
    assert _feature_dict()[probe.__name__] == 0  # "uses PySide6, no feature selected"


def test_qt_names_stay_qt_names_in_every_module(fresh_module) -> None:
    # a module that never names PySide6 (the hook would have said "ignore it")
    probe = fresh_module(
        """
        import importlib
        widgets = importlib.import_module("PySide6.QtWidgets")
        HAS_QT_NAME = hasattr(widgets.QWidget, "setWindowTitle")
        HAS_SNAKE_NAME = hasattr(widgets.QWidget, "set_window_title")
        """
    )
    assert probe.HAS_QT_NAME
    assert not probe.HAS_SNAKE_NAME


def test_a_module_that_selects_a_feature_still_gets_it(tmp_path: Path) -> None:
    # in a process of its own: a selected feature is process-wide state of PySide6
    (tmp_path / "snake_probe.py").write_text(
        "from __feature__ import snake_case\n"
        "from PySide6.QtWidgets import QWidget\n"
        "HAS_SNAKE_NAME = hasattr(QWidget, 'set_window_title')\n",
        encoding="utf-8",
    )
    check = (
        "import ui, snake_probe\n"
        "from PySide6.QtWidgets import QWidget\n"
        "print(snake_probe.HAS_SNAKE_NAME, hasattr(QWidget, 'setWindowTitle'))\n"
    )
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(tmp_path), str(ROOT)]))
    done = subprocess.run(
        [sys.executable, "-c", check], env=env, capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == ["True", "True"]  # there snake_case; here Qt's names


def test_a_pyside_without_the_hook_is_left_alone(monkeypatch) -> None:
    monkeypatch.delitem(sys.modules, "shibokensupport.feature")
    assert pyside_import_hook.answer_without_reading_sources() is False
