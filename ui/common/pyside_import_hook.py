"""PySide6's import hook, answered without reading every module's source.

Once PySide6 is imported it replaces ``__import__``, and for every module an
import statement names that it has not seen yet (PYSIDE-2029) it reads the
module's whole source with ``inspect.getsource`` to look for the word
"PySide6". The answer decides how its ``__feature__`` switch (``snake_case``,
``true_property``) treats code in that module: "uses PySide6, no feature
selected" or "ignore this module, keep the feature selected last". Backroom
and its libraries select no feature anywhere, so both answers mean the same:
Qt's own names. Reading ~480 source files took 61 ms of a 0.51 s launch to
the first rows (docs/benchmarks.md).

:func:`answer_without_reading_sources` makes the hook answer "uses PySide6,
no feature selected" (what it answers for every module of ``ui``) without
opening the file. A module that does select a feature still gets it: its
``from __feature__ import …`` records its choice while it runs, before the
hook is asked. A PySide6 whose hook is built differently is left as it is.
"""

from __future__ import annotations

import sys
from types import ModuleType

import PySide6.QtCore  # noqa: F401  (loads the hook's module)

_HOOK_MODULE = "shibokensupport.feature"
_ASKED = "_mod_uses_pyside"  # the question the hook asks of each new module


def _uses_pyside_without_features(module: ModuleType) -> bool:
    return True


def answer_without_reading_sources() -> bool:
    """Answer the hook's question for every module from now on without reading
    its source; ``False`` if this PySide6 has no such hook (nothing changed)."""
    hook = sys.modules.get(_HOOK_MODULE)
    if hook is None or not callable(getattr(hook, _ASKED, None)):
        return False
    setattr(hook, _ASKED, _uses_pyside_without_features)
    return True
