"""``backroom outbox``: the edits that wait for the store or for you.

    backroom outbox list [--account A] [--format table|json]
    backroom outbox retry ID… [--account A]
    backroom outbox discard ID… [--account A]
    backroom outbox resolve ID (--keep-mine | --take-store) [--account A]

``list --format json`` prints a list of objects with ``id``, ``order`` (the
number it is shown by), ``key``, ``state``, ``fields`` (the changed fields,
with this desk's values), ``reason``, ``desk``, ``created`` and, for a
conflict or an overwrite, ``store`` (the store's values of those fields).
``retry`` sends waiting, failed, refused or recovered edits again (exit 0
when each is confirmed, 5 when any still needs you, 3 offline); ``discard``
forgets edits unsent (the store's values stay); ``resolve`` settles a
conflict, an overwrite or a recovered edit: keep this desk's values (sent
again, measured from the store's current version) or take the store's.
"""

from __future__ import annotations

import json
import sys
from argparse import Namespace
from typing import Any

from app.commands import EXIT_ATTENTION, EXIT_OFFLINE, EXIT_OK
from app.commands.common import UsageError, pick_account, run_in_session
from app.domain.outbox import NEEDS_ATTENTION, STATE_WORDS, UNSENT, OutboxState
from app.services.accounts import AccountStore
from app.services.outbox import Edit
from app.services.session import StoreSession


def _ids(values: list[str]) -> list[int]:
    ids = []
    for value in values:
        text = value.strip().removeprefix("#")
        if not text.isdigit():
            raise UsageError(f"{value!r} is not an outbox edit id (see: backroom outbox list).")
        ids.append(int(text))
    if not ids:
        raise UsageError("Name at least one edit (see: backroom outbox list).")
    return ids


def _json(edit: Edit) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "id": edit.id,
        "order": edit.number,
        "key": edit.key,
        "action": edit.action,
        "state": edit.state.value.lower(),
        "fields": edit.changes,
        "reason": edit.reason,
        "desk": edit.desk,
        "created": edit.created_at.isoformat(),
    }
    if edit.store_json is not None:
        entry["store"] = {name: edit.store_json.get(name) for name in edit.changes}
    return entry


def run(args: Namespace) -> int:
    accounts = AccountStore.load()
    account = pick_account(accounts, args.account)
    if args.action == "list":
        return run_in_session(accounts, account, lambda s: _list(s, args.format), online=False)
    if args.action == "discard":
        ids = _ids(args.ids)
        return run_in_session(accounts, account, lambda s: _discard(s, ids), online=False)
    if args.action == "retry":
        ids = _ids(args.ids)
        return run_in_session(accounts, account, lambda s: _retry(s, ids))
    [edit_id] = _ids([args.id])
    keep = "mine" if args.keep_mine else "server"
    # taking the store's values sends nothing: it works offline
    return run_in_session(
        accounts, account, lambda s: _resolve(s, edit_id, keep), online=args.keep_mine
    )


async def _list(session: StoreSession, output: str) -> int:
    edits = await session.outbox_entries()
    if output == "json":
        json.dump([_json(edit) for edit in edits], sys.stdout, ensure_ascii=False, indent=2)
        print()
        return EXIT_OK
    if not edits:
        print("No edits wait: every change was confirmed by the store.")
        return EXIT_OK
    for edit in edits:
        words = STATE_WORDS.get(edit.state, edit.state.value)
        when = edit.created_at.astimezone().strftime("%Y-%m-%d %H:%M")
        print(f"#{edit.id}  order {edit.number}  {words}  ({when}, {edit.desk})")
        print(f"    {session.describe_edit(edit)}")
        if edit.reason:
            print(f"    {edit.reason}")
    waiting = sum(1 for edit in edits if edit.state in UNSENT)
    attention = sum(1 for edit in edits if edit.state in NEEDS_ATTENTION)
    print(f"{_count(waiting)} on the way, {_count(attention)} waiting for you.", file=sys.stderr)
    return EXIT_OK


def _count(number: int) -> str:
    return f"{number} edit" if number == 1 else f"{number} edits"


async def _retry(session: StoreSession, ids: list[int]) -> int:
    results = await session.retry_entries(ids)
    code = EXIT_OK
    for result in results:
        words = STATE_WORDS.get(result.state, result.state.value)
        reason = f": {result.reason}" if result.reason and not result.ok else ""
        print(f"#{result.edit_id}  order {result.number}  {words}{reason}")
        if result.state in NEEDS_ATTENTION and code == EXIT_OK:
            code = EXIT_ATTENTION
        elif result.state in UNSENT and code == EXIT_OK:
            code = EXIT_OFFLINE
    return code


async def _discard(session: StoreSession, ids: list[int]) -> int:
    gone = await session.discard_entries(ids)
    for edit in gone:
        print(f"#{edit.id}  order {edit.number}: discarded ({session.describe_edit(edit)}).")
    return EXIT_OK


async def _resolve(session: StoreSession, edit_id: int, keep: str) -> int:
    fields = await session.conflict_fields(edit_id)
    choices = {field.name: keep for field in fields}
    kept = await session.resolve_conflict(edit_id, choices)
    if kept is None:
        print(f"#{edit_id}: the store's values are kept; the edit was discarded.")
        return EXIT_OK
    [result] = await session.send_entries([kept])
    words = STATE_WORDS.get(result.state, result.state.value)
    print(f"#{edit_id}  order {result.number}: your values sent again — {words}.")
    if result.ok:
        return EXIT_OK
    if result.reason:
        print(f"backroom: {result.reason}", file=sys.stderr)
    return EXIT_ATTENTION if result.state in NEEDS_ATTENTION else EXIT_OFFLINE


__all__ = ["OutboxState", "run"]
