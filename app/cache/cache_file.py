"""The open cache file under :class:`~app.cache.order_cache.OrderCache`: :class:`CacheFile`.

Opening (creating, migrating, or moving a damaged file aside) and closing
the SQLite file, the one connection and the lock that guards it, the
``_read``/``_write`` helpers every cache method runs its SQL through (a
write is one ``BEGIN IMMEDIATE`` transaction, rolled back on any error),
whether a first full sync is filling the file without indexes, and the
query planner's statistics. The other parts of the cache
(:mod:`~app.cache.cache_orders`, :mod:`~app.cache.cache_marks`,
:mod:`~app.cache.cache_records`) build on it.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import TracebackType
from typing import Self, TypeVar

from app.domain.os_errors import describe_os_error

from . import filling, schema
from .bodies import BodyCodec
from .errors import CacheCorruptError, CacheError, sqlite_errors, translate

T = TypeVar("T")

CACHE_SIZE_KIB = 32 * 1024  # each connection's page cache, one store open
CHECK_CACHE_KIB = 2 * 1024  # while PRAGMA quick_check reads every page (as fast as 32 MB)
SHARED_CACHE_MIN_KIB = 4 * 1024  # the least a connection keeps when stores share (below)
BUSY_TIMEOUT_S = 10.0
# SQLite's result codes (https://sqlite.org/rescode.html) for "cannot write
# here": PERM, READONLY, FULL, CANTOPEN; and the shared-memory file of a
# WAL cache that cannot be created or grown (IOERR_SHMOPEN, IOERR_SHMSIZE).
_READ_ONLY = {3, 8, 14}
_WRITE_REFUSED = {*_READ_ONLY, 13}
_WRITE_REFUSED_EXTENDED = {4618, 4874}


def _refused_writing(error: CacheError) -> bool:
    """Whether SQLite failed because the file or its folder cannot be written."""
    cause = error.__cause__
    code = getattr(cause, "sqlite_errorcode", None)
    if not isinstance(code, int):
        return False
    return code & 0xFF in _WRITE_REFUSED or code in _WRITE_REFUSED_EXTENDED


def _cannot_write(refusal: sqlite3.Error, doing: str) -> CacheError:
    """Why a cache opened read-only cannot do ``doing`` (a write)."""
    if getattr(refusal, "sqlite_errorcode", 0) & 0xFF in _READ_ONLY:
        return CacheError(
            f"The order cache failed while {doing}: the cache file or its folder is "
            "read-only (a read-only folder or disk)."
        )
    return translate(refusal, doing)


def _sidecars(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm")]


def _create(file: Path) -> None:
    """Create an empty cache at ``file``: built beside it and renamed into
    place, so a crash never leaves a half-made (or 0-byte) cache behind."""
    temporary = file.with_name(f".{file.name}.{os.getpid()}.new")
    temporary.unlink(missing_ok=True)
    try:
        with sqlite_errors("creating the cache"):
            conn = sqlite3.connect(temporary, isolation_level=None)
            try:
                schema.check_file(conn)
                # free pages (bodies written again, orders deleted) go back step by
                # step (app.cache.cache_compaction); only settable before any table
                conn.execute("PRAGMA auto_vacuum = INCREMENTAL")
                schema.migrate(conn)
            finally:
                conn.close()
        os.replace(temporary, file)
    except OSError as exc:
        raise CacheError(
            f"The order cache {file} cannot be created: {describe_os_error(exc)}."
        ) from exc
    finally:
        temporary.unlink(missing_ok=True)


def move_aside(file: Path) -> Path:
    """Rename a damaged cache file (and its ``-wal``/``-shm``) to
    ``<name>.corrupt-<timestamp>``; return the new path. Raises
    :class:`CacheError` when it cannot be moved."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = file.with_name(f"{file.name}.corrupt-{stamp}")
    counter = 1
    while target.exists():
        counter += 1
        target = file.with_name(f"{file.name}.corrupt-{stamp}-{counter}")
    try:
        file.replace(target)
        for sidecar, moved in zip(_sidecars(file), _sidecars(target), strict=True):
            if sidecar.exists():
                sidecar.replace(moved)
    except OSError as exc:
        raise CacheError(
            f"The order cache {file} is damaged and could not be moved aside: {exc.strerror}"
        ) from exc
    return target


class CacheFile:
    """One open cache file: its connection, lock, transactions and planner
    statistics. Every method may be called from any thread."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self._conn: sqlite3.Connection | None = conn
        self._lock = threading.RLock()
        self.path = path
        self._writes = 0  # own commits (PRAGMA data_version counts the others')
        self._refusal: sqlite3.Error | None = None  # why it was opened read-only
        self._bodies = BodyCodec()  # the bodies' compression (app.cache.bodies)
        self._side: sqlite3.Connection | None = None  # for long reads: see _read_aside
        self._side_lock = threading.Lock()
        self._training_failed = False
        self._page_cache_kib = self._applied_kib = CACHE_SIZE_KIB
        with sqlite_errors("opening the cache"):
            self._filling = filling.is_filling(conn)
            self._fts_upto = filling.coverage(conn)  # what the search index covers
            self._bodies.load(conn)
        self._analyzed_rows = self._stat_rows()

    # -- opening and closing -------------------------------------------------

    @classmethod
    def open(cls, path: str | os.PathLike[str]) -> Self:
        """Open the cache at ``path``, creating or migrating it. Raises
        :class:`CacheCorruptError` for a damaged, non-SQLite or foreign file.

        A cache that exists but cannot be written (a read-only folder or
        medium, a full disk) is opened read-only: it answers queries, and every write
        fails with a :class:`CacheError` saying the file is read-only."""
        file = Path(path)
        try:
            file.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CacheError(
                f"The order cache folder {file.parent} cannot be created: {exc.strerror}."
            ) from exc
        try:
            return cls._open_writable(file)
        except CacheCorruptError:
            raise
        except CacheError as exc:
            if not (file.is_file() and _refused_writing(exc)):
                raise
            return cls._open_read_only(file, exc)

    @classmethod
    def _open_read_only(cls, file: Path, refusal: CacheError) -> Self:
        """The cache opened for reading only; ``refusal`` is raised when even
        that fails, or when the file would need a migration (a write)."""
        base = file.resolve().as_uri()
        for uri in (f"{base}?mode=ro", f"{base}?mode=ro&immutable=1"):
            # immutable: no lock and no -shm file to create (a read-only medium)
            conn = None
            try:
                conn = sqlite3.connect(
                    uri,
                    uri=True,
                    timeout=BUSY_TIMEOUT_S,
                    isolation_level=None,
                    check_same_thread=False,
                )
                schema.pragma_int(conn, "user_version")
            except sqlite3.Error:
                if conn is not None:
                    conn.close()
                continue
            try:
                with sqlite_errors("opening the cache"):
                    schema.check_file(conn)
                    if schema.pragma_int(conn, "user_version") < schema.SCHEMA_VERSION:
                        raise refusal
                    for pragma in (
                        "temp_store = MEMORY",
                        f"cache_size = -{CACHE_SIZE_KIB:d}",
                        "analysis_limit = 1000",
                    ):
                        conn.execute(f"PRAGMA {pragma}")
                    schema.check_tables(conn)
                opened = cls(conn, file)
            except BaseException:
                conn.close()
                raise
            cause = refusal.__cause__  # an sqlite3.Error: see _refused_writing
            opened._refusal = cause if isinstance(cause, sqlite3.Error) else None
            return opened
        raise refusal

    @classmethod
    def _open_writable(cls, file: Path) -> Self:
        if not file.exists():
            _create(file)
        with sqlite_errors("opening the cache"):
            conn = sqlite3.connect(
                file, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
            )
        try:
            with sqlite_errors("opening the cache"):
                schema.check_file(conn)  # before anything writes to a file that may not be ours
                mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
                if str(mode).lower() != "wal":
                    conn.execute("PRAGMA journal_mode = TRUNCATE")
                for pragma in (
                    "synchronous = NORMAL",
                    "foreign_keys = ON",
                    "temp_store = MEMORY",
                    f"cache_size = -{CACHE_SIZE_KIB:d}",
                    "journal_size_limit = 67108864",
                    "wal_autocheckpoint = 8192",
                    # ANALYZE (and PRAGMA optimize) sample each index: milliseconds at 1M
                    "analysis_limit = 1000",
                ):
                    conn.execute(f"PRAGMA {pragma}")
                if schema.pragma_int(conn, "user_version") < schema.SCHEMA_VERSION:
                    schema.migrate(conn)
                    # a migration may rewrite store data (schema 3 removes credentials):
                    # let the new pages replace the old ones in the file now
                    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                schema.check_tables(conn)
            return cls(conn, file)
        except BaseException:
            conn.close()
            raise

    @classmethod
    def open_or_rebuild(
        cls, path: str | os.PathLike[str], *, check: bool = True
    ) -> tuple[Self, Path | None]:
        """Open the cache; if the file is damaged or foreign (a 0-byte or
        truncated file, garbage in its header, or — with ``check`` — any page
        ``PRAGMA quick_check`` finds wrong), move it (and its ``-wal``/``-shm``)
        aside to ``<name>.corrupt-<timestamp>`` and start a fresh one. Returns
        the cache and the moved file's new path (or ``None``)."""
        file = Path(path)
        try:
            if file.exists() and file.stat().st_size == 0:
                raise CacheCorruptError("The order cache file is empty.")
            cache = cls.open(file)
            if check:
                try:
                    cache.check_integrity()
                except BaseException:
                    cache.close()
                    raise
            return cache, None
        except CacheCorruptError:
            pass
        target = move_aside(file)
        return cls.open(file), target

    def check_integrity(self) -> None:
        """Read every page of the file (``PRAGMA quick_check``); raise
        :class:`CacheCorruptError` when any is damaged."""
        with self._lock, sqlite_errors("checking the cache"):
            conn = self._live()
            # (the check reads each page once: a big page cache would only fill)
            conn.execute(f"PRAGMA cache_size = -{min(CHECK_CACHE_KIB, self._page_cache_kib):d}")
            try:
                verdict = conn.execute("PRAGMA quick_check").fetchone()[0]
            finally:
                conn.execute(f"PRAGMA cache_size = -{self._applied_kib:d}")
        if verdict != "ok":
            raise CacheCorruptError(f"The order cache file is damaged ({verdict}).")

    def close(self) -> None:
        """Close the file (a no-op when closed already)."""
        with self._lock:
            conn, self._conn = self._conn, None
            if conn is None:
                return
            side, self._side = self._side, None
            if side is not None:
                side.interrupt()  # a long count running there ends now
            with contextlib.suppress(sqlite3.Error):
                conn.execute("PRAGMA optimize")
            conn.close()
        if side is not None:
            with self._side_lock:
                side.close()

    @property
    def closed(self) -> bool:
        return self._conn is None

    def share_page_cache(self, stores: int) -> None:
        """``stores`` stores are open together (*All stores*): keep a
        ``stores``-th of one store's page cache (at least
        :data:`SHARED_CACHE_MIN_KIB`), so that several stores take about the
        memory one does. It takes effect at the connection's next use (never
        waiting here for a long write to end); SQLite frees the pages above it."""
        self._page_cache_kib = max(SHARED_CACHE_MIN_KIB, CACHE_SIZE_KIB // max(1, stores))

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # -- plumbing ------------------------------------------------------------

    def _live(self) -> sqlite3.Connection:
        if self._conn is None:
            raise CacheError("The order cache is closed.")
        if self._applied_kib != self._page_cache_kib:  # (see share_page_cache)
            self._conn.execute(f"PRAGMA cache_size = -{self._page_cache_kib:d}")
            self._applied_kib = self._page_cache_kib
        return self._conn

    def _read(self, doing: str, work: Callable[[sqlite3.Connection], T]) -> T:
        with self._lock, sqlite_errors(doing):
            return work(self._live())

    def _read_aside(self, doing: str, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run a long read (a count that scans every order's text) on a second,
        read-only connection, so that it never holds this one's lock: the
        table's pages keep coming while it runs. One at a time."""
        if self._refusal is not None:  # a read-only medium: no second connection
            return self._read(doing, work)
        with self._side_lock, sqlite_errors(doing):
            if self._side is None:
                with self._lock:
                    self._live()
                    uri = f"{self.path.resolve().as_uri()}?mode=ro"
                    side = sqlite3.connect(
                        uri, uri=True, timeout=BUSY_TIMEOUT_S, check_same_thread=False
                    )
                    side.execute("PRAGMA temp_store = MEMORY")
                    self._side = side
            return work(self._side)

    def _write(self, doing: str, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``work`` in one write transaction (rolled back on any error)."""
        with self._lock, sqlite_errors(doing):
            conn = self._live()
            if self._refusal is not None:  # opened read-only: say why it cannot write
                raise _cannot_write(self._refusal, doing) from self._refusal
            conn.execute("BEGIN IMMEDIATE")
            try:
                result = work(conn)
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    with contextlib.suppress(sqlite3.Error):
                        conn.execute("ROLLBACK")
                raise
            finally:
                self._writes += 1
            return result

    def _stat_rows(self) -> int:
        """Rows of ``orders`` when the planner's statistics were last gathered."""
        with self._lock, sqlite_errors("reading the cache statistics"):
            conn = self._live()
            has_stats = conn.execute(
                "SELECT 1 FROM sqlite_schema WHERE name = 'sqlite_stat1'"
            ).fetchone()
            if not has_stats:
                return 0
            row = conn.execute(
                "SELECT stat FROM sqlite_stat1 WHERE tbl = 'orders' AND idx IS NULL"
            ).fetchone()
            if row is None:
                row = conn.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = 'orders'").fetchone()
            return int(str(row[0]).split()[0]) if row else 0

    def _refresh_statistics(self) -> None:
        """Re-gather the query planner's statistics when the table has doubled
        since they were taken (``ANALYZE orders`` samples 1,000 entries of each
        index: ``analysis_limit``; milliseconds even at 1,000,000 orders)."""
        conn = self._live()
        rows = conn.execute("SELECT max(rid) FROM orders").fetchone()[0] or 0
        if self._filling or rows < 1000 or rows < 2 * self._analyzed_rows:
            return
        conn.execute("ANALYZE orders")
        self._analyzed_rows = rows

    # -- maintenance ---------------------------------------------------------

    @property
    def filling(self) -> bool:
        """True while a first full sync fills the cache without indexes."""
        return self._filling

    def analyze(self) -> None:
        """Gather the query planner's statistics now (also done automatically)."""
        with self._lock, sqlite_errors("updating the cache statistics"):
            conn = self._live()
            if self._filling:
                return
            conn.execute("ANALYZE orders")
            self._analyzed_rows = conn.execute("SELECT count(*) FROM orders").fetchone()[0]

    @contextlib.contextmanager
    def _raw_connection(self) -> Iterator[sqlite3.Connection]:
        """The connection, locked (for tests and benchmarks)."""
        with self._lock:
            yield self._live()

    def __repr__(self) -> str:
        state = "closed" if self.closed else "open"
        return f"<{type(self).__name__} {self.path} ({state})>"
