"""``backroom orders``: list orders from the local cache — offline, instantly —
as a table, CSV or JSON (full orders). The cache holds the store's confirmed
versions only: an edit still waiting in the outbox is never listed or
exported as if the store had it.

Store text is data, never commands: in the table every control character is
shown as an escape (``\\x1b``); CSV cells that a spreadsheet would run as a
formula get a leading ``'``; JSON stays exact (its escapes carry the same
values, and leave nothing for a terminal to obey)."""

from __future__ import annotations

import csv
import sys
from argparse import Namespace
from datetime import timedelta

from app.commands import EXIT_OK
from app.commands.common import UsageError, pick_account, read_cache
from app.domain.dates import parse_ecwid_datetime
from app.domain.queries import OrderQuery
from app.platform.terminal_text import for_terminal, json_for_terminal
from app.services.accounts import AccountStore
from app.services.cached_store import CachedStore
from app.services.orders.export_safety import spreadsheet_row
from app.services.orders.rows import CachedOrderRow

COLUMNS = ("number", "created", "customer", "email", "items", "total", "payment", "fulfillment")
MAX_LIMIT = 2**62  # any larger --limit means "all" (SQLite's integers are 64-bit)


def _date(text: str | None, option: str, *, end_of_day: bool = False):
    """A date option; ``--to 2025-03-01`` includes the whole of that day."""
    if not text:
        return None
    try:
        moment = parse_ecwid_datetime(text)
    except ValueError:
        raise UsageError(f"{option}: not a date (use YYYY-MM-DD): {text!r}") from None
    if end_of_day and len(text.strip()) == len("YYYY-MM-DD"):
        moment += timedelta(days=1, seconds=-1)
    return moment


def _statuses(values: list[str] | None) -> list[str] | None:
    if not values:
        return None
    return [part.strip().upper() for value in values for part in value.split(",") if part.strip()]


def _cells(row: CachedOrderRow) -> list[str]:
    return [
        row.number,
        row.created.strftime("%Y-%m-%d %H:%M") if row.created else "",
        row.customer,
        row.email,
        str(row.item_count),
        "" if row.total is None else f"{row.total:.2f}",
        row.payment_status,
        row.fulfillment_status,
    ]


def run(args: Namespace) -> int:
    if args.limit < 1:
        raise UsageError("--limit must be at least 1")
    limit = min(args.limit, MAX_LIMIT)
    query = OrderQuery(
        payment_status=_statuses(args.status),
        fulfillment_status=_statuses(args.fulfillment),
        text=args.search or None,
        created_from=_date(args.date_from, "--from"),
        created_to=_date(args.date_to, "--to", end_of_day=True),
    )
    account = pick_account(AccountStore.load(), args.account)

    def work(store: CachedStore) -> int:
        rows = store.rows.rows(query, 0, limit)
        if args.format == "json":
            orders = [store.rows.order_json(row.key) for row in rows]
            print(json_for_terminal(orders))
        elif args.format == "csv":
            writer = csv.writer(sys.stdout)
            writer.writerow(COLUMNS)
            writer.writerows(spreadsheet_row(_cells(row)) for row in rows)
        else:
            table = [[for_terminal(cell) for cell in _cells(row)] for row in rows]
            _print_table([list(COLUMNS), *table])
            total = store.rows.count(query)
            print(f"{len(rows)} of {total} orders (from the local cache)", file=sys.stderr)
            if store.last_sync() is None:
                print("Nothing was synced yet: backroom sync brings the orders.", file=sys.stderr)
        return EXIT_OK

    return read_cache(account, work)


def _print_table(table: list[list[str]]) -> None:
    widths = [min(40, max(len(row[i]) for row in table)) for i in range(len(table[0]))]
    right = {COLUMNS.index("items"), COLUMNS.index("total")}
    for row in table:
        cells = [
            (
                cell[: widths[i]].rjust(widths[i])
                if i in right
                else cell[: widths[i]].ljust(widths[i])
            )
            for i, cell in enumerate(row)
        ]
        print("  ".join(cells).rstrip())
