"""``backroom order update``: change one order from a script, through the
same outbox and conflict check as the window.

    backroom order update ID [--account NAME] [--payment-status S]
        [--fulfillment-status S] [--tracking NUMBER] [--note TEXT]

``ID`` is the order's id or its number. The change is staged in the outbox
against the order version in the local cache, then sent. Exit status:

- 0: the store confirmed the change;
- 2: invalid input (an unknown status, nothing to change, no such order, or
  the store refused the values): nothing is queued;
- 3: conflict: the order changed in the store since the cache last saw it.
  Nothing is overwritten (the change is dropped); the message names the
  fields changed there;
- 4: queued: the store could not be reached (or failed); the change is sent
  by the next ``backroom sync`` or by the window;
- 1: anything else (the token was refused, the order is gone, a damaged
  cache…); nothing is queued.
"""

from __future__ import annotations

import asyncio
import sys
from argparse import Namespace
from typing import Any

from app.commands import EXIT_FAILED, EXIT_OK, EXIT_USAGE
from app.commands.common import UsageError, pick_account
from app.config import AccountStore
from app.ecwid import EcwidClient, EcwidError, EcwidNotFoundError
from app.secrets import SecretStore
from app.services.accounts import ecwid_client, open_cache, token_for
from app.services.order_actions import OrderResult, field_label, remote_changes
from app.services.order_changes import status_change_problems, validate
from app.services.outbox import OutboxSender
from app.store import OrderCache, OrderQuery, OutboxState

EXIT_CONFIRMED = EXIT_OK
EXIT_INVALID = EXIT_USAGE
EXIT_CONFLICT = 3
EXIT_QUEUED = 4

OPTIONS = (
    ("payment_status", "paymentStatus", "--payment-status"),
    ("fulfillment_status", "fulfillmentStatus", "--fulfillment-status"),
    ("tracking", "trackingNumber", "--tracking"),
    ("note", "privateAdminNotes", "--note"),
)


def changes_from(args: Namespace) -> dict[str, Any]:
    """The change the options ask for (API field names); :class:`UsageError`
    when it asks for nothing or for values that are not valid."""
    changes: dict[str, Any] = {}
    for attribute, field, _ in OPTIONS:
        value = getattr(args, attribute, None)
        if value is None:
            continue
        changes[field] = value.strip().upper() if field.endswith("Status") else value
    if not changes:
        names = ", ".join(option for _, _, option in OPTIONS)
        raise UsageError(f"Nothing to change: give at least one of {names}.")
    problems = validate(changes) + status_change_problems(changes)
    if problems:
        options = {field: option for _, field, option in OPTIONS}
        raise UsageError(
            "; ".join(f"{options.get(str(p.path[0]), p.path[0])}: {p.message}" for p in problems)
        )
    return changes


def run(args: Namespace) -> int:
    changes = changes_from(args)
    account = pick_account(AccountStore.load(), args.account)
    token = token_for(SecretStore(), account)
    opened = open_cache(account)
    try:
        return asyncio.run(_update(opened.cache, ecwid_client(account, token), args.id, changes))
    finally:
        opened.cache.close()


async def _update(cache: OrderCache, client: EcwidClient, ref: str, changes: dict) -> int:
    async with client:
        key = await _find_order(cache, client, ref)
        cached_server = await asyncio.to_thread(cache.server_order, key) or {}
        entry_id = await asyncio.to_thread(
            cache.stage_change, key, changes, cached_server.get("updateTimestamp")
        )
        [result] = await OutboxSender(cache, client).send_entries([entry_id])
    return await asyncio.to_thread(_report, cache, entry_id, result, cached_server, changes)


async def _find_order(cache: OrderCache, client: EcwidClient, ref: str) -> str:
    """The cache key of order ``ref`` (an id or a number): from the cache, else
    read from the store and cached."""
    ref = ref.strip()
    key = await asyncio.to_thread(_cached_key, cache, ref)
    if key is not None:
        return key
    if await asyncio.to_thread(cache.count, OrderQuery(deleted=True, ids=[ref])):
        raise UsageError(f"Order {ref} has been deleted.")
    try:
        order = await client.get_order_raw(ref)
    except EcwidNotFoundError:
        raise UsageError(f"There is no order {ref} in the store.") from None
    except EcwidError as exc:
        raise _Failed(
            f"Order {ref} is not in the local cache, and reading it failed: {exc}"
        ) from None
    await asyncio.to_thread(cache.upsert_orders, [order])
    key = await asyncio.to_thread(_cached_key, cache, ref)
    if key is None:  # e.g. addressed by its internal id
        key = str(order.get("id") or order.get("orderNumber"))
    return key


def _cached_key(cache: OrderCache, ref: str) -> str | None:
    if cache.has_order(ref):
        return ref
    if ref.isdigit():
        rows = cache.rows(OrderQuery(order_number=[int(ref)]), limit=1)
    else:
        rows = cache.rows(OrderQuery(vendor_order_number=ref, include_incomplete=True), limit=1)
    return rows[0].key if rows else None


class _Failed(Exception):
    """The update could not be made; nothing was queued (exit 1)."""


def _report(
    cache: OrderCache,
    entry_id: int,
    result: OrderResult,
    cached_server: dict[str, Any],
    changes: dict[str, Any],
) -> int:
    label = f"Order {result.number}"
    if result.ok:
        done = ", ".join(
            f"{field_label(name).lower()} {value!r}" for name, value in changes.items()
        )
        print(f"{label} updated: {done}.")
        return EXIT_CONFIRMED
    if result.state is OutboxState.PENDING:
        print(
            f"{label}: the change is queued and will be sent by the next sync ({result.reason}).",
            file=sys.stderr,
        )
        return EXIT_QUEUED
    entry = cache.outbox_entry(entry_id)
    server = entry.server_json if entry is not None else None
    cache.drop_outbox(entry_id, server)  # nothing stays queued, nothing is overwritten
    if result.state is OutboxState.CONFLICT:
        changed = remote_changes(cached_server, server or {})
        named = ", ".join(f"{field_label(name)} ({name})" for name in changed)
        there = f"changed there: {named}" if named else "saved there without visible changes"
        print(
            f"backroom: {label} was changed in the store since it was last synced ({there}). "
            "Nothing was overwritten; run the command again to apply the change to the "
            "store's new version.",
            file=sys.stderr,
        )
        return EXIT_CONFLICT
    print(f"backroom: {label}: the store refused the change: {result.reason}", file=sys.stderr)
    return EXIT_INVALID if result.http_status == 400 else EXIT_FAILED


def run_reporting(args: Namespace) -> int:
    """:func:`run`, with a failure to find the order reported as exit 1."""
    try:
        return run(args)
    except _Failed as exc:
        print(f"backroom: {exc}", file=sys.stderr)
        return EXIT_FAILED
