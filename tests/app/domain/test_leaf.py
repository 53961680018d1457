"""``app.domain`` is a leaf: it imports nothing else from the project, no Qt
and no HTTP, only the standard library and pydantic. Checked on the source
(every import statement, relative ones and imports by name too) and by
importing it in a fresh interpreter."""

from __future__ import annotations

from tests.helpers.imports import (
    ROOT,
    RUN_TIME_NAME,
    imported_by,
    imports_of,
    is_standard_library,
    loaded_by_importing,
    module_of,
)

DOMAIN = ROOT / "app" / "domain"
PACKAGE = "app.domain"
THIRD_PARTY_ALLOWED = frozenset({"pydantic", "pydantic_core"})
FORBIDDEN_ROOTS = frozenset({"PySide6", "shiboken6", "qasync", "httpx", "httpcore", "ui"})


def _allowed(module: str) -> bool:
    root = module.split(".")[0]
    if root in FORBIDDEN_ROOTS:
        return False
    if root == "app":
        return module == PACKAGE or module.startswith(PACKAGE + ".")
    return is_standard_library(module) or root in THIRD_PARTY_ALLOWED


def test_the_domain_sources_import_only_the_domain_the_standard_library_and_pydantic():
    paths = sorted(DOMAIN.rglob("*.py"))
    assert len(paths) >= 10
    bad = sorted(
        f"{path.relative_to(ROOT)}: {module}"
        for path in paths
        for module in imported_by(path)
        if not _allowed(module)
    )
    assert not bad, bad


def test_the_check_sees_what_it_must_refuse():
    source = (
        "from app.cache import OrderCache\n"
        "import httpx\n"
        "from PySide6 import QtCore\n"
        "from ..ecwid import models\n"
        "from .. import services\n"
        "importlib.import_module('app.commands.sync')\n"
        "__import__(name)\n"
        "from . import money\n"
        "from .dates import parse_ecwid_datetime\n"
        "import json, pydantic\n"
    )
    refused = {module for module in imports_of(source, PACKAGE) if not _allowed(module)}
    assert refused == {
        "app.cache",
        "httpx",
        "PySide6",
        "app.ecwid",
        "app",
        "app.services",
        "app.commands.sync",
        RUN_TIME_NAME,
    }


def test_importing_the_domain_loads_nothing_else_of_the_project_nor_qt_nor_http():
    modules = [module_of(path) for path in sorted(DOMAIN.rglob("*.py"))]
    loaded = loaded_by_importing(modules)
    assert PACKAGE in loaded
    bad = [
        name
        for name in loaded
        if name.split(".")[0] in FORBIDDEN_ROOTS
        or (name.startswith("app.") and not name.startswith(PACKAGE))
    ]
    assert not bad, bad
