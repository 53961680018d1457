"""One launch of ``backroom`` as a user starts it, timed (a child of
:mod:`tests.benchmarks.bench_window`).

The command's own path runs: ``app.cli.main`` (its arguments, logging, the
garbage collector's tuning, the folders), then ``ui.main.run`` with the
accounts of ``BACKROOM_DATA_DIR``. Nothing else is imported first (this
module imports only what the command does), so the figures are the
command's. Three moments are taken, as wall-clock times the parent compares
with the time it started the process:

* ``shown_at``: the window frame on screen (``run``'s ``processEvents``
  after ``show``);
* ``rows_at``: the table's first rows painted (the window's
  ``firstRowsPainted``);
* ``menus_at``: the ECDP menu made after them; then the window closes.

Prints one line of JSON.
"""

from __future__ import annotations

import json
import time
from typing import Any


def main() -> None:
    import app.cli

    marks: dict[str, float] = {}
    run_gui = app.cli._run_gui

    def timed_gui(**options: Any) -> int:
        from PySide6.QtCore import QTimer

        import ui.main
        from ui.window.main_window import MainWindow

        create_application = ui.main.create_application
        start = MainWindow.start

        def created(argv: list[str]) -> Any:
            application = create_application(argv)
            process_events = application.processEvents

            def first_events(*args: Any) -> None:  # (run: show, then this once)
                process_events(*args)
                marks.setdefault("shown_at", time.time())
                del application.processEvents

            # (this instance only)
            application.processEvents = first_events  # type: ignore[method-assign,assignment]
            return application

        def started(window: MainWindow, *, demo: bool) -> None:
            window.firstRowsPainted.connect(lambda: marks.setdefault("rows_at", time.time()))
            watch = QTimer(window)

            def close_when_done() -> None:
                if "rows_at" in marks and window.ecdp_built:
                    marks["menus_at"] = time.time()
                    watch.stop()
                    window.close()

            watch.timeout.connect(close_when_done)
            watch.start(1)
            start(window, demo=demo)

        ui.main.create_application = created
        MainWindow.start = started  # type: ignore[method-assign,assignment]
        return run_gui(**options)

    app.cli._run_gui = timed_gui
    status = app.cli.main([])
    print(json.dumps({**marks, "status": status}))


if __name__ == "__main__":
    main()
