"""Cycles are collected in the GUI thread, never by a worker thread."""

from __future__ import annotations

import gc
import threading
import weakref

from PySide6.QtCore import QObject

from ui.common.gc_guard import GuiThreadCollector


class _Node:
    def __init__(self) -> None:
        self.me = self  # a reference cycle: only the cyclic collector frees it
        self.freed_in: list[str] = []


def test_cycles_holding_qt_objects_are_freed_in_the_gui_thread(qtbot):
    enabled_before = gc.isenabled()  # (the UI tests' session collector has it off)
    collector = GuiThreadCollector(interval_ms=20)
    try:
        assert not gc.isenabled()
        node_threads: list[str] = []
        node = _Node()
        node.qt = QObject()
        alive = weakref.ref(node)
        weakref.finalize(node, lambda: node_threads.append(threading.current_thread().name))
        del node

        kept: list[list[object]] = []

        def churn() -> None:  # enough new containers to trigger collection, were it on
            kept.extend([] for _ in range(100_000))

        worker = threading.Thread(target=churn, name="worker")
        worker.start()
        worker.join()
        assert alive() is not None  # not freed by the worker
        qtbot.waitUntil(lambda: alive() is None, timeout=5_000)
        assert node_threads == [threading.main_thread().name]
    finally:
        collector.stop()
    assert gc.isenabled() == enabled_before
