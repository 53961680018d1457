"""Fault injection and rate limiting of the demo store.

:class:`Faults` holds plain attributes a test (or the demo's settings) may
change while the server runs. A ``*_every`` fault fires on every Nth API
request counted from the request after its value was last changed, so
``faults.error_every = 3`` makes the third request from then on fail. When
several faults fall on the same request, the first of ``drop``,
``rate_limit``, ``error``, ``html_error``, ``garbage``, ``wrong_shape`` wins.
``fail_orders`` maps an order id to the HTTP status every ``PUT`` and
``DELETE`` of that order answers (e.g. ``{"DEMO-X8UYE": 500}``), so one
order of a bulk change can fail while the others go through.
``garble_writes`` applies writes but garbles their answers (did it land?);
``overwrite_after_update`` makes "another desk" write fields of an order
right after each ``PUT`` of it, as a colleague at the same moment would.

:class:`TokenBucket` is the server-side limit of the real service (600
requests per minute per token, bursts allowed): requests beyond it answer 429
with ``Retry-After``.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Faults:
    latency: float = 0.0  # seconds slept before answering each API request
    rate_limit_every: int = 0  # every Nth API request answers 429 (0 = off)
    retry_after: str = "1"  # Retry-After of those 429s (seconds or an HTTP date)
    error_every: int = 0  # every Nth API request answers 500
    drop_every: int = 0  # every Nth API request: connection closed, no response
    suspended: bool = False  # every API request answers 402 STORE_IS_SUSPENDED
    garbage_every: int = 0  # every Nth API request answers 200 with truncated JSON
    html_error_every: int = 0  # every Nth API request answers 502 with an HTML page
    wrong_shape_every: int = 0  # every Nth API request answers 200 with JSON of another shape
    # order id -> HTTP status that every PUT and DELETE of that order answers
    fail_orders: dict[str, int] = field(default_factory=dict)
    # PUT/DELETE of an order are applied, but answered with truncated JSON (200)
    garble_writes: bool = False
    # fields another desk writes to an order right after each PUT of it lands
    # (a colleague's write at the same moment; the real service cannot refuse it)
    overwrite_after_update: dict[str, Any] = field(default_factory=dict)


FAULT_KINDS = (
    "drop_every",
    "rate_limit_every",
    "error_every",
    "html_error_every",
    "garbage_every",
    "wrong_shape_every",
)


class FaultPlan:
    """Counts API requests and says which injected fault, if any, hits this one."""

    def __init__(self, faults: Faults) -> None:
        self.faults = faults
        self._lock = threading.Lock()
        self._settings: dict[str, int] = {}
        self._counts: dict[str, int] = {}

    def next_fault(self) -> str | None:
        fired: str | None = None
        with self._lock:
            for kind in FAULT_KINDS:
                every = int(getattr(self.faults, kind) or 0)
                if self._settings.get(kind) != every:
                    self._settings[kind] = every
                    self._counts[kind] = 0
                if every <= 0:
                    continue
                self._counts[kind] += 1
                if fired is None and self._counts[kind] % every == 0:
                    fired = kind
        return fired


class TokenBucket:
    """``per_minute`` requests per minute, up to ``per_minute`` in one burst.

    A request arriving up to ``GRACE`` seconds before its token is due still
    passes (the bucket goes briefly below zero), so a client that keeps to
    the same budget is not refused because of network jitter, e.g. a slower
    first request that also opened the connection.
    """

    GRACE = 0.25

    def __init__(self, per_minute: int, clock=time.monotonic) -> None:
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0
        self._clock = clock
        self._tokens = self.capacity
        self._last = clock()
        self._lock = threading.Lock()

    def take(self) -> int:
        """0 if the request may pass, else the whole seconds to wait (for Retry-After)."""
        with self._lock:
            now = self._clock()
            self._tokens = min(self.capacity, self._tokens + (now - self._last) * self.rate)
            self._last = now
            if self._tokens + self.GRACE * self.rate >= 1.0:
                self._tokens -= 1.0
                return 0
            return max(1, math.ceil((1.0 - self._tokens) / self.rate - self.GRACE))
