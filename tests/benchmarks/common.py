"""Shared benchmark plumbing: the demo store in its own process (so its CPU does
not compete with the measured client for the GIL), and small statistics."""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from app.sandbox import DEMO_STORE_ID, DEMO_TOKEN

ROOT = Path(__file__).resolve().parents[2]


@contextmanager
def sandbox_process(
    db: Path,
    orders: int,
    latency_ms: float = 0.0,
    startup_timeout: float = 300.0,
    store_number: int = 0,
    niceness: int = 0,
) -> Iterator[str]:
    """Run ``backroom sandbox`` in a subprocess (demo store ``store_number``
    of several: its own store id, profile and orders); yield its API base URL.
    ``niceness`` (POSIX) runs it behind the measured process for the
    processor, as a store's server elsewhere would be."""
    command = [
        sys.executable,
        "-m",
        "app.cli",
        "sandbox",
        "--port",
        "0",
        "--orders",
        str(orders),
        "--db",
        str(db),
        "--latency-ms",
        str(latency_ms),
        "--store-number",
        str(store_number),
    ]
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    if niceness and hasattr(os, "setpriority"):
        os.setpriority(os.PRIO_PROCESS, process.pid, niceness)
    try:
        deadline = time.monotonic() + startup_timeout
        url = None
        assert process.stdout is not None
        while url is None and time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                raise RuntimeError(f"the sandbox exited with {process.wait()}")
            if match := re.search(r"(http://127\.0\.0\.1:\d+/api/v3)", line):
                url = match.group(1)
        if url is None:
            raise RuntimeError("the sandbox did not start in time")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def median(values: list[float]) -> float:
    return statistics.median(values)


STORE_ID = DEMO_STORE_ID
TOKEN = DEMO_TOKEN
