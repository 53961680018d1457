"""What the sync keeps in the cache's state table, by key: read by the
session and the command line without loading the sync engine (its client,
httpx, the worker pool)."""

from __future__ import annotations

STATE_LAST_SYNC = "sync.last_started_at"  # UNIX time the last successful sync began
STATE_GENERATION = "sync.generation"  # generation of the last complete full sync
STATE_FULL = "sync.full_in_progress"  # JSON checkpoint of an unfinished full sync
STATE_SERVER_CLOCK = "sync.server_clock"  # the store's clock at an incremental sync's first answer
