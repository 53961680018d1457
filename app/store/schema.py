"""The cache file's schema and its migrations.

A cache file is an SQLite database marked with :data:`APPLICATION_ID`; its
``PRAGMA user_version`` is the number of :data:`MIGRATIONS` applied. Opening
runs the missing migrations, each in one transaction that also bumps the
version, so a crash never leaves a half-migrated file. To change the schema,
append a migration; never edit one that has shipped.

Tables (version 1):

* ``orders``: one row per order with the indexed columns of
  :class:`~app.store.columns.OrderColumns`, the full-sync ``generation`` and
  the ``digest`` of the stored body. ``rid`` is the internal id (ties in
  every sort are broken by it).
* ``order_bodies``: the compressed JSON (kept apart so scans of ``orders`` stay small).
* ``order_text`` and ``orders_fts``: the folded search text and its FTS5
  trigram index (external content). The cache's own code keeps the index in
  sync (:mod:`app.store.orders`): an FTS5 insert from a trigger costs 2.5
  times as much as one from a plain statement.
* ``outbox``: the user's changes until the server confirms them.
* ``invoices``: invoice HTML by order and order version.
* ``sync_state``: named values of the sync engine.
* ``cache_meta``: the cache's own bookkeeping (e.g. :mod:`app.store.filling`).

Version 2:

* ``outbox.action``: what an entry does to its order (``update`` or ``delete``).
* ``invoice_prints``: when each order's invoice was last printed or saved as
  PDF on this computer.
* ``outbox.base_json``: the values of the changed fields in the server's
  version the change began from (a conflict shows them as "before").
* ``order_server_bodies``: the server's version of each order that has
  unconfirmed changes (``order_bodies`` holds it with the changes applied).
* ``deleted_orders``: orders deleted here or seen deleted by an incremental
  sync since the last full sync (see :mod:`app.store.deleted`).
* ``ecdp_pushes``: what was last sent to ECDP for each order and ECDP
  target, when, and why the last attempt failed (see :mod:`app.store.ecdp_pushes`).

Version 3 (no new table): credentials inside URLs in stored store data (an
old answer's ``adminUrl: …?token=…``) are removed from every order body,
server version, deleted order, outbox entry and invoice, and the changed
orders re-digested (see :mod:`app.store.credential_upgrade`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from .credential_upgrade import remove_stored_credentials
from .errors import CacheCorruptError

Step = str | Callable[[sqlite3.Connection], None]
"""A migration step: an SQL statement, or a function for what SQL alone cannot do."""

APPLICATION_ID = 0x42524F4D  # "BROM": Backroom order cache
REQUIRED_TABLES = frozenset(
    {
        "orders",
        "order_bodies",
        "order_text",
        "orders_fts",
        "outbox",
        "invoices",
        "sync_state",
        "cache_meta",
        "invoice_prints",
        "order_server_bodies",
        "deleted_orders",
        "ecdp_pushes",
    }
)

_V1 = (
    f"PRAGMA application_id = {APPLICATION_ID}",
    """CREATE TABLE orders (
        rid INTEGER PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,
        order_id TEXT,
        order_number INTEGER,
        vendor_order_number TEXT,
        number TEXT NOT NULL,
        created_ts INTEGER,
        updated_ts INTEGER,
        payment_status TEXT NOT NULL,
        fulfillment_status TEXT NOT NULL,
        total REAL,
        total_text TEXT,
        customer TEXT NOT NULL,
        customer_fold TEXT NOT NULL,
        email TEXT NOT NULL,
        email_fold TEXT NOT NULL,
        item_count INTEGER NOT NULL,
        tracking_number TEXT NOT NULL,
        tracking_fold TEXT NOT NULL,
        payment_method TEXT NOT NULL,
        payment_method_fold TEXT NOT NULL,
        shipping_method TEXT NOT NULL,
        shipping_method_fold TEXT NOT NULL,
        coupon_code TEXT NOT NULL,
        coupon_fold TEXT NOT NULL,
        generation INTEGER NOT NULL DEFAULT 0,
        digest BLOB NOT NULL
    )""",
    # one index per filter and sort key; SQLite appends rid to each, which
    # gives every sort its tie-break for free
    "CREATE INDEX orders_number ON orders (order_number)",
    "CREATE INDEX orders_vendor_number ON orders (vendor_order_number)",
    "CREATE INDEX orders_created ON orders (created_ts)",
    "CREATE INDEX orders_updated ON orders (updated_ts)",
    "CREATE INDEX orders_payment_status ON orders (payment_status)",
    "CREATE INDEX orders_fulfillment_status ON orders (fulfillment_status)",
    "CREATE INDEX orders_total ON orders (total)",
    "CREATE INDEX orders_customer ON orders (customer_fold)",
    "CREATE INDEX orders_email ON orders (email_fold)",
    "CREATE INDEX orders_items ON orders (item_count)",
    "CREATE INDEX orders_tracking ON orders (tracking_fold)",
    "CREATE INDEX orders_payment_method ON orders (payment_method_fold)",
    "CREATE INDEX orders_shipping_method ON orders (shipping_method_fold)",
    "CREATE INDEX orders_coupon ON orders (coupon_fold) WHERE coupon_fold <> ''",
    """CREATE TABLE order_bodies (
        rid INTEGER PRIMARY KEY REFERENCES orders (rid) ON DELETE CASCADE,
        body BLOB NOT NULL
    )""",
    """CREATE TABLE order_text (
        rid INTEGER PRIMARY KEY REFERENCES orders (rid) ON DELETE CASCADE,
        numbers TEXT NOT NULL,
        names TEXT NOT NULL,
        email TEXT NOT NULL,
        contact TEXT NOT NULL,
        items TEXT NOT NULL,
        notes TEXT NOT NULL,
        tracking TEXT NOT NULL,
        flags TEXT NOT NULL,
        -- what a search term of one or two characters (too short for trigrams) scans
        alltext TEXT GENERATED ALWAYS AS (
            numbers || char(10) || names || char(10) || email || char(10) || contact
            || char(10) || items || char(10) || notes || char(10) || tracking
        ) STORED
    )""",
    """CREATE VIRTUAL TABLE orders_fts USING fts5 (
        numbers, names, email, contact, items, notes, tracking, flags,
        content = 'order_text', content_rowid = 'rid', tokenize = 'trigram',
        columnsize = 0
    )""",
    """CREATE TABLE outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        key TEXT NOT NULL,
        changes TEXT NOT NULL,
        base_update_ts INTEGER,
        state TEXT NOT NULL,
        severity INTEGER NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        reason TEXT,
        server_json TEXT,
        created_at REAL NOT NULL,
        updated_at REAL NOT NULL
    )""",
    "CREATE INDEX outbox_key ON outbox (key, severity)",
    """CREATE TABLE invoices (
        key TEXT NOT NULL,
        version INTEGER NOT NULL,
        html BLOB NOT NULL,
        stored_at REAL NOT NULL,
        PRIMARY KEY (key, version)
    )""",
    # an order's invoices go with it
    """CREATE TRIGGER orders_ad AFTER DELETE ON orders BEGIN
        DELETE FROM invoices WHERE key = old.key;
    END""",
    """CREATE TABLE sync_state (
        name TEXT PRIMARY KEY,
        value TEXT NOT NULL
    )""",
    # the cache's own bookkeeping (see app.store.filling)
    """CREATE TABLE cache_meta (
        name TEXT PRIMARY KEY,
        value TEXT NOT NULL
    )""",
)

_V2 = (
    "ALTER TABLE outbox ADD COLUMN action TEXT NOT NULL DEFAULT 'update'",
    """CREATE TABLE invoice_prints (
        key TEXT PRIMARY KEY,
        printed_at REAL NOT NULL
    )""",
    # the values of the changed fields in the server's version the change began from
    "ALTER TABLE outbox ADD COLUMN base_json TEXT",
    """CREATE TABLE order_server_bodies (
        key TEXT PRIMARY KEY,
        body BLOB NOT NULL
    )""",
    """CREATE TABLE deleted_orders (
        did INTEGER PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,
        origin TEXT NOT NULL,
        deleted_at REAL NOT NULL,
        columns TEXT NOT NULL,
        text TEXT NOT NULL,
        body BLOB NOT NULL
    )""",
    """CREATE TABLE ecdp_pushes (
        key TEXT NOT NULL,
        target TEXT NOT NULL,
        attempted_at REAL NOT NULL,
        error TEXT,
        sent_at REAL,
        sent_digest BLOB,
        source_digest BLOB,
        PRIMARY KEY (key, target)
    )""",
)

_V3: tuple[Step, ...] = (remove_stored_credentials,)

MIGRATIONS: tuple[tuple[Step, ...], ...] = (_V1, _V2, _V3)
"""``MIGRATIONS[n]`` takes a file from version ``n`` to ``n + 1``."""

SCHEMA_VERSION = len(MIGRATIONS)


def pragma_int(conn: sqlite3.Connection, name: str) -> int:
    return int(conn.execute(f"PRAGMA {name}").fetchone()[0])


def check_file(conn: sqlite3.Connection) -> bool:
    """Check that ``conn`` is an order cache (or an empty database) before
    anything is written to it; True when it is empty. Raises
    :class:`CacheCorruptError` for a file that is not SQLite, a foreign
    database, or a cache from a newer Backroom."""
    application_id = pragma_int(conn, "application_id")  # fails first on a non-SQLite file
    version = pragma_int(conn, "user_version")
    objects = conn.execute("SELECT count(*) FROM sqlite_schema").fetchone()[0]
    if application_id == 0 and version == 0 and objects == 0:
        return True
    if application_id != APPLICATION_ID:
        raise CacheCorruptError("The file is an SQLite database, but not a Backroom order cache.")
    if version > SCHEMA_VERSION:
        raise CacheCorruptError(
            f"The order cache was written by a newer Backroom (schema {version}; "
            f"this version reads up to {SCHEMA_VERSION})."
        )
    return False


def migrate(conn: sqlite3.Connection) -> int:
    """Apply the missing migrations; return the version the file had before.

    ``conn`` must be in autocommit mode (``isolation_level=None``)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        before = pragma_int(conn, "user_version")  # again, now under the write lock
        for version in range(before, SCHEMA_VERSION):
            for step in MIGRATIONS[version]:
                if isinstance(step, str):
                    conn.execute(step)
                else:
                    step(conn)
        if before < SCHEMA_VERSION:
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION:d}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return before


def check_tables(conn: sqlite3.Connection) -> None:
    """Raise :class:`CacheCorruptError` if a table of the schema is missing."""
    names = {row[0] for row in conn.execute("SELECT name FROM sqlite_schema")}
    missing = REQUIRED_TABLES - names
    if missing:
        raise CacheCorruptError(
            f"The order cache is incomplete (missing {', '.join(sorted(missing))})."
        )
