"""The cache is a cache: ``app.cache`` imports only the shared vocabulary
(``app.domain``), the standard library and the compression of its orders'
bodies (``zstandard``, see :mod:`app.cache.bodies`), so opening it loads no
client, no HTTP library and no Qt."""

from __future__ import annotations

from tests.helpers.imports import ROOT, imported_by, is_standard_library, loaded_by_importing

CACHE = ROOT / "app" / "cache"
OWN = ("app.cache", "app.domain")
LIBRARIES = ("zstandard",)  # the orders' bodies, compressed with a trained dictionary


def _own(module: str) -> bool:
    return module in OWN or module.startswith(tuple(f"{name}." for name in OWN))


def _allowed(module: str) -> bool:
    top = module.split(".")[0]
    if top == "app":
        return _own(module)
    return top in LIBRARIES or is_standard_library(module)


def test_the_cache_sources_import_only_the_domain_the_standard_library_and_zstd():
    paths = sorted(CACHE.rglob("*.py"))
    assert len(paths) > 10
    bad = sorted(
        f"{path.relative_to(ROOT)}: {module}"
        for path in paths
        for module in imported_by(path)
        if not _allowed(module)
    )
    assert not bad, bad


def test_opening_the_cache_loads_no_client_and_no_http():
    loaded = loaded_by_importing(["app.cache", "app.cache.prepared"])
    assert "app.cache" in loaded
    bad = [
        name
        for name in loaded
        if name.split(".")[0] in ("httpx", "httpcore", "PySide6", "ui")
        or (name.startswith("app.") and not _own(name))
    ]
    assert not bad, bad
