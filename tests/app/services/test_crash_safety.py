"""`kill -9` during a sync or during outbox writes loses nothing and
duplicates nothing (real processes, killed without warning)."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import httpx

from app.store import OrderCache, OrderQuery, OutboxState
from tests.helpers.cli import ROOT, backroom, backroom_command, backroom_env, connect_demo
from tests.helpers.sandbox import running_sandbox


def _wait_for(condition, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError("timed out")


def _server_total(server) -> int:
    headers = {"Authorization": f"Bearer {server.token}"}
    base = f"{server.url}/{server.store_id}/orders"
    finished = httpx.get(base, params={"limit": 1}, headers=headers).json()["total"]
    unfinished = httpx.get(
        base, params={"limit": 1, "paymentStatus": "INCOMPLETE"}, headers=headers
    ).json()["total"]
    return finished + unfinished


def _cache_files(data: Path) -> list[Path]:
    return list(data.glob("data/accounts/*/cache.sqlite3"))


def _cached_count(data: Path) -> int:
    files = _cache_files(data)
    if not files:
        return 0
    with OrderCache.open(files[0]) as cache:
        return cache.count(OrderQuery(include_incomplete=True))


def test_kill_during_sync_then_resume(tmp_path):
    data = tmp_path / "data"
    with running_sandbox(tmp_path / "store.sqlite3", orders=600) as server:
        assert connect_demo(data, server).returncode == 0
        server.faults.latency = 0.2  # slow enough to be caught mid-sync
        sync = subprocess.Popen(
            backroom_command("sync"),
            cwd=ROOT,
            env=backroom_env(data, server.token),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        try:
            _wait_for(lambda: _cached_count(data) >= 100)
        finally:
            sync.send_signal(signal.SIGKILL)
            sync.wait(timeout=10)
        partial = _cached_count(data)
        server.faults.latency = 0.0

        again = backroom(data, "sync", token=server.token)
        assert again.returncode == 0, again.stderr
        assert "resumed where it was interrupted" in again.stdout
        server_total = _server_total(server)
        with OrderCache.open(_cache_files(data)[0]) as cache:
            every = cache.count(OrderQuery(include_incomplete=True))
            keys = [row.key for row in cache.rows(OrderQuery(include_incomplete=True), 0, 10_000)]
    assert 100 <= partial < every
    assert len(keys) == len(set(keys)) == every == server_total  # all there, nothing twice


STAGE_FOREVER = textwrap.dedent(
    """
    import sys
    from app.services.outbox import stage_edit
    from app.store import OrderCache, OrderQuery
    cache = OrderCache.open(sys.argv[1])
    keys = [row.key for row in cache.rows(OrderQuery(), 0, 50)]
    n = 0
    while True:
        key = keys[n % len(keys)]
        stage_edit(cache, key, {"privateAdminNotes": f"edit {n}", "trackingNumber": f"T{n}"})
        n += 1
        if n == 20:
            print("writing", flush=True)
    """
)


def test_kill_during_outbox_writes_leaves_cache_and_outbox_consistent(tmp_path):
    data = tmp_path / "data"
    with running_sandbox(tmp_path / "store.sqlite3", orders=120) as server:
        assert connect_demo(data, server).returncode == 0
        assert backroom(data, "sync", token=server.token).returncode == 0
    cache_file = _cache_files(data)[0]
    writer = subprocess.Popen(
        [sys.executable, "-c", STAGE_FOREVER, str(cache_file)],
        cwd=ROOT,
        env=backroom_env(data),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert writer.stdout.readline().strip() == "writing", writer.stderr.read()
    time.sleep(0.3)
    writer.send_signal(signal.SIGKILL)
    writer.wait(timeout=10)

    with OrderCache.open(cache_file) as cache:
        entries = cache.outbox([OutboxState.PENDING])
        assert len(entries) >= 20
        newest: dict[str, dict] = {}
        for entry in entries:  # oldest first: the last one per order wins
            newest[entry.key] = entry.changes
        for key, changes in newest.items():
            order = cache.order_json(key)
            # every staged change is in the cached order, and no change is there unstaged
            assert order["privateAdminNotes"] == changes["privateAdminNotes"]
            assert order["trackingNumber"] == changes["trackingNumber"]
