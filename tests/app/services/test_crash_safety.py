"""`kill -9` during a sync, a save or an outbox send loses nothing and
applies nothing twice (real processes, killed without warning)."""

from __future__ import annotations

import json
import signal
import subprocess
import time
from pathlib import Path

import httpx

from app.cache import OrderCache
from app.domain.queries import OrderQuery
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


def _puts(server, key: str) -> int:
    return sum(1 for method, target, _ in server.request_log if method == "PUT" and key in target)


def _store_order(server, key: str) -> dict:
    headers = {"Authorization": f"Bearer {server.token}"}
    return httpx.get(f"{server.url}/{server.store_id}/orders/{key}", headers=headers).json()


def _keys(data: Path, count: int) -> list[str]:
    with OrderCache.open(_cache_files(data)[0]) as cache:
        rows = cache.rows(OrderQuery(payment_status=["PAID", "AWAITING_PAYMENT"]), 0, 200)
    return [row.key for row in rows if not row.key.isdigit()][:count]


def _killed_after(data: Path, server, delay: float, *args: str) -> None:
    """Run ``backroom ARGS`` and kill it with SIGKILL after ``delay`` seconds."""
    process = subprocess.Popen(
        backroom_command(*args),
        cwd=ROOT,
        env=backroom_env(data, server.token),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        process.wait(timeout=delay)  # it may finish first: then nothing was interrupted
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)


# kill moments spread over a save's life at 0.15 s a request: start-up, the
# read before the write, the write, the read-back, the bookkeeping after it
KILL_AFTER = (0.4, 0.8, 1.1, 1.3, 1.5, 1.7, 1.9, 2.3)


def test_kill_9_during_a_save_applies_each_edit_exactly_once(tmp_path):
    data = tmp_path / "data"
    with running_sandbox(tmp_path / "store.sqlite3", orders=150) as server:
        assert connect_demo(data, server).returncode == 0
        assert backroom(data, "sync", token=server.token).returncode == 0
        keys = _keys(data, len(KILL_AFTER))
        server.faults.latency = 0.15
        for key, delay in zip(keys, KILL_AFTER, strict=True):
            _killed_after(data, server, delay, "order", "update", key, "--tracking", f"T-{key}")
        server.faults.latency = 0.0
        finish = backroom(data, "sync", token=server.token)
        assert finish.returncode == 0, finish.stderr  # nothing refused, in conflict or lost
        applied = 0
        for key in keys:
            puts = _puts(server, key)
            assert puts <= 1, f"order {key} was written {puts} times"
            if puts:  # the edit was accepted (staged): it is in the store, once
                assert _store_order(server, key)["trackingNumber"] == f"T-{key}"
                applied += 1
            else:  # killed before it was staged: nothing was sent, nothing claims it was
                assert _store_order(server, key).get("trackingNumber") != f"T-{key}"
        assert applied >= len(KILL_AFTER) // 2  # most kills landed after the edit was staged
        listed = backroom(data, "outbox", "list", "--format", "json")
        assert listed.returncode == 0 and json.loads(listed.stdout) == []


def test_kill_9_during_an_outbox_send_applies_each_edit_exactly_once(tmp_path):
    data = tmp_path / "data"
    with running_sandbox(tmp_path / "store.sqlite3", orders=150) as server:
        assert connect_demo(data, server).returncode == 0
        assert backroom(data, "sync", token=server.token).returncode == 0
        keys = _keys(data, 6)
        server.faults.drop_every = 1  # offline: every edit is queued
        for key in keys:
            queued = backroom(
                data, "order", "update", key, "--note", f"N-{key}", token=server.token
            )
            assert queued.returncode == 4, queued.stderr
        server.faults.drop_every = 0
        server.faults.latency = 0.15
        for delay in (0.9, 1.4, 2.0):  # a sync sending them, killed part-way
            _killed_after(data, server, delay, "sync")
        server.faults.latency = 0.0
        finish = backroom(data, "sync", token=server.token)
        assert finish.returncode == 0, finish.stderr
        for key in keys:
            assert _puts(server, key) == 1, key
            assert _store_order(server, key)["privateAdminNotes"] == f"N-{key}"
