"""``backroom sync``: send staged edits, then bring the cache up to date.
A progress bar on a terminal, plain lines otherwise."""

from __future__ import annotations

import asyncio
import sys
from argparse import Namespace

from app.commands import EXIT_FAILED, EXIT_OK
from app.commands.common import pick_account
from app.config import AccountStore
from app.secrets import SecretStore
from app.services.accounts import ecwid_client, open_cache, token_for
from app.services.outbox import OutboxSender
from app.services.sync import SyncEngine, SyncProgress
from app.store import OutboxState


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
    account = pick_account(AccountStore.load(), args.account)
    token = token_for(SecretStore(), account)
    opened = open_cache(account)
    if opened.moved_aside is not None:
        print(
            f"The local cache was damaged; it was moved aside to {opened.moved_aside} "
            "and is being rebuilt from the store.",
            file=sys.stderr,
        )
    printer = ProgressPrinter()

    async def work():
        async with ecwid_client(account, token) as client:
            sent = await OutboxSender(opened.cache, client).send_pending()
            result = await SyncEngine(opened.cache, client).sync(full=args.full, progress=printer)
            return sent, result

    try:
        sent, result = asyncio.run(work())
    finally:
        printer.finish()
        opened.cache.close()
    kind = "Full sync" if result.full else "Sync"
    if result.resumed:
        kind = "Full sync (resumed where it was interrupted)"
    print(
        f"{kind} of {account.name!r} done: {len(result.new)} new, "
        f"{len(result.updated)} updated, {len(result.deleted)} deleted."
    )
    failed = [o for o in sent if o.state in (OutboxState.FAILED, OutboxState.CONFLICT)]
    confirmed = sum(1 for o in sent if o.state == OutboxState.CONFIRMED)
    if sent:
        print(f"Edits sent: {confirmed} confirmed, {len(failed)} need attention.")
    for outcome in failed:
        print(f"  {outcome.key}: {outcome.state.value.lower()} — {outcome.reason}", file=sys.stderr)
    return EXIT_FAILED if failed else EXIT_OK
