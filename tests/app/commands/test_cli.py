"""The `backroom` command, run as a real process."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from app.ecwid import EcwidClient
from tests.helpers.aio import run

ROOT = Path(__file__).resolve().parents[3]


def _backroom(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env=os.environ.copy(),
        **kwargs,
    )


def test_version_and_help():
    assert _backroom("--version").stdout.startswith("backroom ")
    assert "sandbox" in _backroom("--help").stdout


def test_bad_arguments_are_refused_with_a_message():
    result = _backroom("--demo", "--demo-orders", "0")
    assert result.returncode == 2 and "at least 1" in result.stderr
    result = _backroom("sandbox", "--orders", "lots")
    assert result.returncode == 2 and "invalid int value" in result.stderr


def test_sandbox_command_serves_the_demo_store(tmp_path):
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "app.cli",
            "sandbox",
            "--port",
            "0",
            "--orders",
            "40",
            "--db",
            str(tmp_path / "store.sqlite3"),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        line = process.stdout.readline()
        match = re.search(r"(http://127\.0\.0\.1:\d+/api/v3)\s+store id (\d+)\s+token (\S+)", line)
        assert match, line
        url, store_id, token = match.groups()

        async def scenario():
            async with EcwidClient(store_id, token, base_url=url) as client:
                return await client.search_orders(limit=100)

        page = run(scenario())
        assert 30 <= page.total <= 40  # unfinished orders are hidden from a plain search
    finally:
        process.terminate()
        assert process.wait(timeout=10) == 0
