"""Drafts on disk: saved atomically, surviving kill -9, damaged files moved aside."""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest

from app.platform.paths import data_dir
from app.services.orders.drafts import Draft, DraftStore
from tests.helpers.order_samples import three_item_order

REPO = Path(__file__).resolve().parents[4]
WHEN = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)


def draft(key="DEMO-3H37E", account="Walnut & Linen", saved_at=WHEN, **edits):
    edited = three_item_order()
    edited.update(edits)
    return Draft(account, key, 1767225600, edited, saved_at)


@pytest.fixture
def store(tmp_path):
    return DraftStore(tmp_path / "drafts")


def test_round_trip_keeps_raw_typed_values(store):
    saved = draft(trackingNumber="1Z 999", privateAdminNotes="Ünïcode ✓ \u2028 line")
    saved.edited["items"][0]["quantity"] = "3,"  # half-typed: kept as typed
    saved.edited["items"][1]["price"] = ""
    store.save(saved)
    loaded = store.load("Walnut & Linen", "DEMO-3H37E")
    assert loaded == saved
    assert loaded.saved_at.tzinfo is not None and loaded.saved_at.utcoffset() == timedelta(0)


def test_saved_at_is_stored_in_utc(store):
    paris = timezone(timedelta(hours=1))
    store.save(draft(saved_at=datetime(2026, 3, 1, 10, 30, tzinfo=paris)))
    assert store.load("Walnut & Linen", "DEMO-3H37E").saved_at == WHEN
    with pytest.raises(ValueError):
        store.save(draft(saved_at=datetime(2026, 3, 1, 10, 30)))


def test_new_order_without_base_and_decimals_in_the_copy(store):
    saved = Draft("Demo", "new-5b0c", None, {"subtotal": Decimal("12.50"), "items": []}, WHEN)
    store.save(saved)
    loaded = store.load("Demo", "new-5b0c")
    assert loaded.base_update_timestamp is None
    assert loaded.edited == {"subtotal": "12.50", "items": []}  # as typed text


def test_default_directory_is_under_the_data_dir():
    store = DraftStore()
    assert store.directory == data_dir() / "drafts"
    store.save(draft())
    assert list(store.directory.rglob("*.json"))
    assert str(store.directory).startswith(os.environ["BACKROOM_DATA_DIR"])


@pytest.mark.parametrize("key", ["../../etc/passwd", "a/b\\c:d*?", "\x00", "k" * 5000, "🧺 order"])
def test_any_key_is_a_safe_file_name(store, key):
    store.save(draft(key=key))
    path = store.path_for("Walnut & Linen", key)
    assert path.parent.parent == store.directory
    assert len(path.name) < 80
    assert store.load("Walnut & Linen", key).key == key


def test_missing_and_discarded(store):
    assert store.load("Walnut & Linen", "DEMO-1") is None
    store.discard("Walnut & Linen", "DEMO-1")  # nothing to discard: fine
    store.save(draft())
    store.discard("Walnut & Linen", "DEMO-3H37E")
    assert store.load("Walnut & Linen", "DEMO-3H37E") is None
    assert store.drafts("Walnut & Linen") == []


def test_drafts_newest_first_and_per_account(store):
    store.save(draft(key="A", saved_at=WHEN))
    store.save(draft(key="B", saved_at=WHEN + timedelta(minutes=5)))
    store.save(draft(key="C", saved_at=WHEN - timedelta(days=1)))
    store.save(draft(key="A", account="Demo", saved_at=WHEN + timedelta(hours=1)))
    assert [d.key for d in store.drafts("Walnut & Linen")] == ["B", "A", "C"]
    assert [d.key for d in store.drafts("Demo")] == ["A"]
    assert store.drafts("Nobody") == []
    assert store.load("Demo", "A").saved_at == WHEN + timedelta(hours=1)
    assert store.load("Walnut & Linen", "A").saved_at == WHEN


def test_saving_again_replaces(store):
    store.save(draft(trackingNumber="first"))
    store.save(draft(trackingNumber="second"))
    assert store.load("Walnut & Linen", "DEMO-3H37E").edited["trackingNumber"] == "second"
    assert len(store.drafts("Walnut & Linen")) == 1


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b'{"format": "backroom-draft", "version": 1, "account": "Walnut & Li',  # truncated
        b"\x00\xff\xfe garbage",
        b"[1, 2, 3]",
        b'{"format": "backroom-draft", "version": 1}',
        b'{"format": "something-else", "version": 1}',
    ],
)
def test_damaged_file_reads_as_none_and_is_moved_aside(store, content, caplog):
    store.save(draft())
    path = store.path_for("Walnut & Linen", "DEMO-3H37E")
    path.write_bytes(content)
    with caplog.at_level(logging.WARNING, logger="app.services.orders.drafts"):
        assert store.load("Walnut & Linen", "DEMO-3H37E") is None
    assert not path.exists()
    aside = list(path.parent.glob(f"{path.name}.damaged-*"))
    assert len(aside) == 1 and aside[0].read_bytes() == content
    assert "moved aside" in caplog.text
    store.save(draft())  # the next save works as usual
    assert store.load("Walnut & Linen", "DEMO-3H37E") is not None


def test_damaged_file_is_skipped_by_the_listing(store):
    store.save(draft(key="good"))
    store.save(draft(key="bad"))
    store.path_for("Walnut & Linen", "bad").write_text("{not json", encoding="utf-8")
    assert [d.key for d in store.drafts("Walnut & Linen")] == ["good"]


def test_newer_format_is_left_alone(store):
    store.save(draft())
    path = store.path_for("Walnut & Linen", "DEMO-3H37E")
    document = json.loads(path.read_text(encoding="utf-8"))
    document["version"] = 99
    path.write_text(json.dumps(document), encoding="utf-8")
    assert store.load("Walnut & Linen", "DEMO-3H37E") is None
    assert path.exists()


_WRITER = textwrap.dedent(
    """
    import sys, time
    from datetime import UTC, datetime
    from pathlib import Path
    from app.services.orders.drafts import Draft, DraftStore

    store = DraftStore(Path(sys.argv[1]))
    note = "x" * 300_000  # a large draft, so that a kill lands inside a write
    count = 0
    while True:
        count += 1
        edited = {"trackingNumber": f"T{count}", "privateAdminNotes": note, "n": count}
        store.save(Draft("Walnut", "DEMO-1", 170, edited, datetime.now(UTC)))
        print(count, flush=True)
        if sys.argv[2] == "once":
            time.sleep(60)
    """
)


def start_writer(directory: Path, mode: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(directory), mode],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def kill_after(process: subprocess.Popen, saves: int) -> int:
    """SIGKILL ``process`` right after it reported ``saves`` saves; the last count read."""
    last = 0
    try:
        while last < saves:
            line = process.stdout.readline()
            assert line, f"writer died: {process.stderr.read()}"
            last = int(line)
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.kill()
        process.wait(timeout=30)
        process.stdout.close()
        process.stderr.close()
    assert process.returncode == -signal.SIGKILL
    return last


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)")
def test_draft_survives_kill_right_after_save(tmp_path):
    kill_after(start_writer(tmp_path / "drafts", "once"), 1)
    loaded = DraftStore(tmp_path / "drafts").load("Walnut", "DEMO-1")
    assert loaded is not None
    assert loaded.edited == {"trackingNumber": "T1", "privateAdminNotes": "x" * 300_000, "n": 1}
    assert loaded.base_update_timestamp == 170


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)")
def test_draft_survives_kill_during_saves(tmp_path):
    last = kill_after(start_writer(tmp_path / "drafts", "loop"), 25)
    store = DraftStore(tmp_path / "drafts")
    loaded = store.load("Walnut", "DEMO-1")
    assert loaded is not None  # never half a file
    assert loaded.edited["n"] >= last
    assert loaded.edited["trackingNumber"] == f"T{loaded.edited['n']}"
    assert loaded.edited["privateAdminNotes"] == "x" * 300_000
    assert [d.key for d in store.drafts("Walnut")] == ["DEMO-1"]  # leftover temp files ignored
