"""Run by test_order_editor_drafts: the real order editor, offscreen, on a copy
of a cache; types into the tracking number, waits until the draft holds the
text, prints READY and waits to be killed.

    python order_editor_crash_child.py CACHE DRAFTS ACCOUNT KEY TEXT STORE_ID TOKEN URL
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

import qasync  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from app.cache import OrderCache  # noqa: E402
from app.config import Account  # noqa: E402
from app.ecwid import EcwidClient  # noqa: E402
from app.services.orders.drafts import DraftStore  # noqa: E402
from app.services.outbox import Outbox  # noqa: E402
from app.services.session import StoreSession  # noqa: E402
from ui.editor.editor import OrderEditor  # noqa: E402


async def main(argv: list[str]) -> None:
    cache_path, drafts_dir, account_name, key, text, store_id, token, url = argv
    account = Account(name=account_name, kind="ecwid", store_id=store_id, api_url=url)
    client = EcwidClient(store_id, token, base_url=url)
    cache = OrderCache.open(cache_path)
    outbox, _ = Outbox.open(Path(cache_path).parent, cache, client, desk="Crash desk")
    session = StoreSession(account, client, cache, OrderCache.open(cache_path), outbox)
    drafts = DraftStore(Path(drafts_dir))
    editor = OrderEditor(drafts)
    editor.set_session(session)
    editor.show()
    await editor.open_order(key)
    line = editor.form.tracking.line
    line.setFocus(Qt.FocusReason.OtherFocusReason)
    line.selectAll()
    QTest.keyClick(line, Qt.Key.Key_Delete)
    QTest.keyClicks(line, text)
    while True:  # the draft is written a moment after the last key
        draft = drafts.load(account_name, key)
        if draft is not None and draft.edited.get("trackingNumber") == text:
            break
        await asyncio.sleep(0.05)
    print("READY", flush=True)
    await asyncio.sleep(3600)  # killed long before


if __name__ == "__main__":
    app = QApplication(sys.argv[:1])
    qasync.run(main(sys.argv[1:]))
