"""A real desktop notification server for one test: dunst (the freedesktop
notification daemon many Linux desktops use) on an Xvfb screen and a
private D-Bus session bus, all started here and stopped after.

What it showed is read back with ``dunstctl``: ``close-all`` moves the
notifications shown into its history, ``history`` lists them;
``action 0`` does what a click on the first notification does.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.helpers.processes import wait_until

NOTIFICATIONS_BUS_NAME = "org.freedesktop.Notifications"
TOOLS = {"Xvfb": "xvfb", "dunst": "dunst", "dunstctl": "dunst", "dbus-daemon": "dbus"}
DUNSTRC = "[global]\n    mouse_left_click = do_action, close_current\n"


@dataclass
class NotificationServer:
    env: dict[str, str]

    def _ctl(self, *args: str) -> str:
        return subprocess.run(
            ["dunstctl", *args], env=self.env, capture_output=True, text=True, timeout=10
        ).stdout

    def displayed(self) -> int:
        return int(self._ctl("count", "displayed").strip() or 0)

    def click_first(self) -> None:
        """What clicking the first notification shown does (its default action)."""
        self._ctl("action", "0")

    def close_all(self) -> None:
        self._ctl("close-all")

    def history(self) -> list[tuple[str, str, str]]:
        """``(app name, summary, body)`` of every notification closed so far."""
        data = json.loads(self._ctl("history") or '{"data": [[]]}')["data"][0]
        return [
            (entry["appname"]["data"], entry["summary"]["data"], entry["body"]["data"])
            for entry in data
        ]


def _name_has_owner(env: dict[str, str], name: str) -> bool:
    answer = subprocess.run(
        ["dbus-send", "--session", "--print-reply", "--dest=org.freedesktop.DBus",
         "/org/freedesktop/DBus", "org.freedesktop.DBus.NameHasOwner", f"string:{name}"],
        env=env, capture_output=True, text=True, timeout=10,
    )  # fmt: skip
    return answer.returncode == 0 and "boolean true" in answer.stdout


@contextmanager
def notification_server(folder: Path) -> Iterator[NotificationServer]:
    """Start Xvfb, a session bus and dunst; yield the server (``env`` is what
    a process needs to reach it)."""
    missing = sorted({package for tool, package in TOOLS.items() if shutil.which(tool) is None})
    if missing:
        pytest.fail(
            "This test runs a real notification server; install "
            f"{' '.join(missing)} (Debian: apt-get install {' '.join(missing)})",
            pytrace=False,
        )
    folder.mkdir(parents=True, exist_ok=True)
    runtime = folder / "runtime"
    runtime.mkdir(mode=0o700)
    (folder / "dunstrc").write_text(DUNSTRC)
    env = {**os.environ, "HOME": str(folder), "XDG_RUNTIME_DIR": str(runtime)}
    processes: list[subprocess.Popen[str]] = []
    try:
        read, write = os.pipe()
        screen = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write), "-screen", "0", "1024x768x24", "-nolisten", "tcp"],
            pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True,
        )  # fmt: skip
        processes.append(screen)
        os.close(write)
        with os.fdopen(read) as display:
            number = display.readline().strip()
        if not number:
            raise AssertionError("Xvfb did not start a screen")
        env["DISPLAY"] = f":{number}"
        bus = subprocess.Popen(
            ["dbus-daemon", "--session", "--nofork", "--nopidfile",
             f"--address=unix:path={runtime / 'bus'}", "--print-address=1"],
            env=env, stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        processes.append(bus)
        address = bus.stdout.readline().strip() if bus.stdout else ""
        if not address:
            raise AssertionError("dbus-daemon did not start a session bus")
        env["DBUS_SESSION_BUS_ADDRESS"] = address
        daemon = subprocess.Popen(
            ["dunst", "-config", str(folder / "dunstrc")],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True,
        )  # fmt: skip
        processes.append(daemon)
        wait_until(
            lambda: _name_has_owner(env, NOTIFICATIONS_BUS_NAME), 30, "dunst to serve notifications"
        )
        yield NotificationServer(env)
    finally:
        for process in reversed(processes):
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(timeout=10)
