"""Applying a change (API field names) to an order's JSON, as Ecwid's PUT does:
fields given replace the stored ones; objects (addresses, shipping option)
are merged field by field; an ``items`` array replaces all items."""

from __future__ import annotations

from typing import Any


def apply_changes(order: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """Apply ``changes`` to ``order`` in place and return it."""
    for name, value in changes.items():
        current = order.get(name)
        if name != "items" and isinstance(value, dict) and isinstance(current, dict):
            apply_changes(current, value)
        else:
            order[name] = value
    return order
