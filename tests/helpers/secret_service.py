"""A real Secret Service for one test: gnome-keyring's daemon on a private
D-Bus session bus, both started here and stopped after.

The bus is a ``dbus-daemon --session`` listening on a socket in the test's
folder; the daemon is ``gnome-keyring-daemon --unlock --components=secrets``,
which creates and unlocks a login keyring (under the test's
``XDG_DATA_HOME``) with the password it reads on stdin. Nothing of the
machine's own session or keyrings is touched.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.helpers.processes import wait_until

SECRET_SERVICE_BUS_NAME = "org.freedesktop.secrets"
KEYRING_PASSWORD = "backroom-test-keyring"
TOOLS = {
    "dbus-daemon": "dbus",
    "dbus-send": "dbus",
    "gnome-keyring-daemon": "gnome-keyring",
    "secret-tool": "libsecret-tools",
}


def require_tools() -> None:
    """Fail (never skip) with what to install when a tool is missing."""
    missing = sorted({package for tool, package in TOOLS.items() if shutil.which(tool) is None})
    if missing:
        pytest.fail(
            "This test runs a real Secret Service and needs "
            + ", ".join(TOOLS)
            + f"; install them (Debian: apt-get install {' '.join(missing)})",
            pytrace=False,
        )


def _name_has_owner(env: dict[str, str], name: str) -> bool:
    answer = subprocess.run(
        [
            "dbus-send",
            "--session",
            "--print-reply",
            "--dest=org.freedesktop.DBus",
            "/org/freedesktop/DBus",
            "org.freedesktop.DBus.NameHasOwner",
            f"string:{name}",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=10,
    )
    return answer.returncode == 0 and "boolean true" in answer.stdout


@contextmanager
def private_secret_service(folder: Path) -> Iterator[dict[str, str]]:
    """Start the bus and the keyring daemon; yield the environment a process
    needs to use them (with keyring's Secret Service backend chosen)."""
    require_tools()
    folder.mkdir(parents=True, exist_ok=True)
    runtime = folder / "runtime"
    runtime.mkdir(mode=0o700)
    env = {
        **os.environ,
        "HOME": str(folder),
        "XDG_DATA_HOME": str(folder / "data"),
        "XDG_RUNTIME_DIR": str(runtime),
        "PYTHON_KEYRING_BACKEND": "keyring.backends.SecretService.Keyring",
    }
    env.pop("DISPLAY", None)
    bus = subprocess.Popen(
        [
            "dbus-daemon",
            "--session",
            "--nofork",
            "--nopidfile",
            f"--address=unix:path={runtime / 'bus'}",
            "--print-address=1",
        ],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    daemon: subprocess.Popen[str] | None = None
    try:
        address = bus.stdout.readline().strip() if bus.stdout else ""
        if not address:
            raise AssertionError("dbus-daemon did not start a session bus")
        env["DBUS_SESSION_BUS_ADDRESS"] = address
        daemon = subprocess.Popen(
            ["gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets"],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert daemon.stdin is not None
        daemon.stdin.write(KEYRING_PASSWORD)
        daemon.stdin.close()
        wait_until(
            lambda: _name_has_owner(env, SECRET_SERVICE_BUS_NAME),
            30,
            "gnome-keyring-daemon to serve the Secret Service",
        )
        yield env
    finally:
        for process in (daemon, bus):
            if process is not None and process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(timeout=10)
