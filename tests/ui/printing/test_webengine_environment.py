"""QtWebEngine's processes read untrusted HTML: they start with an
environment that carries no token or key, even when Backroom was started with
``BACKROOM_TOKEN`` and ``BACKROOM_ECDP_KEY`` set (Linux: read from /proc)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.helpers.cli import ROOT
from tests.helpers.processes import (
    command_line,
    descendants,
    environment,
    parent_of,
    proc_available,
)

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux") or not proc_available(),
    reason="reads the environments of processes from Linux's /proc",
)

SECRETS = {
    "BACKROOM_TOKEN": "secret_EnvironmentToken0042",
    "BACKROOM_ECDP_KEY": "ecdp-environment-key-0042",
}


@pytest.mark.parametrize("mode", ["window", "pdf"])
def test_chromium_processes_inherit_no_token_or_key(tmp_path, mode):
    env = {**os.environ, **SECRETS, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "tests.ui.printing.webengine_environment_child", mode]
    child = subprocess.Popen(
        [*command, str(tmp_path / "x.pdf")],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = child.stdout.readline()  # after the invoice is printed; Chromium still runs
        assert line.strip() == "rendered", child.stderr.read() if child.poll() is not None else line
        chromium = {
            pid: command_line(pid)
            for pid in descendants(child.pid)
            if "QtWebEngineProcess" in command_line(pid)
        }
        environments = {pid: environment(pid) for pid in chromium}
        parents = {pid: parent_of(pid) for pid in chromium}
    finally:
        child.communicate("quit\n", timeout=60)
    assert child.returncode == 0
    assert (tmp_path / "x.pdf").stat().st_size > 0
    # the zygotes and the renderer they forked for the invoice (it keeps their command line)
    forked = [pid for pid, parent in parents.items() if parent in chromium]
    assert len(chromium) >= 2 and forked, chromium
    for pid, variables in environments.items():
        assert variables is not None, f"cannot read the environment of {pid}"
        assert "QTWEBENGINE_CHROMIUM_FLAGS" in variables or os.geteuid() != 0  # really read
        leaked = {name for name in SECRETS if name in variables}
        text = "\0".join(variables.values())
        values = {value for value in SECRETS.values() if value in text}
        assert not leaked and not values, f"{chromium[pid]} has {leaked or values}"
