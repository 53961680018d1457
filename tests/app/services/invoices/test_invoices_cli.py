"""``backroom invoice`` end to end, as real processes (Qt offscreen) against
the demo store: invoices and packing slips into one PDF, recorded as printed;
then, with the store stopped, from the cache and from our own template."""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.config import AccountStore
from app.domain.queries import OrderQuery
from app.services.accounts.account_actions import open_cache
from app.services.invoices.documents import OFFLINE_MARK, printed_at
from tests.helpers.cli import backroom, connect_demo
from tests.helpers.invoice_pages import is_packing_slip

pytestmark = pytest.mark.slow


def _pages(path: Path) -> list[str]:
    """Each page's text, ligatures ("ﬄ") spelt out."""
    return [
        " ".join(unicodedata.normalize("NFKC", page.extract_text()).split())
        for page in PdfReader(path).pages
    ]


def test_invoices_to_pdf_online_then_offline(sandbox, tmp_path):
    data = Path(os.environ["BACKROOM_DATA_DIR"])  # the account this process sees too
    assert connect_demo(data, sandbox).returncode == 0
    synced = backroom(data, "sync", token=sandbox.token)
    assert synced.returncode == 0, synced.stderr
    opened = open_cache(AccountStore.load().get("Demo"))
    with opened.cache as cache:
        first, second, third = cache.rows(OrderQuery(payment_status=["PAID"]), 0, 3)
        unfinished = cache.rows(OrderQuery(payment_status=["INCOMPLETE"]), 0, 1)[0]

    both = tmp_path / "Invoices.pdf"
    done = backroom(
        data,
        "invoice",
        first.number,
        f"#{second.number}",
        "--pdf",
        str(both),
        "--packing-slip",
        token=sandbox.token,
    )
    assert done.returncode == 0, done.stderr
    assert "2 invoices with packing slips, 4 pages" in done.stdout
    pages = _pages(both)
    assert len(pages) == 4
    assert first.number in pages[0] and "$" in pages[0]  # the store's invoice
    assert is_packing_slip(pages[1]) and first.number in pages[1] and "$" not in pages[1]
    assert second.number in pages[2] and is_packing_slip(pages[3])
    with open_cache(AccountStore.load().get("Demo")).cache as cache:
        assert printed_at(cache, first.key) is not None
        assert printed_at(cache, second.key) is not None
        assert printed_at(cache, third.key) is None

    unknown = backroom(data, "invoice", "999999", "--pdf", str(tmp_path / "no.pdf"))
    assert unknown.returncode == 2 and "999999 is not in the local cache" in unknown.stderr
    partly = tmp_path / "partly.pdf"
    some = backroom(
        data, "invoice", unfinished.key, first.key, "--pdf", str(partly), token=sandbox.token
    )
    assert some.returncode == 1 and "is unfinished, so it has no invoice yet" in some.stderr
    assert len(_pages(partly)) == 1 and not (tmp_path / "no.pdf").exists()

    sandbox.stop()
    offline = tmp_path / "Offline.pdf"
    done = backroom(
        data, "invoice", third.number, first.number, "--pdf", str(offline), token=sandbox.token
    )
    assert done.returncode == 0, done.stderr
    assert "could not be reached" in done.stderr
    pages = _pages(offline)
    assert len(pages) == 2
    assert OFFLINE_MARK in pages[0] and third.number in pages[0]  # never fetched: ours
    assert OFFLINE_MARK not in pages[1] and first.number in pages[1]  # the store's, cached


def test_a_pdf_in_a_folder_that_does_not_exist_is_refused(sandbox, tmp_path):
    data = Path(os.environ["BACKROOM_DATA_DIR"])
    assert connect_demo(data, sandbox).returncode == 0
    assert backroom(data, "sync", token=sandbox.token).returncode == 0
    with open_cache(AccountStore.load().get("Demo")).cache as cache:
        [paid] = cache.rows(OrderQuery(payment_status=["PAID"]), 0, 1)

    missing = tmp_path / "no" / "such" / "dir" / "x.pdf"
    result = backroom(data, "invoice", paid.number, "--pdf", str(missing), "--offline")
    assert result.returncode == 2, result.stderr
    assert result.stderr == (
        f"backroom: --pdf: the folder {missing.parent} does not exist; "
        "choose an existing folder for the PDF.\n"
    )
    assert not (tmp_path / "no").exists()  # no folder was made up

    a_file = tmp_path / "file"
    a_file.write_text("not a folder")
    inside = backroom(data, "invoice", paid.number, "--pdf", str(a_file / "x.pdf"), "--offline")
    assert inside.returncode == 2 and "is a file, not a folder" in inside.stderr
