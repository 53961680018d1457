"""``backroom order``: change one order from a script, or read its activity —
through the same session, outbox and checks as the window.

    backroom order update REF [--account NAME] [--payment-status S]
        [--fulfillment-status S] [--tracking NUMBER] [--note TEXT]
    backroom order log REF [--account NAME] [--format table|json]

``REF`` names exactly one order: its id, internal id, number or vendor
number. A blank reference, or one that names several orders (they are
listed), is refused before any request (exit 2). ``update`` exits:

- 0: the store confirmed the change (the order read back holds it);
- 2: invalid input (an unknown status, nothing to change, no such order, a
  reference that is blank or names several orders) or refused by the store:
  nothing is queued;
- 3: conflict: the order was changed in the store since the cache last saw
  it, or at the same moment. Nothing was overwritten; the edit waits in the
  outbox as a conflict (``backroom outbox resolve ID --keep-mine|--take-store``,
  or ``backroom outbox discard ID``);
- 4: queued: the store could not be reached or failed, or its answer could
  not be read and the order does not show the change: the edit waits in the
  outbox and is sent by the next ``backroom sync`` (or the window);
- 1: anything else (the token was refused, a damaged cache…).
"""

from __future__ import annotations

import json
import sys
from argparse import Namespace
from typing import Any

from app.commands import EXIT_FAILED, EXIT_OK, EXIT_USAGE
from app.commands.common import UsageError, pick_account, run_in_session
from app.domain.references import clean_reference
from app.domain.words import field_label, value_words
from app.services.accounts import AccountStore
from app.services.orders.changes import status_change_problems, validate
from app.services.orders.saving import SaveResult
from app.services.session import StoreSession

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
    for attribute, name, _ in OPTIONS:
        value = getattr(args, attribute, None)
        if value is None:
            continue
        changes[name] = value.strip().upper() if name.endswith("Status") else value
    if not changes:
        names = ", ".join(option for _, _, option in OPTIONS)
        raise UsageError(f"Nothing to change: give at least one of {names}.")
    options = {name: option for _, name, option in OPTIONS}
    found = validate(changes) + status_change_problems(changes)
    problems = [f"{options.get(str(p.path[0]), p.path[0])}: {p.message}" for p in found]
    if problems:
        raise UsageError("; ".join(dict.fromkeys(problems)))
    return changes


def run(args: Namespace) -> int:
    reference = clean_reference(args.id)  # refused before anything else is done
    changes = changes_from(args)
    accounts = AccountStore.load()
    account = pick_account(accounts, args.account)

    async def work(session: StoreSession) -> int:
        result = await session.update_order(reference, changes)
        return _report(result, changes, session.display.status_names)

    return run_in_session(accounts, account, work)


def _report(result: SaveResult, changes: dict[str, Any], names: dict[str, str]) -> int:
    number = result.result.number if result.result is not None else ""
    label = f"Order {number}".strip()
    if result.state == "saved":
        done = "; ".join(
            f"{field_label(name)} → {value_words(name, value, names)}"
            for name, value in changes.items()
        )
        print(f"{label} updated: {done}.")
        return EXIT_CONFIRMED
    if result.state == "queued":
        print(f"{label}: {result.message}", file=sys.stderr)
        return EXIT_QUEUED
    if result.state == "conflict":
        print(
            f"backroom: {label}: {result.message} Nothing was overwritten. The edit waits in "
            f"the outbox as a conflict: backroom outbox resolve {result.edit_id} "
            "--keep-mine|--take-store (or discard it).",
            file=sys.stderr,
        )
        return EXIT_CONFLICT
    print(f"backroom: {label}: the store refused the change: {result.message}", file=sys.stderr)
    refused = result.result is not None and result.result.http_status in (400, 404)
    return EXIT_INVALID if refused else EXIT_FAILED


def run_log(args: Namespace) -> int:
    """``backroom order log REF``: what was written to the order from this desk."""
    reference = clean_reference(args.id)
    accounts = AccountStore.load()
    account = pick_account(accounts, args.account)

    async def work(session: StoreSession) -> int:
        found = await session.find_order(reference)
        entries = await session.activity(found.key)
        if args.format == "json":
            json.dump(
                [
                    {
                        "at": entry.at.isoformat(),
                        "desk": entry.desk,
                        "kind": entry.kind,
                        "summary": entry.summary,
                        "outcome": entry.outcome,
                        "detail": entry.detail,
                        "edit": entry.edit_id,
                    }
                    for entry in entries
                ],
                sys.stdout,
                ensure_ascii=False,
                indent=2,
                default=str,
            )
            print()
            return EXIT_OK
        if not entries:
            print(f"Nothing was written to order {found.number} from this desk.")
            return EXIT_OK
        for entry in entries:
            when = entry.at.astimezone().strftime("%Y-%m-%d %H:%M")
            print(f"{when}  {entry.desk}  {entry.summary}  — {entry.outcome}")
        return EXIT_OK

    return run_in_session(accounts, account, work, online=False)


def run_reporting(args: Namespace) -> int:
    if args.action == "log":
        return run_log(args)
    return run(args)


__all__ = ["EXIT_FAILED", "run", "run_log", "run_reporting"]
