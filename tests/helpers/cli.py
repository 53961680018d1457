"""Run the real `backroom` command in a subprocess, isolated in a data folder
and with no keyring (tokens are then kept for the session only, or come from
BACKROOM_TOKEN), as a user or a script would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def backroom_env(data_dir: Path, token: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "BACKROOM_TOKEN"}
    env["BACKROOM_DATA_DIR"] = str(data_dir)
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    if token is not None:
        env["BACKROOM_TOKEN"] = token
    return env


def backroom_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "app.cli", *args]


def backroom(
    data_dir: Path, *args: str, token: str | None = None, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        backroom_command(*args),
        cwd=ROOT,
        env=backroom_env(data_dir, token),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def connect_demo(data_dir: Path, server) -> subprocess.CompletedProcess[str]:
    """`backroom account add Demo` for a running demo store."""
    return backroom(
        data_dir,
        "account",
        "add",
        "Demo",
        "--store-id",
        str(server.store_id),
        "--api-url",
        server.url,
        token=server.token,
    )
