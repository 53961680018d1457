"""The window learns what changed from one signal: reports of the session
(from any thread) arrive merged in the GUI thread, and a running sync's pages
refresh the table only now and then."""

from __future__ import annotations

import threading

from app.domain.changes import Changes
from ui.window.change_hub import ChangeHub


class _Session:
    """What the hub needs of a session: a way to subscribe."""

    def __init__(self) -> None:
        self.listeners = []

    def subscribe(self, listener):
        self.listeners.append(listener)
        return lambda: self.listeners.remove(listener)

    def report(self, changes: Changes) -> None:
        for listener in list(self.listeners):
            listener(changes)


def test_reports_from_another_thread_arrive_merged(qtbot):
    session, seen = _Session(), []
    hub = ChangeHub()
    hub.changed.connect(seen.append)
    hub.follow(session)

    def work() -> None:
        session.report(Changes.of_orders(["A"]))
        session.report(Changes.of_orders(["B"], outbox=True))

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    qtbot.waitUntil(lambda: bool(seen) and not hub.busy)
    assert seen == [Changes(orders=frozenset({"A", "B"}), outbox=True)]
    hub.follow(None)
    assert session.listeners == []
    session.report(Changes(display=True))
    assert not hub.busy


def test_a_running_sync_refreshes_the_table_now_and_then(qtbot):
    session, seen = _Session(), []
    syncing = [True]
    hub = ChangeHub(syncing=lambda: syncing[0])
    hub.changed.connect(seen.append)
    hub.follow(session)
    for page in range(3):  # pages stored one after another
        session.report(Changes.of_orders([f"page-{page}"]))
        qtbot.waitUntil(lambda: not hub.busy)
    assert seen == [Changes.of_orders(["page-0"])]  # the first page shows, the rest wait
    syncing[0] = False
    session.report(Changes(all_orders=True, outbox=True, synced=True))  # the round ends
    qtbot.waitUntil(lambda: len(seen) == 2)
    assert seen[1].synced and seen[1].table
