"""The architecture's rules, checked from the source: every import statement
read from the syntax tree (relative ones resolved, imports by name through
``importlib.import_module`` / ``__import__`` too), so no import hides.

Each module belongs to a *unit* (``ui.orders``, ``app.services.sync``,
``app.cache``, ``app.commands``…) and each unit to a floor:

3. the callers: the window (``ui``) and the command line (``app.cli``, ``app.commands``)
2. the use cases: ``app.services``
1. data and clients: the cache, the Ecwid and ECDP clients, the accounts
   file and the keyring wrapper, the demo store, and the pieces they share
0. shared by every floor: the vocabulary (``app.domain``, a leaf) and the
   process-wide plumbing (``app.platform``)

Every arrow points down or stays on its floor, and no import circle joins
two units. The window and the command line use ``app.services``,
``app.domain`` and ``app.platform`` only — never the cache, a client, the
accounts file or the keyring themselves — and ``app`` never imports Qt or
``ui`` but through the command line's two declared doors.

``python -m tests.test_layering`` prints the floors and the arrows between
them (the picture in ``docs/architecture.md``, which a test keeps current);
``--units`` adds every unit's own arrows.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

from tests.helpers.imports import ROOT, RUN_TIME_NAME, imported_by, imports_of, module_of

QT_MODULES = ("PySide6", "shiboken6", "qasync")
HTTP_AND_SQL = ("httpx", "httpcore", "sqlite3")
OUR_ROOTS = ("app", "ui")

# -- the floors --------------------------------------------------------------------

TOP, SERVICES, DATA, SHARED = 3, 2, 1, 0
FLOOR_NAMES = {
    TOP: "the window and the command line",
    SERVICES: "the use cases: app.services, the only door",
    DATA: "data and clients",
    SHARED: "shared by every floor",
}
CLI = ("app.cli", "app.commands")
DATA_UNITS = (
    "app.cache",  # the local SQLite cache of a store's orders
    "app.ecwid",  # the Ecwid client
    "app.ecdp",  # the ECDP client
    "app.config",  # the accounts file
    "app.secrets",  # the keyring wrapper
    "app.sandbox",  # the demo store (a server beside the rest: it imports none of it)
    "app.http_transport",  # shared by the two clients
    "app.json_documents",  # shared by the files Backroom writes
)
SHARED_PIECES = ("app.http_transport", "app.json_documents")  # what neighbours on floor 1 share
SHARED_UNITS = ("app.domain", "app.platform", "app")  # ("app": the package root, the version)

# The command line's declared doors into the window's layer, imported plainly where used.
CLI_DOORS = {
    "app/cli.py": {"ui.main"},  # `backroom` without a command opens the window
    "app/commands/invoice.py": {"ui.printing.pdf"},  # the PDF printer (QtWebEngine)
}

# Import circles between the window's feature packages, left from the flat ``ui/``
# (each names the packages that import each other, directly or through the others).
# Listed so that none grows and no new one appears; one that is untangled must be
# taken off the list (the test says so). Imports made only for the type checker
# (``if TYPE_CHECKING:``) never run and are not counted.
KNOWN_CIRCLES = {
    # the editor borrows the detail pane's formats and the table's status words;
    # the notice banner (common) the editor's field palette; the table page opens
    # the editor; the attachments link back into the editor
    frozenset({"ui.attachments", "ui.common", "ui.detail", "ui.editor", "ui.orders"}),
}


def unit_of(module: str) -> str | None:
    """The unit of one of our modules (``None`` for a module not ours)."""
    parts = module.split(".")
    if parts[0] not in OUR_ROOTS:
        return None
    if parts[0] == "ui" or len(parts) == 1:
        return ".".join(parts[:2])
    if parts[1] == "services" and len(parts) > 2:
        return ".".join(parts[:3])
    return ".".join(parts[:2])


def floor_of(unit: str) -> int:
    if unit.startswith("ui") or unit in CLI:
        return TOP
    if unit == "app.services" or unit.startswith("app.services."):
        return SERVICES
    if unit in DATA_UNITS:
        return DATA
    if unit in SHARED_UNITS:
        return SHARED
    raise LookupError(f"{unit} has no floor: add it to tests/test_layering.py (and the docs)")


def _sources() -> list[Path]:
    return sorted(path for root in OUR_ROOTS for path in (ROOT / root).rglob("*.py"))


def _name(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def imports_by_module(*, type_checking: bool = True) -> dict[Path, set[str]]:
    return {path: imported_by(path, type_checking=type_checking) for path in _sources()}


def unit_arrows(*, type_checking: bool = True) -> dict[str, set[str]]:
    """``unit -> the other units it imports``."""
    arrows: dict[str, set[str]] = {}
    for path, imports in imports_by_module(type_checking=type_checking).items():
        unit = unit_of(module_of(path))
        assert unit is not None
        targets = arrows.setdefault(unit, set())
        targets.update(u for name in imports if (u := unit_of(name)) not in (None, unit))
    return arrows


def circles(arrows: dict[str, set[str]]) -> set[frozenset[str]]:
    """The groups of units that import each other (strongly connected, Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: set[frozenset[str]] = set()

    def visit(unit: str) -> None:
        index[unit] = low[unit] = len(index)
        stack.append(unit)
        for target in sorted(arrows.get(unit, ())):
            if target not in index:
                visit(target)
                low[unit] = min(low[unit], low[target])
            elif target in stack:
                low[unit] = min(low[unit], index[target])
        if low[unit] == index[unit]:
            group = set()
            while True:
                member = stack.pop()
                group.add(member)
                if member == unit:
                    break
            if len(group) > 1:
                found.add(frozenset(group))

    for unit in sorted(set(arrows) | {t for targets in arrows.values() for t in targets}):
        if unit not in index:
            visit(unit)
    return found


# -- the picture ----------------------------------------------------------------------


def picture(*, units: bool = False) -> str:
    """The floors, the units on each, and which floors each floor's imports reach."""
    arrows = unit_arrows()
    by_floor: dict[int, list[str]] = {}
    for unit in sorted(arrows):
        by_floor.setdefault(floor_of(unit), []).append(unit)
    lines = []
    for floor in sorted(by_floor, reverse=True):
        reached = sorted(
            {floor_of(target) for unit in by_floor[floor] for target in arrows[unit]},
            reverse=True,
        )
        uses = ", ".join(f"{f}" + (" (itself)" if f == floor else "") for f in reached)
        lines.append(f"floor {floor}: {FLOOR_NAMES[floor]}  — uses floors {uses or 'none'}")
        lines += _wrapped([_short(unit) for unit in by_floor[floor]])
        if units:
            for unit in by_floor[floor]:
                targets = ", ".join(_short(t) for t in sorted(arrows[unit], key=_by_floor))
                lines.append(f"    {_short(unit)} -> {targets or 'nothing of ours'}")
    return "\n".join(lines)


def _short(unit: str) -> str:
    return unit.removeprefix("app.") if unit != "app" else "app (the version)"


def _by_floor(unit: str) -> tuple[int, str]:
    return (-floor_of(unit), unit)


def _wrapped(words: Iterable[str], width: int = 76) -> list[str]:
    lines, line = [], "    "
    for word in words:
        if len(line) + len(word) + 2 > width and line.strip():
            lines.append(line.rstrip())
            line = "    "
        line += word + "  "
    return [*lines, line.rstrip()] if line.strip() else lines


DOCS = ROOT / "docs" / "architecture.md"
PICTURE_START = "<!-- import graph: python -m tests.test_layering -->"


def _picture_in_docs() -> str:
    text = DOCS.read_text(encoding="utf-8")
    start = text.index(PICTURE_START)
    block = text[start:].split("```", 2)[1]
    return block.removeprefix("text").strip("\n")


# -- the rules --------------------------------------------------------------------------


def test_every_unit_has_a_floor():
    arrows = unit_arrows()
    assert len(arrows) > 30
    for unit in arrows:
        floor_of(unit)


def test_every_arrow_points_down_or_along_its_floor():
    bad = []
    for path, imports in imports_by_module().items():
        unit = unit_of(module_of(path))
        for name in imports:
            target = unit_of(name)
            if target is not None and floor_of(target) > floor_of(unit):
                bad.append(f"{_name(path)} imports {name}")
    assert not bad, bad


def test_the_window_and_the_command_line_use_only_the_services_the_domain_and_the_plumbing():
    bad = []
    for path, imports in imports_by_module().items():
        unit = unit_of(module_of(path))
        if floor_of(unit) != TOP:
            continue
        for name in imports - CLI_DOORS.get(_name(path), set()):
            target = unit_of(name)
            if target is None:
                continue
            if floor_of(target) == TOP:
                allowed = target.startswith("ui") == unit.startswith("ui")  # each its own side
            else:
                allowed = floor_of(target) in (SERVICES, SHARED)
            if not allowed:
                bad.append(f"{_name(path)} imports {name}")
    assert not bad, bad


def test_app_sources_import_neither_qt_nor_ui_but_through_the_declared_doors():
    for path, imports in imports_by_module().items():
        if not _name(path).startswith("app/"):
            continue
        rest = imports - CLI_DOORS.get(_name(path), set())
        bad = {name for name in rest if name.split(".")[0] in {*QT_MODULES, "ui"}}
        bad |= rest & {RUN_TIME_NAME}
        assert not bad, f"{_name(path)} imports {bad}"


def test_the_doors_are_used_where_declared():
    for name, doors in CLI_DOORS.items():
        assert doors <= imported_by(ROOT / name), f"{name} no longer imports {doors}"


def test_the_domain_is_a_leaf_and_the_plumbing_uses_only_the_domain():
    arrows = unit_arrows()
    assert arrows["app.domain"] == set()
    assert arrows["app.platform"] <= {"app.domain", "app"}


def test_the_cache_uses_only_the_domain():
    assert unit_arrows()["app.cache"] <= {"app.domain"}


def test_neighbours_on_the_data_floor_share_only_the_shared_pieces():
    arrows = unit_arrows()
    for unit in DATA_UNITS:
        sideways = {t for t in arrows.get(unit, set()) if floor_of(t) == DATA}
        assert sideways <= set(SHARED_PIECES), f"{unit} imports {sideways}"


def test_no_import_circle_joins_two_units():
    found = circles(unit_arrows(type_checking=False))
    assert found - KNOWN_CIRCLES == set(), "new import circles"
    assert KNOWN_CIRCLES - found == set(), "untangled: take them off KNOWN_CIRCLES"
    assert all(unit.startswith("ui.") for group in found for unit in group)


def test_the_circle_check_sees_a_circle():
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == {frozenset({"a", "b", "c"})}
    assert circles({"a": {"b"}, "b": set()}) == set()


def test_a_dynamic_import_and_a_type_only_import_are_seen():
    source = (
        "import importlib\n"
        "from typing import TYPE_CHECKING\n"
        "importlib.import_module('ui.main')\n"
        "__import__(name)\n"
        "if TYPE_CHECKING:\n"
        "    from app.cache import OrderCache\n"
    )
    seen = imports_of(source, "app.commands")
    assert seen == {"importlib", "typing", "ui.main", RUN_TIME_NAME, "app.cache"}
    assert imports_of(source, "app.commands", type_checking=False) == seen - {"app.cache"}


def test_gui_does_not_speak_http_or_sql():
    for path, imports in imports_by_module().items():
        if _name(path).startswith("ui/"):
            bad = {
                name for name in imports if name.split(".")[0] in {"httpx", "httpcore", "sqlite3"}
            }
            assert not bad, f"{_name(path)} imports {bad}"


def test_importing_every_app_module_loads_no_qt():
    modules = [module_of(path) for path in _sources() if _name(path).startswith("app/")]
    assert len(modules) > 10
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        f"roots = {(*QT_MODULES, 'ui')!r}\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in roots)\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def test_the_picture_in_the_docs_is_current():
    assert _picture_in_docs() == picture(), (
        "docs/architecture.md: paste the output of `python -m tests.test_layering`"
    )


if __name__ == "__main__":
    print(picture(units="--units" in sys.argv[1:]))
