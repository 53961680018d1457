"""What a package's sources import, read from their syntax trees: for the
tests that keep a package a leaf (``app.domain``) or nearly one
(``app.cache``), and for the layering test (``tests/test_layering.py``)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RUN_TIME_NAME = "<a module named at run time>"


def module_of(path: Path) -> str:
    """The dotted name of the module at ``path`` (a file under :data:`ROOT`)."""
    parts = path.resolve().relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_by(path: Path, *, type_checking: bool = True) -> set[str]:
    """:func:`imports_of` the module at ``path``."""
    module = module_of(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    return imports_of(path.read_text(encoding="utf-8"), package, type_checking=type_checking)


def imports_of(source: str, package: str, *, type_checking: bool = True) -> set[str]:
    """Every module ``source`` (a module of ``package``) imports, relative
    imports resolved, plus the names given to ``importlib.import_module`` and
    ``__import__`` (a name computed at run time is :data:`RUN_TIME_NAME`).
    ``type_checking=False`` leaves out the imports made only for the type
    checker (inside ``if TYPE_CHECKING:``), which never run."""
    tree = ast.parse(source)
    skipped: set[int] = set()
    if not type_checking:
        for node in ast.walk(tree):
            if isinstance(node, ast.If) and _is_type_checking(node.test):
                skipped.update(
                    id(inner) for statement in node.body for inner in ast.walk(statement)
                )
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                prefix = ".".join(parts[: len(parts) - (node.level - 1)])
                if node.module:
                    found.add(f"{prefix}.{node.module}")
                else:
                    found.add(prefix)
                    found.update(f"{prefix}.{alias.name}" for alias in node.names)
            elif node.module:
                found.add(node.module)
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in ("import_module", "__import__") and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    found.add(first.value)
                else:
                    found.add(RUN_TIME_NAME)
    return found


def _is_type_checking(test: ast.expr) -> bool:
    """``TYPE_CHECKING`` or ``typing.TYPE_CHECKING``."""
    if isinstance(test, ast.Name):
        return test.id == "TYPE_CHECKING"
    return isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"


def is_standard_library(module: str) -> bool:
    root = module.split(".")[0]
    return root == "__future__" or root in sys.stdlib_module_names


def loaded_by_importing(modules: list[str]) -> list[str]:
    """Every module a fresh interpreter has loaded after importing ``modules``."""
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "print('\\n'.join(sorted(sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return result.stdout.split()
