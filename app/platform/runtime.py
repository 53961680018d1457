"""Process-wide settings applied once at start-up by the ``backroom`` command.

Garbage collection: parsing a page of orders allocates tens of thousands of
small objects (pydantic models, dicts, lists). With CPython's default
young-generation threshold (700) the collector runs hundreds of times per
page and cost about a third of the client's CPU time when fetching 10,000
orders (see the fetch benchmark in docs/benchmarks.md). A larger threshold keeps
collections rare; ``gc.freeze()`` moves everything alive after start-up
(modules, Qt wrappers, schemas) out of the collector's way for good.

Pydantic's plugins: Backroom uses none, and pydantic would read the entry
points of every installed package when the first model is made (~6 ms at
start-up); ``PYDANTIC_DISABLE_PLUGINS`` (pydantic's own switch) skips that,
unless the environment already says otherwise.
"""

from __future__ import annotations

import gc
import os

YOUNG_GENERATION_THRESHOLD = 10_000


def tune_garbage_collector() -> None:
    """Fewer, cheaper collections; call once, after the imports of start-up."""
    _, older, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_GENERATION_THRESHOLD, older, oldest)
    gc.freeze()


def skip_pydantic_plugins() -> None:
    """Tell pydantic not to look for plugins (see the module's docstring);
    call before the first model is made."""
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
