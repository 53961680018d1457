"""The architecture's rules, checked from the source (imports read from the
AST, dynamic ones included): `app` never imports Qt nor `ui` — but for the
command line's two declared doors into the GUI layer (the window itself, and
the PDF printer) — and the GUI never builds HTTP requests or SQL itself."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QT_MODULES = ("PySide6", "shiboken6", "qasync")


def _modules(package: str) -> list[str]:
    names = []
    for path in sorted((ROOT / package).rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


DYNAMIC = ("import_module", "__import__")

# The command line's declared doors into the GUI layer: loaded only where used.
CLI_DOORS = {
    "app/cli.py": {"ui.main"},  # `backroom` without a command opens the window
    "app/commands/invoice.py": {"ui.printing.pdf"},  # the PDF printer (QtWebEngine)
}


def _imports(path: Path) -> set[str]:
    """Every module ``path`` imports: statements, and dynamic imports by name
    (``importlib.import_module("x")``, ``__import__("x")``). A dynamic import of
    a name that is not a literal is reported as ``"<dynamic>"``."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            if name in DYNAMIC:
                first = node.args[0] if node.args else None
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    found.add(first.value)
                else:
                    found.add("<dynamic>")
    return found


def _roots(names: set[str]) -> set[str]:
    return {name.split(".")[0] for name in names}


def test_importing_every_app_module_loads_no_qt():
    modules = _modules("app")
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


def test_app_sources_import_neither_qt_nor_ui_but_through_the_declared_doors():
    for path in (ROOT / "app").rglob("*.py"):
        name = path.relative_to(ROOT).as_posix()
        imports = _imports(path) - CLI_DOORS.get(name, set())
        bad = (_roots(imports) & {*QT_MODULES, "ui"}) | (imports & {"<dynamic>"})
        assert not bad, f"{name} imports {bad}"


def test_the_doors_are_used_where_declared():
    for name, doors in CLI_DOORS.items():
        assert doors <= _imports(ROOT / name), f"{name} no longer imports {doors}"


def test_a_dynamic_import_is_seen(tmp_path):
    source = tmp_path / "sneaky.py"
    source.write_text("import importlib\nimportlib.import_module('ui.main')\n__import__(name)\n")
    assert _imports(source) == {"importlib", "ui.main", "<dynamic>"}


def test_gui_does_not_speak_http_or_sql():
    for path in (ROOT / "ui").rglob("*.py"):
        imports = _imports(path)
        bad = (_roots(imports) & {"httpx", "httpcore", "sqlite3"}) | {
            # the cache's public query API (app.cache) is for the GUI; its SQL modules are not
            name
            for name in imports
            if name.startswith(("app.sandbox", "app.cache."))
        }
        assert not bad, f"{path.relative_to(ROOT)} imports {bad}"
