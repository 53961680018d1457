"""SQL of the ``ecdp_pushes`` table: what was sent to ECDP for each order.

One row per order and ECDP target (an ECDP account: the same store may push
to several business units). A push confirmed by ECDP records the digest of
the ECDP order that was sent (``sent_digest``), the digest of the cached
Ecwid order it was made from (``source_digest``, the ``orders.digest`` of
that version) and when (``sent_at``). A failed attempt records its time and
reason (``error``) and keeps the last confirmed push. An order that names no
email, phone or customer id, which ECDP cannot match to a customer, records
the reason and the digest of the cached version that has none
(``unmatched_digest``), also beside the last confirmed push. So the table can
tell "sent", "sent, but changed since", "failed", "cannot be matched" and
"not sent" apart (:func:`records`), and a resumed or repeated push can skip
what ECDP already has and what cannot be matched until the order changes
(:func:`settled_keys`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from .bodies import BodyCodec

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
    unmatched_digest: bytes | None = None  # the cached order that names no customer, if so
    current_digest: bytes | None = None  # the cached order's digest now (read only)

    @property
    def changed_since_sent(self) -> bool:
        """Confirmed once, but the cached order has changed since."""
        return self.sent_at is not None and self.current_digest != self.source_digest

    @property
    def unmatched_as_cached(self) -> bool:
        """The last attempt found that ECDP cannot match the order, as it is
        cached now, to a customer (``error`` says why)."""
        return self.unmatched_digest is not None and self.unmatched_digest == self.current_digest


def _chunks(values: Sequence[str]) -> Iterator[list[str]]:
    for start in range(0, len(values), _CHUNK):
        yield list(values[start : start + _CHUNK])


def record(conn: sqlite3.Connection, pushes: Iterable[EcdpPushRecord]) -> None:
    """Save attempts: a confirmed one replaces what was known of that order
    and target; a failed or unmatched one keeps the last confirmed push
    beside its reason."""
    for push in pushes:
        if push.error is None:
            conn.execute(
                "INSERT INTO ecdp_pushes (key, target, attempted_at, error, sent_at, sent_digest, "
                "source_digest, unmatched_digest) VALUES (?, ?, ?, NULL, ?, ?, ?, NULL) "
                "ON CONFLICT (key, target) DO UPDATE SET attempted_at = excluded.attempted_at, "
                "error = NULL, sent_at = excluded.sent_at, sent_digest = excluded.sent_digest, "
                "source_digest = excluded.source_digest, unmatched_digest = NULL",
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
                "INSERT INTO ecdp_pushes (key, target, attempted_at, error, unmatched_digest) "
                "VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (key, target) DO UPDATE SET attempted_at = excluded.attempted_at, "
                "error = excluded.error, unmatched_digest = excluded.unmatched_digest",
                (push.key, push.target, push.attempted_at, push.error, push.unmatched_digest),
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
            "p.source_digest, p.unmatched_digest, o.digest FROM ecdp_pushes AS p "
            f"LEFT JOIN orders AS o ON o.key = p.key WHERE {where} ORDER BY p.attempted_at",
            args,
        )
        for row in rows:
            found[row[0]] = EcdpPushRecord(*row)  # the latest attempt comes last
    return found


def settled_keys(
    conn: sqlite3.Connection, keys: Sequence[str], target: str
) -> dict[str, str | None]:
    """Those of ``keys`` that need nothing until their cached version changes:
    ``key -> None`` when ECDP confirmed that version, ``key -> reason`` when
    ECDP cannot match that version to a customer."""
    settled: dict[str, str | None] = {}
    for chunk in _chunks(list(dict.fromkeys(keys))):
        marks = ",".join("?" * len(chunk))
        for key, error, unmatched in conn.execute(
            "SELECT p.key, p.error, p.unmatched_digest IS NOT NULL FROM ecdp_pushes AS p "
            f"JOIN orders AS o ON o.key = p.key WHERE p.key IN ({marks}) AND p.target = ? "
            "AND ((p.error IS NULL AND p.source_digest = o.digest) "
            "OR p.unmatched_digest = o.digest)",
            [*chunk, target],
        ):
            settled[key] = error if unmatched else None
    return settled


def bodies_with_digests(
    conn: sqlite3.Connection, bodies: BodyCodec, keys: Sequence[str]
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
            found[key] = (digest, bodies.decode(conn, body))
    return found
