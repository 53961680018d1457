"""SQL of the ``ecdp_pushes`` table: what was sent to ECDP for each order.

One row per order and ECDP target (an ECDP account: the same store may push
to several business units). A push confirmed by ECDP records the digest of
the ECDP order that was sent (``sent_digest``), the digest of the cached
Ecwid order it was made from (``source_digest``, the ``orders.digest`` of
that version) and when (``sent_at``). A failed attempt records its time and
reason (``error``) and keeps the last confirmed push, so the table can tell
"sent", "sent, but changed since", "failed" and "not sent" apart
(:func:`records`), and a resumed or repeated push can skip what ECDP
already has (:func:`unconfirmed_keys`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from . import codec

_CHUNK = 500


@dataclass(frozen=True, slots=True)
class EcdpPushRecord:
    """The last push of one order to one ECDP target."""

    key: str
    target: str
    attempted_at: float  # UNIX time of the last attempt
    error: str | None = None  # why the last attempt failed; None: ECDP confirmed it
    sent_at: float | None = None  # when ECDP last confirmed the order
    sent_digest: bytes | None = None  # digest of the ECDP order it confirmed
    source_digest: bytes | None = None  # digest of the cached Ecwid order it was made from
    current_digest: bytes | None = None  # the cached order's digest now (read only)

    @property
    def changed_since_sent(self) -> bool:
        """Confirmed once, but the cached order has changed since."""
        return self.sent_at is not None and self.current_digest != self.source_digest


def _chunks(values: Sequence[str]) -> Iterator[list[str]]:
    for start in range(0, len(values), _CHUNK):
        yield list(values[start : start + _CHUNK])


def record(conn: sqlite3.Connection, pushes: Iterable[EcdpPushRecord]) -> None:
    """Save attempts: a confirmed one replaces what was known of that order
    and target; a failed one keeps the last confirmed push beside its error."""
    for push in pushes:
        if push.error is None:
            conn.execute(
                "INSERT INTO ecdp_pushes (key, target, attempted_at, error, sent_at, sent_digest, "
                "source_digest) VALUES (?, ?, ?, NULL, ?, ?, ?) "
                "ON CONFLICT (key, target) DO UPDATE SET attempted_at = excluded.attempted_at, "
                "error = NULL, sent_at = excluded.sent_at, sent_digest = excluded.sent_digest, "
                "source_digest = excluded.source_digest",
                (
                    push.key,
                    push.target,
                    push.attempted_at,
                    push.sent_at if push.sent_at is not None else push.attempted_at,
                    push.sent_digest,
                    push.source_digest,
                ),
            )
        else:
            conn.execute(
                "INSERT INTO ecdp_pushes (key, target, attempted_at, error) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (key, target) DO UPDATE SET attempted_at = excluded.attempted_at, "
                "error = excluded.error",
                (push.key, push.target, push.attempted_at, push.error),
            )


def records(
    conn: sqlite3.Connection, keys: Sequence[str], target: str | None
) -> dict[str, EcdpPushRecord]:
    """The push records of ``keys`` for ``target`` (``None``: each order's
    latest attempt to any target), with each order's current digest."""
    found: dict[str, EcdpPushRecord] = {}
    for chunk in _chunks(list(dict.fromkeys(keys))):
        marks = ",".join("?" * len(chunk))
        where = f"p.key IN ({marks})"
        args: list[Any] = list(chunk)
        if target is not None:
            where += " AND p.target = ?"
            args.append(target)
        rows = conn.execute(
            "SELECT p.key, p.target, p.attempted_at, p.error, p.sent_at, p.sent_digest, "
            "p.source_digest, o.digest FROM ecdp_pushes AS p "
            f"LEFT JOIN orders AS o ON o.key = p.key WHERE {where} ORDER BY p.attempted_at",
            args,
        )
        for row in rows:
            found[row[0]] = EcdpPushRecord(*row)  # the latest attempt comes last
    return found


def unconfirmed_keys(conn: sqlite3.Connection, keys: Sequence[str], target: str) -> list[str]:
    """Those of ``keys`` whose cached version ECDP has not confirmed: never
    sent, changed since, or last attempt failed (in the order given)."""
    confirmed: set[str] = set()
    for chunk in _chunks(list(dict.fromkeys(keys))):
        marks = ",".join("?" * len(chunk))
        confirmed.update(
            row[0]
            for row in conn.execute(
                "SELECT p.key FROM ecdp_pushes AS p JOIN orders AS o ON o.key = p.key "
                f"WHERE p.key IN ({marks}) AND p.target = ? AND p.error IS NULL "
                "AND p.source_digest = o.digest",
                [*chunk, target],
            )
        )
    return [key for key in dict.fromkeys(keys) if key not in confirmed]


def bodies_with_digests(
    conn: sqlite3.Connection, keys: Sequence[str]
) -> dict[str, tuple[bytes, dict[str, Any]]]:
    """``key -> (digest, order)`` of the cached orders among ``keys``, read together."""
    found: dict[str, tuple[bytes, dict[str, Any]]] = {}
    for chunk in _chunks(list(dict.fromkeys(keys))):
        marks = ",".join("?" * len(chunk))
        for key, digest, body in conn.execute(
            "SELECT o.key, o.digest, b.body FROM orders AS o JOIN order_bodies AS b "
            f"ON b.rid = o.rid WHERE o.key IN ({marks})",
            chunk,
        ):
            found[key] = (digest, codec.decode(body))
    return found
