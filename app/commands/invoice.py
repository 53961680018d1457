"""``backroom invoice ORDER… --pdf FILE``: the invoices of orders (and their
packing slips) as one PDF, headless, and offline from the local cache.

Orders are named by number (``1042``, ``#1042``) or id, as the cache knows
them. Each invoice is the store's own (fetched, or cached for the order's
version) or, offline and never fetched, Backroom's own from the cached order.
The PDF itself is printed by Qt (``ui.printing.pdf``, loaded by name: ``app``
never imports Qt).
"""

from __future__ import annotations

import asyncio
import sys
from argparse import Namespace
from pathlib import Path
from typing import Any

from app.cache import OrderCache
from app.commands import EXIT_FAILED, EXIT_OK
from app.commands.common import UsageError, pick_account
from app.config import Account, AccountStore
from app.ecwid import EcwidClient
from app.secrets import SecretStore, SecretStoreError
from app.services.accounts.account_actions import (
    MissingTokenError,
    ecwid_client,
    open_cache,
    token_for,
)
from app.services.accounts.store_display import remembered_display
from app.services.invoices.documents import (
    InvoiceDocument,
    InvoiceUnavailable,
    invoice_for,
    packing_slip_for,
)
from app.services.invoices.merge import PdfMergeError
from app.services.invoices.printing import print_invoices
from app.services.orders.lookup import find_cached
from app.terminal_text import for_terminal


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


def find_order(cache: OrderCache, reference: str) -> str | None:
    """The cache key of the order ``reference`` names exactly (its id, internal
    id, number — ``1042`` or ``#1042`` — or vendor number); ``None`` if not
    cached. A blank, ambiguous or deleted reference raises
    :class:`~app.domain.references.ReferenceProblem`."""
    found = find_cached(cache, reference)
    return None if found is None else found.key


def _client(account: Account, offline: bool) -> EcwidClient | None:
    """A client for the store, or ``None`` offline or without a token."""
    if offline:
        return None
    try:
        return ecwid_client(account, token_for(SecretStore(), account))
    except (MissingTokenError, SecretStoreError) as exc:
        print(f"backroom: working offline ({exc})", file=sys.stderr)
        return None


async def _documents(
    cache: OrderCache, client: EcwidClient | None, keys: list[str]
) -> tuple[list[InvoiceDocument], list[str]]:
    """The invoices of ``keys`` (those that have one) and the plain-words
    reasons of those that have none."""
    documents: list[InvoiceDocument] = []
    problems: list[str] = []
    online = client is not None
    try:
        for key in keys:
            try:
                document = await invoice_for(cache, client, key, online=online)
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
        if client is not None:
            await client.aclose()
    return documents, problems


def _render(
    cache: OrderCache, documents: list[InvoiceDocument], target: Path, **options: Any
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
        return print_invoices(WebEnginePdfPrinter(), cache, documents, target, **options)
    except (PdfMergeError, RuntimeError, OSError) as exc:
        print(f"backroom: the PDF could not be written: {for_terminal(exc)}", file=sys.stderr)
        return None


def _packing_slips(cache: OrderCache, documents: list[InvoiceDocument]) -> list[str]:
    display = remembered_display(cache)
    return [packing_slip_for(cache, document.key, display) for document in documents]


def run(args: Namespace) -> int:
    target = pdf_target(args.pdf)
    account = pick_account(AccountStore.load(), args.account)
    opened = open_cache(account)
    cache = opened.cache
    try:
        keys = []
        for reference in args.orders:
            key = find_order(cache, reference)
            if key is None:
                raise UsageError(
                    f"Order {for_terminal(reference)} is not in the local cache of "
                    f"{account.name!r} (backroom sync brings it up to date)."
                )
            keys.append(key)
        keys = list(dict.fromkeys(keys))
        documents, problems = asyncio.run(_documents(cache, _client(account, args.offline), keys))
        for problem in problems:
            print(f"backroom: {for_terminal(problem)}", file=sys.stderr)
        if not documents:
            print("backroom: no PDF was written.", file=sys.stderr)
            return EXIT_FAILED
        slips = _packing_slips(cache, documents) if args.packing_slip else None
        pages = _render(cache, documents, target, packing_slips=slips, paper=args.paper)
        if pages is None:
            return EXIT_FAILED
    finally:
        cache.close()
    what = "invoice" if len(documents) == 1 else "invoices"
    slips_text = " with packing slips" if args.packing_slip else ""
    print(f"{len(documents)} {what}{slips_text}, {pages} pages: {target}")
    return EXIT_FAILED if problems else EXIT_OK
