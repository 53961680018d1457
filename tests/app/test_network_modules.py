"""load_network_modules (app/http_transport.py) imports, in the thread that
builds a client, what the client's first request would otherwise import on
the event loop. Its names include anyio's private backend module: a fresh
interpreter shows that they still name what the first request loads, so an
upgrade of httpx or anyio that moves them does not silently end the warm-up."""

from __future__ import annotations

import subprocess
import sys

from tests.helpers.imports import ROOT

FIRST_REQUEST_LOADS = ["httpcore", "anyio._backends._asyncio", "anyio._core._sockets"]


def _loaded_after(code: str) -> set[str]:
    result = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys; print(' '.join(sys.modules))"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return set(result.stdout.split())


def test_the_warm_up_loads_what_a_first_request_loads():
    before = _loaded_after("import app.http_transport")
    assert not before >= set(FIRST_REQUEST_LOADS)  # (nothing to warm up otherwise)
    after = _loaded_after(
        "from app.http_transport import load_network_modules; load_network_modules()"
    )
    assert after >= set(FIRST_REQUEST_LOADS)
