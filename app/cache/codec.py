"""How an order's JSON is written: compact, with a digest.

The body of each cached order is ``json.dumps(order, separators=(",", ":"))``
(UTF-8), or the very text the server sent; :mod:`app.cache.bodies` compresses
it. Its BLAKE2b digest tells an upsert whether a freshly fetched order
differs from the stored one without reading the body. :func:`compress` and
:func:`decode` are the zlib format of schema 3 and older (still used for
invoices, and read for bodies an upgrade has not rewritten yet).
:func:`merge_changes` applies a user's edit (API field names) to an order the
way Ecwid's partial ``PUT`` does: objects merge field by field, anything else
(lists such as ``items``, and scalars) is replaced whole.
"""

from __future__ import annotations

import copy
import hashlib
import json
import zlib
from decimal import Decimal
from typing import Any

COMPRESSION_LEVEL = 1  # zlib (invoices; bodies before schema 4)


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


_encode = json.JSONEncoder(separators=(",", ":"), check_circular=False, default=_default).encode


def encode(value: Any) -> bytes:
    """Compact UTF-8 JSON of ``value``."""
    return _encode(value).encode("utf-8")


def digest(raw: bytes) -> bytes:
    """A 16-byte digest of an encoded body."""
    return hashlib.blake2b(raw, digest_size=16).digest()


def compress(raw: bytes) -> bytes:
    """zlib, as schema 3 and older stored bodies."""
    return zlib.compress(raw, COMPRESSION_LEVEL)


def decode(blob: bytes) -> Any:
    """The JSON value of a body stored the way :func:`compress` writes."""
    return json.loads(zlib.decompress(blob))


def merge_changes(order: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``order`` with ``changes`` applied (``order`` is left as it was)."""
    merged = dict(order)
    for name, value in changes.items():
        current = merged.get(name)
        if isinstance(value, dict) and isinstance(current, dict):
            merged[name] = merge_changes(current, value)
        else:
            merged[name] = copy.deepcopy(value)
    return merged
