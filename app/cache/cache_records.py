"""The small records an :class:`~app.cache.order_cache.OrderCache` keeps beside
its orders: named sync state, invoices, when invoices were printed, and
pushes to ECDP (:class:`CacheRecords`).
"""

from __future__ import annotations

import sqlite3
import time
import zlib
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from app.domain.url_credentials import might_carry_credentials, strip_url_credentials

from . import codec, ecdp_pushes, invoice_prints
from .cache_file import CacheFile
from .ecdp_pushes import EcdpPushRecord
from .errors import CacheCorruptError

_NO_INVOICE_VERSION = -1  # stands for update_timestamp=None


class CacheRecords(CacheFile):
    """Sync state, invoices, printed invoices and ECDP pushes of the cache."""

    # -- sync state ----------------------------------------------------------

    def get_state(self, name: str, default: str | None = None) -> str | None:
        row = self._read(
            "reading the sync state",
            lambda conn: conn.execute(
                "SELECT value FROM sync_state WHERE name = ?", (name,)
            ).fetchone(),
        )
        return default if row is None else row[0]

    def set_state(self, name: str, value: str | None) -> None:
        """Store a named value (``None`` deletes it)."""

        self._write("saving the sync state", lambda conn: put_state(conn, name, value))

    # -- invoices ------------------------------------------------------------

    def put_invoice(self, key: str, update_timestamp: int | None, html: str) -> None:
        """Store an order's invoice for the order version ``update_timestamp``.
        Only the newest version of each order's invoice is kept; credentials
        inside its links are removed first (it is the store's HTML)."""
        version = _NO_INVOICE_VERSION if update_timestamp is None else int(update_timestamp)
        if might_carry_credentials(html):
            html = strip_url_credentials(html)
        blob = zlib.compress(html.encode("utf-8"), codec.COMPRESSION_LEVEL)

        def work(conn: sqlite3.Connection) -> None:
            conn.execute(
                "INSERT OR REPLACE INTO invoices (key, version, html, stored_at) "
                "VALUES (?, ?, ?, ?)",
                (key, version, blob, time.time()),
            )
            conn.execute(
                "DELETE FROM invoices WHERE key = ? AND version < "
                "(SELECT max(version) FROM invoices WHERE key = ?)",
                (key, key),
            )

        self._write("saving an invoice", work)

    def invoice(self, key: str) -> tuple[int | None, str] | None:
        """``(update_timestamp, html)`` of the newest stored invoice of ``key``."""
        row = self._read(
            "reading an invoice",
            lambda conn: conn.execute(
                "SELECT version, html FROM invoices WHERE key = ? ORDER BY version DESC LIMIT 1",
                (key,),
            ).fetchone(),
        )
        if row is None:
            return None
        version, blob = row
        try:
            html = zlib.decompress(blob).decode("utf-8")
        except (zlib.error, UnicodeDecodeError) as exc:
            raise CacheCorruptError(f"The cached invoice of order {key} is damaged.") from exc
        return (None if version == _NO_INVOICE_VERSION else version), html

    def record_printed(self, keys: Iterable[str], when: datetime) -> None:
        """Remember that the invoices of ``keys`` were printed (or saved as PDF)
        at ``when`` (aware); it replaces the time recorded before."""
        wanted = [keys] if isinstance(keys, str) else list(keys)
        stamp = when.timestamp()
        self._write(
            "recording printed invoices",
            lambda conn: invoice_prints.record(conn, wanted, stamp),
        )

    def printed_at(self, key: str) -> datetime | None:
        """When the invoice of ``key`` was last printed here (aware, UTC), or ``None``."""
        stamp = self._read(
            "reading when an invoice was printed",
            lambda conn: invoice_prints.printed_at(conn, key),
        )
        return None if stamp is None else datetime.fromtimestamp(stamp, UTC)

    # -- ECDP pushes ---------------------------------------------------------

    def orders_with_digests(self, keys: Iterable[str]) -> dict[str, tuple[bytes, dict[str, Any]]]:
        """``key -> (digest, order)`` of the cached orders among ``keys``, read
        together: the digest names the version a push was made from."""
        wanted = list(keys)
        try:
            return self._read(
                "reading orders",
                lambda conn: ecdp_pushes.bodies_with_digests(conn, self._bodies, wanted),
            )
        except (zlib.error, ValueError) as exc:
            raise CacheCorruptError(f"A cached order is damaged: {exc}") from exc

    def ecdp_pushes(
        self, keys: Iterable[str], target: str | None = None
    ) -> dict[str, EcdpPushRecord]:
        """The last push to ECDP of each of ``keys`` that has one (to ``target``,
        or each order's latest to any target)."""
        wanted = list(keys)
        return self._read(
            "reading ECDP pushes", lambda conn: ecdp_pushes.records(conn, wanted, target)
        )

    def ecdp_settled(self, keys: Iterable[str], target: str) -> dict[str, str | None]:
        """Those of ``keys`` that need nothing from a push until they change:
        ``key -> None`` when ``target`` confirmed the cached version,
        ``key -> reason`` when ECDP cannot match it to a customer."""
        wanted = list(keys)
        return self._read(
            "reading ECDP pushes", lambda conn: ecdp_pushes.settled_keys(conn, wanted, target)
        )

    def record_ecdp_pushes(self, pushes: Iterable[EcdpPushRecord]) -> None:
        """Save push attempts (confirmed, failed or unmatched) in one transaction."""
        wanted = list(pushes)
        self._write("recording ECDP pushes", lambda conn: ecdp_pushes.record(conn, wanted))


def put_state(conn: sqlite3.Connection, name: str, value: str | None) -> None:
    """Store the named sync-state value (``None`` deletes it), inside the
    caller's transaction."""
    if value is None:
        conn.execute("DELETE FROM sync_state WHERE name = ?", (name,))
    else:
        conn.execute(
            "INSERT INTO sync_state (name, value) VALUES (?, ?) "
            "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            (name, str(value)),
        )
