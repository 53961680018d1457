"""The architecture's rules, checked: `app` never imports Qt (nor `ui`), and
the GUI never builds HTTP requests or SQL itself."""

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


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
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


def test_app_sources_import_neither_qt_nor_ui():
    for path in (ROOT / "app").rglob("*.py"):
        bad = _roots(_imports(path)) & {*QT_MODULES, "ui"}
        assert not bad, f"{path.relative_to(ROOT)} imports {bad}"


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
