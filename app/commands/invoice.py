"""``backroom invoice ORDER… --pdf FILE``: the invoices of orders (and their
packing slips) as one PDF, headless, and offline from the local cache.

Orders are named by number (``1042``, ``#1042``) or id, as the cache knows
them. Each invoice is the store's own (fetched, or cached for the order's
version) or, offline and never fetched, Backroom's own from the cached order.
The PDF itself is printed by Qt: the window's printing adapter
(``ui.printing.pdf``), imported plainly where it prints — the one import of
the window's layer the command line makes, declared in the layering test.
"""

from __future__ import annotations

import asyncio
import sys
from argparse import Namespace
from pathlib import Path
from typing import Any

from app.commands import EXIT_FAILED, EXIT_OK
from app.commands.common import UsageError, pick_account
from app.platform.terminal_text import for_terminal
from app.services.accounts import Account, AccountStore, SecretStore, SecretStoreError
from app.services.accounts.account_actions import (
    MissingTokenError,
    StoreConnection,
    store_connection,
)
from app.services.cached_store import CachedStore
from app.services.invoices.documents import InvoiceDocument, InvoiceUnavailable
from app.services.invoices.merge import PdfMergeError


def pdf_target(option: Path | str) -> Path:
    """The PDF file ``--pdf`` names; :class:`UsageError` when its folder does
    not exist (it is never created: a typo must not make folders up to the
    root) or when it names a folder."""
    target = Path(option).expanduser()
    if target.is_dir():
        raise UsageError(f"--pdf: {target} is a folder; name the PDF file to write.")
    folder = target.parent
    if not folder.is_dir():
        problem = "is a file, not a folder" if folder.exists() else "does not exist"
        raise UsageError(
            f"--pdf: the folder {folder} {problem}; choose an existing folder for the PDF."
        )
    return target


def _connection(account: Account, offline: bool) -> StoreConnection | None:
    """How to reach the store, or ``None`` offline or without a token."""
    if offline:
        return None
    try:
        return store_connection(account, SecretStore())
    except (MissingTokenError, SecretStoreError) as exc:
        print(f"backroom: working offline ({exc})", file=sys.stderr)
        return None


async def _documents(
    store: CachedStore, keys: list[str]
) -> tuple[list[InvoiceDocument], list[str]]:
    """The invoices of ``keys`` (those that have one) and the plain-words
    reasons of those that have none."""
    documents: list[InvoiceDocument] = []
    problems: list[str] = []
    online = store.invoices.can_fetch
    try:
        for key in keys:
            try:
                document = await store.invoices.document(key, online=online)
            except InvoiceUnavailable as exc:
                problems.append(str(exc))
                continue
            if document.notice:
                notice = for_terminal(document.notice)
                print(f"Order {for_terminal(document.number)}: {notice}", file=sys.stderr)
                if online and document.source != "store":
                    online = False  # the store is out of reach: don't wait for it again
            documents.append(document)
    finally:
        await store.close_client()
    return documents, problems


def _render(
    store: CachedStore, documents: list[InvoiceDocument], target: Path, **options: Any
) -> int | None:
    """Print ``documents`` into the PDF ``target`` (and record them printed);
    its page count, or ``None`` (with the reason printed) when it could not
    be written."""
    try:
        # The one Qt module the command line uses: the PDF printer (loaded
        # only here, so no other command starts Qt).
        from ui.printing.pdf import WebEnginePdfPrinter
    except ImportError as exc:
        print(f"backroom: this installation cannot print PDFs ({exc}).", file=sys.stderr)
        return None
    try:
        return store.invoices.print_pdf(WebEnginePdfPrinter(), documents, target, **options)
    except (PdfMergeError, RuntimeError, OSError) as exc:
        print(f"backroom: the PDF could not be written: {for_terminal(exc)}", file=sys.stderr)
        return None


def run(args: Namespace) -> int:
    target = pdf_target(args.pdf)
    account = pick_account(AccountStore.load(), args.account)
    store = CachedStore.open(account)
    try:
        keys = []
        for reference in args.orders:
            key = store.find(reference)
            if key is None:
                raise UsageError(
                    f"Order {for_terminal(reference)} is not in the local cache of "
                    f"{account.name!r} (backroom sync brings it up to date)."
                )
            keys.append(key)
        keys = list(dict.fromkeys(keys))
        store.connect(_connection(account, args.offline))
        documents, problems = asyncio.run(_documents(store, keys))
        for problem in problems:
            print(f"backroom: {for_terminal(problem)}", file=sys.stderr)
        if not documents:
            print("backroom: no PDF was written.", file=sys.stderr)
            return EXIT_FAILED
        keys = [document.key for document in documents]
        slips = store.invoices.packing_slips(keys) if args.packing_slip else None
        pages = _render(store, documents, target, packing_slips=slips, paper=args.paper)
        if pages is None:
            return EXIT_FAILED
    finally:
        store.close()
    what = "invoice" if len(documents) == 1 else "invoices"
    slips_text = " with packing slips" if args.packing_slip else ""
    print(f"{len(documents)} {what}{slips_text}, {pages} pages: {target}")
    return EXIT_FAILED if problems else EXIT_OK
