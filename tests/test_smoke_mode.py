"""``backroom --demo --smoke PDF``, the install check the bundle build runs:
the real command in a subprocess opens the window offscreen on the demo
store, prints one invoice with QtWebEngine and exits 0."""

from __future__ import annotations

import pytest

from tests.helpers.cli import backroom

pytestmark = pytest.mark.slow


def test_smoke_mode_writes_an_invoice_pdf_and_exits_0(tmp_path):
    target = tmp_path / "smoke.pdf"
    done = backroom(tmp_path / "data", "--demo", "--demo-orders", "300", "--smoke", str(target))
    assert done.returncode == 0, done.stderr[-2000:]
    assert "smoke test passed" in done.stdout
    assert target.read_bytes().startswith(b"%PDF-")
    assert target.stat().st_size > 1_000


def test_smoke_mode_needs_the_demo_store(tmp_path):
    done = backroom(tmp_path / "data", "--smoke", str(tmp_path / "x.pdf"))
    assert done.returncode == 2
    assert "--demo" in done.stderr
    assert not (tmp_path / "x.pdf").exists()
