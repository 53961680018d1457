"""Hostile environments for the real `backroom` command: a folder it may not
write (even when the tests run as root), a full disk and a read-only medium
(a small tmpfs in a private mount namespace, gone when the command ends),
and the check that what the user saw is one line in words, no traceback.

Root can write anywhere whatever the permission bits say, so a read-only
folder is only read-only for a process that lost that power: as root the
command runs in a new user namespace (``unshare --user``), where it keeps
its user id for files but not root's override. A tmpfs is mounted with
``unshare --mount`` (as root) or ``unshare --user --map-root-user --mount``
(as anyone else): both come with util-linux, on every Debian.
"""

from __future__ import annotations

import os
import shlex
import subprocess
from pathlib import Path

from tests.helpers.cli import ROOT, backroom_env

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
# Files a tmpfs "disk" is filled with before the command runs.
_FILL = 'dd if=/dev/zero of="$DISK/filler" bs=4096 2>/dev/null || true'


def run(
    command: list[str | bytes], env: dict[str, str], timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command,
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        errors="backslashreplace",
        timeout=timeout,
    )


def without_root_override(command: list[str]) -> list[str]:
    """``command`` run so that permission bits apply to it, root or not."""
    return ["unshare", "--user", *command] if IS_ROOT else command


def on_tmpfs(
    disk: Path, command: list[str], *, copy_from: Path | None, state: str, size_kib: int = 1024
) -> list[str]:
    """``command`` run with a fresh tmpfs of ``size_kib`` mounted on ``disk``
    (holding a copy of ``copy_from``), left ``"full"`` (filled to the last
    byte) or ``"read-only"`` (remounted read-only). Nothing outlives the
    command: the mount lives in its own mount namespace."""
    steps = [f'mount -t tmpfs -o size={size_kib}k backroom-test "$DISK"']
    if copy_from is not None:
        steps.append(f'cp -a {shlex.quote(str(copy_from))}/. "$DISK"/')
    steps.append(_FILL if state == "full" else 'mount -o remount,ro "$DISK"')
    script = "set -e; " + "; ".join(steps) + '; exec "$@"'
    namespace = ["--mount"] if IS_ROOT else ["--user", "--map-root-user", "--mount"]
    return [
        "unshare",
        *namespace,
        "env",
        f"DISK={disk}",
        "sh",
        "-c",
        script,
        "sh",
        *command,
    ]


def env_for(data: Path | None, token: str | None = None, **changes: str | None) -> dict[str, str]:
    """`backroom`'s environment: data folder ``data`` (``None``: the platform's
    folders), no keyring, and ``changes`` (``None`` removes a variable)."""
    env = backroom_env(data or Path("unused"), token)
    if data is None:
        env.pop("BACKROOM_DATA_DIR")
        for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
            env.pop(name, None)
    for name, value in changes.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def assert_one_line(result: subprocess.CompletedProcess[str], status: int, *words: str) -> str:
    """The command ended with ``status`` and told the user one line (on stderr,
    starting ``backroom:``, containing each of ``words``), with no traceback."""
    shown = f"exit {result.returncode}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    assert result.returncode == status, shown
    assert "Traceback" not in result.stdout + result.stderr, shown
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("backroom: "), shown
    for word in words:
        assert word in lines[0], shown
    return lines[0]
