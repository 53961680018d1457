"""Looking at live processes through Linux's /proc (no psutil): children,
command lines, environments, and waiting with a deadline."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

PROC = Path("/proc")


def _stat_fields(pid: int) -> list[str] | None:
    try:
        text = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    return text.rsplit(")", 1)[1].split()  # after "pid (comm)": state, ppid, …


def is_running(pid: int) -> bool:
    """Whether ``pid`` exists and is not a zombie (a zombie has ended)."""
    fields = _stat_fields(pid)
    return fields is not None and fields[0] not in ("Z", "X")


def parent_of(pid: int) -> int | None:
    fields = _stat_fields(pid)
    return int(fields[1]) if fields else None


def all_pids() -> list[int]:
    return [int(entry.name) for entry in PROC.iterdir() if entry.name.isdigit()]


def descendants(pid: int) -> list[int]:
    """Every running process below ``pid`` (children, their children, …)."""
    children: dict[int, list[int]] = {}
    for candidate in all_pids():
        parent = parent_of(candidate)
        if parent is not None and is_running(candidate):
            children.setdefault(parent, []).append(candidate)
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def command_line(pid: int) -> str:
    try:
        raw = (PROC / str(pid) / "cmdline").read_bytes()
    except OSError:
        return ""
    return raw.replace(b"\0", b" ").decode("utf-8", "replace").strip()


def environment(pid: int) -> dict[str, str] | None:
    """The environment ``pid`` started with (``None`` when it cannot be read)."""
    try:
        raw = (PROC / str(pid) / "environ").read_bytes()
    except OSError:
        return None
    pairs = (entry.split(b"=", 1) for entry in raw.split(b"\0") if b"=" in entry)
    return {name.decode(errors="replace"): value.decode(errors="replace") for name, value in pairs}


def processes_with_environment(name: str, value: str) -> list[int]:
    """Running processes whose environment has ``name=value`` (found wherever
    they were reparented to)."""
    found = []
    for pid in all_pids():
        env = environment(pid)
        if env is not None and env.get(name) == value and is_running(pid):
            found.append(pid)
    return found


def wait_until(condition: Callable[[], object], timeout: float, what: str) -> None:
    """Poll ``condition`` until it is true; fail with ``what`` after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(0.02)


def proc_available() -> bool:
    return PROC.is_dir() and (PROC / str(os.getpid()) / "stat").exists()
