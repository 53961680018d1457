"""The outbox file: one SQLite file per account, apart from the order cache.

The order cache is disposable (a sync rebuilds it); the outbox is not: it
holds what the user asked Backroom to write and has not been confirmed yet,
the edits confirmed recently (watched for a colleague overwriting them) and
the activity log. So it lives in its own file (``outbox.sqlite`` in the
account's folder), is created whole or not at all (built beside it, then
renamed into place), and a damaged one is never replaced silently: it is
moved aside (``outbox.sqlite.damaged-<time>``), what can still be read of it
is put back as *recovered* edits, and :class:`DamageReport` says how many
edits it held.

One connection, guarded by a lock, serves every thread; each write is one
``BEGIN IMMEDIATE`` transaction. Several processes (the window and a
``backroom`` command) may use the file at once (WAL, busy timeout).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Self, TypeVar

from app.domain.errors import LocalDataDamaged, LocalDataError
from app.domain.os_errors import describe_os_error

T = TypeVar("T")

APPLICATION_ID = 0x42524F58  # "BROX": Backroom outbox
SCHEMA_VERSION = 1
BUSY_TIMEOUT_S = 10.0
PAGE_SIZE = 4096
TABLES = frozenset({"edits", "activity", "outbox_meta"})

_SCHEMA = (
    f"PRAGMA page_size = {PAGE_SIZE}",
    f"PRAGMA application_id = {APPLICATION_ID}",
    """CREATE TABLE edits (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        key TEXT NOT NULL,
        number TEXT NOT NULL,
        action TEXT NOT NULL,
        changes TEXT NOT NULL,
        base TEXT,
        base_update_ts INTEGER,
        state TEXT NOT NULL,
        reason TEXT,
        store_json TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        desk TEXT NOT NULL,
        created_at REAL NOT NULL,
        updated_at REAL NOT NULL,
        confirmed_at REAL,
        watch_until REAL,
        claimed_by TEXT,
        claimed_at REAL
    )""",
    "CREATE INDEX edits_key ON edits (key)",
    "CREATE INDEX edits_state ON edits (state)",
    """CREATE TABLE activity (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        key TEXT NOT NULL,
        number TEXT NOT NULL,
        at REAL NOT NULL,
        desk TEXT NOT NULL,
        kind TEXT NOT NULL,
        summary TEXT NOT NULL,
        detail TEXT NOT NULL,
        outcome TEXT NOT NULL,
        edit_id INTEGER
    )""",
    "CREATE INDEX activity_key ON activity (key, at)",
    "CREATE INDEX activity_edit ON activity (edit_id) WHERE edit_id IS NOT NULL",
    """CREATE TABLE outbox_meta (
        name TEXT PRIMARY KEY,
        value TEXT NOT NULL
    )""",
    f"PRAGMA user_version = {SCHEMA_VERSION}",
)


class OutboxError(LocalDataError):
    """The outbox file could not do what was asked; the message says why."""


class OutboxDamaged(OutboxError, LocalDataDamaged):
    """The outbox file is damaged, not SQLite, or not a Backroom outbox."""


@dataclass(frozen=True)
class DamageReport:
    """A damaged outbox file that was moved aside."""

    moved_to: Path
    held: int | None  # edits the damaged file held, when that could be read
    recovered: int  # edits read back from it (listed as recovered)

    def describe(self) -> str:
        held = "an unknown number of edits" if self.held is None else _edits(self.held)
        if self.recovered:
            back = (
                f"{_edits(self.recovered)} could be read back and wait for you to retry or discard"
            )
        else:
            back = "none of them could be read back"
        return (
            f"The file of edits waiting for the store was damaged. It held {held}; "
            f"{back}. The damaged file was kept as {self.moved_to}."
        )


def _edits(count: int) -> str:
    return f"{count} edit" if count == 1 else f"{count} edits"


_UNWRITABLE = (
    "the folder is read-only or cannot be written (check its permissions, and that the "
    "disk is not a read-only medium)"
)
_REASONS = {
    3: _UNWRITABLE,  # SQLITE_PERM
    8: _UNWRITABLE,  # SQLITE_READONLY
    14: _UNWRITABLE,  # SQLITE_CANTOPEN: the folder refuses the file or its -wal/-shm
    23: _UNWRITABLE,  # SQLITE_AUTH
    13: "the disk is full",  # SQLITE_FULL
    10: "the disk reported an error",  # SQLITE_IOERR
    5: "it is busy in another Backroom; try again in a moment",  # SQLITE_BUSY
}


@contextlib.contextmanager
def sqlite_errors(doing: str, folder: Path | None = None) -> Iterator[None]:
    try:
        yield
    except sqlite3.DatabaseError as exc:
        code = getattr(exc, "sqlite_errorcode", None)
        primary = code & 0xFF if isinstance(code, int) else None
        if primary in (11, 26):  # SQLITE_CORRUPT, SQLITE_NOTADB
            raise OutboxDamaged(f"The outbox file is damaged ({doing}).") from exc
        reason = _REASONS.get(primary) if primary is not None else None
        if primary == 10 and folder is not None and _nearly_full(folder):
            reason = "the disk is full"  # (SQLite says only "disk I/O error")
        raise OutboxError(
            f"The file of edits waiting for the store failed while {doing}: "
            f"{reason or str(exc).rstrip('.')}."
        ) from exc


class OutboxDatabase:
    """The open outbox file: its connection, lock and transactions."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self._conn: sqlite3.Connection | None = conn
        self._lock = threading.RLock()
        self.path = path

    # -- opening -------------------------------------------------------------------

    @classmethod
    def open(cls, path: str | os.PathLike[str]) -> tuple[Self, DamageReport | None]:
        """Open (or create) the outbox at ``path``. A damaged file is moved
        aside, a fresh one created and the readable edits put back as
        recovered; the report says so (``None`` when the file was sound)."""
        file = Path(path)
        try:
            file.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutboxError(
                f"The folder of the outbox {file.parent} cannot be created: {exc.strerror}."
            ) from exc
        if not file.exists():
            _create(file)
        try:
            return cls(_connect_checked(file), file), None
        except OutboxDamaged:
            pass
        salvaged, held = salvage(file)
        moved = _move_aside(file)
        _create(file)
        database = cls(_connect_checked(file), file)
        from .edits import put_back_recovered  # (the edits know their own columns)

        recovered = database.write("putting recovered edits back", put_back_recovered(salvaged))
        report = DamageReport(moved, held, recovered)
        database.write(
            "remembering the damaged outbox",
            lambda conn: set_meta(conn, "damage_notice", report.describe()),
        )
        return database, report

    def close(self) -> None:
        with self._lock:
            conn, self._conn = self._conn, None
            if conn is not None:
                conn.close()

    @property
    def closed(self) -> bool:
        return self._conn is None

    # -- transactions --------------------------------------------------------------

    def _live(self) -> sqlite3.Connection:
        if self._conn is None:
            raise OutboxError("The outbox is closed.")
        return self._conn

    def read(self, doing: str, work: Callable[[sqlite3.Connection], T]) -> T:
        with self._lock, sqlite_errors(doing):
            return work(self._live())

    def write(self, doing: str, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``work`` in one write transaction (rolled back on any error)."""
        with self._lock, sqlite_errors(doing):
            conn = self._live()
            conn.execute("BEGIN IMMEDIATE")
            try:
                result = work(conn)
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    with contextlib.suppress(sqlite3.Error):
                        conn.execute("ROLLBACK")
                raise
            return result

    def meta(self, name: str) -> str | None:
        return self.read("reading the outbox", lambda conn: get_meta(conn, name))

    def set_meta(self, name: str, value: str | None) -> None:
        self.write("writing the outbox", lambda conn: set_meta(conn, name, value))


def _nearly_full(folder: Path) -> bool:
    try:
        return shutil.disk_usage(folder).free < 1024 * 1024
    except OSError:
        return False


def get_meta(conn: sqlite3.Connection, name: str) -> str | None:
    row = conn.execute("SELECT value FROM outbox_meta WHERE name = ?", (name,)).fetchone()
    return None if row is None else row[0]


def set_meta(conn: sqlite3.Connection, name: str, value: str | None) -> None:
    if value is None:
        conn.execute("DELETE FROM outbox_meta WHERE name = ?", (name,))
    else:
        conn.execute(
            "INSERT OR REPLACE INTO outbox_meta (name, value) VALUES (?, ?)", (name, value)
        )


def _connect(file: Path, *, read_only: bool = False) -> sqlite3.Connection:
    if read_only:
        uri = f"{file.resolve().as_uri()}?mode=ro"
        return sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S, check_same_thread=False)
    return sqlite3.connect(
        file, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
    )


def _connect_checked(file: Path) -> sqlite3.Connection:
    """A connection to a sound outbox file; :class:`OutboxDamaged` otherwise
    (a 0-byte or truncated file, a foreign one, failed ``quick_check``)."""
    try:
        if file.stat().st_size == 0:
            raise OutboxDamaged("The outbox file is empty.")
    except OSError as exc:
        raise OutboxError(
            f"The outbox file {file} cannot be read: {describe_os_error(exc, reading=True)}."
        ) from exc
    with sqlite_errors("opening the outbox", file.parent):
        conn = _connect(file)
    try:
        with sqlite_errors("opening the outbox", file.parent):
            if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
                raise OutboxDamaged("The file is not a Backroom outbox.")
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise OutboxError(
                    f"The outbox {file} was written by a newer Backroom (version {version})."
                )
            names = {row[0] for row in conn.execute("SELECT name FROM sqlite_schema")}
            if not TABLES <= names:
                raise OutboxDamaged("The outbox file is incomplete.")
            verdict = conn.execute("PRAGMA quick_check").fetchone()[0]
            if verdict != "ok":
                raise OutboxDamaged(f"The outbox file failed its check: {verdict}")
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                conn.execute("PRAGMA journal_mode = TRUNCATE")
            conn.execute("PRAGMA synchronous = FULL")  # an edit that was accepted survives
        return conn
    except BaseException:
        conn.close()
        raise


def _create(file: Path) -> None:
    """Create an empty outbox at ``file``: built beside it and renamed into
    place, so no half-made (or 0-byte) outbox is ever left by a crash."""
    temporary = file.with_name(f".{file.name}.{os.getpid()}.new")
    try:
        temporary.unlink(missing_ok=True)
        with open(temporary, "xb"):  # the folder's own refusal, in words, before SQLite's
            pass
        with sqlite_errors("creating it", file.parent):
            conn = _connect(temporary)
            try:
                for statement in _SCHEMA:
                    conn.execute(statement)
            finally:
                conn.close()
        with open(temporary, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(temporary, file)
    except OSError as exc:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
        raise OutboxError(
            f"The file of edits waiting for the store cannot be created in {file.parent}: "
            f"{describe_os_error(exc)}."
        ) from exc
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
        raise


def _move_aside(file: Path) -> Path:
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = file.with_name(f"{file.name}.damaged-{stamp}")
    counter = 1
    while target.exists():
        counter += 1
        target = file.with_name(f"{file.name}.damaged-{stamp}-{counter}")
    try:
        file.replace(target)
        for suffix in ("-wal", "-shm"):
            sidecar = file.with_name(file.name + suffix)
            if sidecar.exists():
                sidecar.replace(target.with_name(target.name + suffix))
    except OSError as exc:
        raise OutboxError(
            f"The outbox {file} is damaged and could not be moved aside: {describe_os_error(exc)}."
        ) from exc
    return target


def salvage(file: Path) -> tuple[list[dict[str, Any]], int | None]:
    """The edits that can still be read from a damaged outbox (as column
    dicts), and how many it held (``None`` when even that cannot be read).
    Rows are read one by one, so a damaged page costs only its own rows; a
    file whose first page's header is garbage is read through a copy with a
    sound header (the rest of the file is what holds the edits)."""
    found = _salvage_from(file)
    if found[1] is not None:
        return found
    repaired = _with_sound_header(file)
    if repaired is None:
        return found
    try:
        return _salvage_from(repaired)
    finally:
        repaired.unlink(missing_ok=True)


def _with_sound_header(file: Path) -> Path | None:
    """A copy of ``file`` with SQLite's 100-byte header rewritten (the
    outbox's page size, the page count from the file's size)."""
    try:
        data = bytearray(file.read_bytes())
    except OSError:
        return None
    if len(data) < PAGE_SIZE or len(data) % PAGE_SIZE:
        return None
    template = file.with_name(f".{file.name}.{os.getpid()}.header")
    copy = file.with_name(f".{file.name}.{os.getpid()}.salvage")
    try:
        template.unlink(missing_ok=True)
        conn = sqlite3.connect(template)
        try:
            conn.execute(f"PRAGMA page_size = {PAGE_SIZE}")
            conn.execute("CREATE TABLE t (x)")
            conn.commit()
        finally:
            conn.close()
        header = template.read_bytes()[:100]
        data[:100] = header
        data[28:32] = (len(data) // PAGE_SIZE).to_bytes(4, "big")
        copy.write_bytes(bytes(data))
        return copy
    except (OSError, sqlite3.Error):
        copy.unlink(missing_ok=True)
        return None
    finally:
        template.unlink(missing_ok=True)


def _salvage_from(file: Path) -> tuple[list[dict[str, Any]], int | None]:
    try:
        conn = _connect(file, read_only=True)
    except sqlite3.Error:
        return [], None
    rows: list[dict[str, Any]] = []
    held: int | None = None
    try:
        try:
            conn.row_factory = sqlite3.Row
            held = conn.execute("SELECT count(*) FROM edits WHERE state <> 'CONFIRMED'").fetchone()[
                0
            ]
            last = conn.execute("SELECT max(id) FROM edits").fetchone()[0] or 0
        except sqlite3.Error:
            return [], None
        for edit_id in range(1, last + 1):
            try:
                row = conn.execute("SELECT * FROM edits WHERE id = ?", (edit_id,)).fetchone()
            except sqlite3.Error:
                continue
            if row is None or row["state"] == "CONFIRMED":
                continue
            try:
                record = dict(row)
                json.loads(record["changes"])
            except (ValueError, TypeError, IndexError):
                continue
            rows.append(record)
    finally:
        conn.close()
    return rows, held
