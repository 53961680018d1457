"""The two checks that stand in for the conditional write Ecwid lacks.

Before a write: for every field the edit changes, the value in the version
the edit began from must still be the store's value (whether or not the
order has an ``updateTimestamp``); a field the store already holds as the
edit wants it is fine. After a write: the order read back must hold every
value sent — if not, someone wrote the same order at the same moment.

Items are compared by what a person would call the item (id, name, SKU,
quantity, price, the chosen options and their files), so fields the store
computes on its own never make a false alarm.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.domain.values import holds, same

ITEM_FIELDS = ("id", "name", "sku", "quantity", "price", "productId")
OPTION_FIELDS = ("name", "value", "type")


def _option(option: Any) -> Any:
    if not isinstance(option, Mapping):
        return option
    kept = {name: option.get(name) for name in OPTION_FIELDS if name in option}
    files = option.get("files")
    if isinstance(files, list):
        kept["files"] = [f.get("id") if isinstance(f, Mapping) else f for f in files]
    return kept


def _item(item: Any) -> Any:
    if not isinstance(item, Mapping):
        return item
    kept = {name: item.get(name) for name in ITEM_FIELDS if name in item}
    options = item.get("selectedOptions")
    if isinstance(options, list):
        kept["selectedOptions"] = [_option(option) for option in options]
    return kept


def comparable(name: str, value: Any) -> Any:
    """``value`` of field ``name`` reduced to what the checks compare."""
    if name == "items" and isinstance(value, list):
        return [_item(item) for item in value]
    return value


def holds_field(name: str, stored: Any, sent: Any) -> bool:
    """Whether the store's value of ``name`` carries the value sent."""
    if name == "items" and isinstance(sent, list):
        stored_items = comparable(name, stored)
        sent_items = comparable(name, sent)
        if not isinstance(stored_items, list) or len(stored_items) != len(sent_items):
            return False
        # a new item (sent without an id) gets one from the store
        return all(
            holds({k: v for k, v in s.items() if k != "id" or v is not None}, _no_new_id(t))
            if isinstance(s, Mapping)
            else same(s, t)
            for s, t in zip(stored_items, sent_items, strict=True)
        )
    return holds(stored, sent)


def _no_new_id(item: Any) -> Any:
    if isinstance(item, Mapping) and item.get("id") is None:
        return {k: v for k, v in item.items() if k != "id"}
    return item


def same_field(name: str, left: Any, right: Any) -> bool:
    return same(comparable(name, left), comparable(name, right))


def changed_in_store(
    changes: Mapping[str, Any],
    base: Mapping[str, Any] | None,
    base_update_ts: int | None,
    current: Mapping[str, Any],
) -> list[str]:
    """The fields of an edit someone changed in the store since the edit
    began (``current`` is the store's order now). A field the store already
    holds as the edit wants it is not a conflict. Without the starting
    value of a field, only an unchanged ``updateTimestamp`` vouches for it."""
    conflicts = []
    for name, mine in changes.items():
        now = current.get(name)
        if holds_field(name, now, mine):
            continue
        if base is not None and name in base:
            if not same_field(name, base[name], now):
                conflicts.append(name)
        elif base_update_ts is None or current.get("updateTimestamp") != base_update_ts:
            conflicts.append(name)
    return conflicts


def already_held(changes: Mapping[str, Any], current: Mapping[str, Any]) -> bool:
    """Whether the store's order already holds every value of ``changes``."""
    return all(holds_field(name, current.get(name), value) for name, value in changes.items())


def not_held(changes: Mapping[str, Any], current: Mapping[str, Any]) -> list[str]:
    """The fields of ``changes`` the store's order does not hold."""
    return [
        name for name, value in changes.items() if not holds_field(name, current.get(name), value)
    ]
