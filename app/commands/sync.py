"""``backroom sync``: one sync round — send the edits that wait, bring the
local cache up to date, look for edits someone overwrote — with a progress
bar on a terminal and plain lines otherwise.

Exit status: 0 when nothing needs the user; 5 when, after the round, any
edit is refused, in conflict, overwritten or recovered (each is listed;
``backroom outbox list`` shows them, ``retry``/``discard``/``resolve`` settle
them); 3 the store could not be reached; 4 the token was refused.
"""

from __future__ import annotations

import sys
from argparse import Namespace

from app.commands import EXIT_ATTENTION, EXIT_OK
from app.commands.common import pick_account, run_in_session
from app.domain.outbox import STATE_WORDS, OutboxState
from app.services.accounts import AccountStore
from app.services.session import RoundResult, StoreSession
from app.services.sync.engine import SyncProgress


class ProgressPrinter:
    """Draws ``done/total`` as a bar on a terminal; on a pipe, a line every 10%."""

    def __init__(self, stream=sys.stderr) -> None:
        self.stream = stream
        self.tty = stream.isatty()
        self._last_tenth = -1

    def __call__(self, progress: SyncProgress) -> None:
        fraction = progress.done / progress.total if progress.total else 1.0
        if self.tty:
            bar = "█" * int(fraction * 30)
            self.stream.write(
                f"\r{progress.phase:<10} [{bar:<30}] {progress.done:,}/{progress.total:,}"
            )
            self.stream.flush()
        elif int(fraction * 10) > self._last_tenth:
            self._last_tenth = int(fraction * 10)
            print(f"{progress.phase}: {progress.done}/{progress.total}", file=self.stream)

    def finish(self) -> None:
        if self.tty:
            self.stream.write("\n")


def run(args: Namespace) -> int:
    accounts = AccountStore.load()
    account = pick_account(accounts, args.account)
    printer = ProgressPrinter()

    async def work(session: StoreSession) -> tuple[RoundResult, str]:
        try:
            result = await session.sync_round(full=args.full, progress=printer)
        finally:
            printer.finish()
        await session.compact_cache()  # what the window does between rounds
        return result, _listing(session, result)

    result, listing = run_in_session(accounts, account, work)
    sync = result.sync
    kind = "Full sync" if sync.full else "Sync"
    if sync.resumed:
        kind = "Full sync (resumed where it was interrupted)"
    print(
        f"{kind} of {account.name!r} done: {len(sync.new)} new, "
        f"{len(sync.updated)} updated, {len(sync.deleted)} deleted."
    )
    if result.sent:
        confirmed = sum(1 for r in result.sent if r.ok)
        print(f"Edits sent: {confirmed} confirmed, {len(result.sent) - confirmed} not.")
    if not result.attention:
        return EXIT_OK
    print(listing, file=sys.stderr)
    return EXIT_ATTENTION


def _listing(session: StoreSession, result: RoundResult) -> str:
    count = len(result.attention)
    lines = [
        f"backroom: {count} edit{'s' if count != 1 else ''} need{'s' if count == 1 else ''} "
        "you (backroom outbox list; retry, discard or resolve them):"
    ]
    for edit in result.attention:
        words = STATE_WORDS.get(edit.state, edit.state.value)
        what = session.describe_edit(edit)
        reason = f" — {edit.reason}" if edit.reason else ""
        lines.append(f"  #{edit.id}  order {edit.number}  {words}: {what}{reason}")
    if any(edit.state is OutboxState.OVERWRITTEN for edit in result.attention):
        lines.append(
            "  An overwritten edit was confirmed, then changed again in the store by someone "
            "else: put yours back with backroom outbox resolve ID --keep-mine."
        )
    return "\n".join(lines)
