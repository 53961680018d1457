"""The ``items`` of a ``PUT`` body: every item, complete, or nothing.

Ecwid replaces all items with the array it is sent: an item left out is
deleted, and a file attached to an item option is dropped unless it is sent
back. So each edited item is paired with the original item it came from
(by its ``id``; items without one by their other, non-editable fields), and
what is sent for it is the original item dict — all its fields, the ones the
editor does not know included, option files always as the server has them —
with the edits applied. Items without an original are sent as they are.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from app.domain.money import number_for_json
from app.services.orders.fields import (
    EDITABLE_ITEM_FIELDS,
    NotANumber,
    equal,
    parse_decimal,
    parse_quantity,
    same_value,
    text_of,
)

_EDITED_KEYS = frozenset((*EDITABLE_ITEM_FIELDS, "weight", "selectedOptions"))
_SERVER_KEPT_KEYS = frozenset({"files"})  # e-goods files: never editable, always sent back


def items_changes(original: Any, edited: Any) -> Any:
    """The ``items`` to send, or ``None`` when nothing in them changed.

    ``None`` (or no list at all on either side but ``edited``) in ``edited``
    means the editor left the items alone. A value that is not a list is
    returned as it is, so that validation refuses it.
    """
    if edited is None:
        return None
    if not isinstance(edited, list):
        return copy.deepcopy(edited)
    originals = original if isinstance(original, list) else []
    pairs = match_items(originals, edited)
    built = [
        normalized_item(originals[index] if index is not None else None, item)
        if isinstance(item, Mapping)
        else copy.deepcopy(item)
        for item, index in zip(edited, pairs, strict=True)
    ]
    taken = {_id_key(o["id"]) for o in originals if isinstance(o, Mapping) and "id" in o}
    for item, index in zip(built, pairs, strict=True):
        if index is None and isinstance(item, dict) and _id_key(item.get("id")) in taken:
            del item["id"]  # a copy of a kept item is a new item: the server gives it an id
    if isinstance(original, list) and equal(built, original):
        return None
    if original is None and not built:
        return None
    return built


def match_items(originals: list[Any], edited: list[Any]) -> list[int | None]:
    """For each edited item, the index of the original item it came from (``None``: new).

    An item with an ``id`` pairs with the original of that ``id``. Any other
    item pairs with the first unpaired original whose fields outside the
    editable ones (``name``, ``sku``, ``quantity``, ``price``, ``weight``,
    option values) it still has unchanged, preferring one with the same options.
    """
    used: set[int] = set()
    pairs: list[int | None] = [None] * len(edited)
    by_id: dict[str, int] = {}
    for index, item in enumerate(originals):
        if isinstance(item, Mapping) and item.get("id") is not None:
            by_id.setdefault(_id_key(item["id"]), index)
    for position, item in enumerate(edited):
        if isinstance(item, Mapping) and item.get("id") is not None:
            paired = by_id.get(_id_key(item["id"]))
            if paired is not None and paired not in used:
                pairs[position] = paired
                used.add(paired)
    for position, item in enumerate(edited):
        if pairs[position] is not None or not isinstance(item, Mapping):
            continue
        candidates = [
            index
            for index, candidate in enumerate(originals)
            if index not in used
            and isinstance(candidate, Mapping)
            and _same_origin(candidate, item)
        ]
        if candidates:
            shape = _option_shape(item)
            same_options = [i for i in candidates if equal(_option_shape(originals[i]), shape)]
            index = (same_options or candidates)[0]
            pairs[position] = index
            used.add(index)
    return pairs


def _id_key(value: Any) -> str:
    return str(value).strip()


def _same_origin(original: Mapping[str, Any], item: Mapping[str, Any]) -> bool:
    return all(
        key in item and equal(item[key], value)
        for key, value in original.items()
        if key not in _EDITED_KEYS
    )


def _option_shape(item: Mapping[str, Any]) -> list[tuple[Any, Any]]:
    options = item.get("selectedOptions")
    if not isinstance(options, list):
        return []
    return [(o.get("name"), o.get("type")) for o in options if isinstance(o, Mapping)]


def normalized_item(
    original: Mapping[str, Any] | None, edited: Mapping[str, Any]
) -> dict[str, Any]:
    """``original`` (or nothing, for a new item) with the edits of ``edited`` applied,
    editable values as JSON (numbers as numbers); option files kept from ``original``."""
    item: dict[str, Any] = copy.deepcopy(dict(original)) if original is not None else {}
    for key, value in edited.items():
        if key == "selectedOptions" or (original is not None and key in _SERVER_KEPT_KEYS):
            continue
        new = _item_value(key, value)
        if original is None or key not in item or not same_value(item[key], new):
            item[key] = new
    if "selectedOptions" in edited:
        before = original.get("selectedOptions") if original is not None else None
        options = _merged_options(before, edited["selectedOptions"])
        if original is None or "selectedOptions" in original or options:
            item["selectedOptions"] = options
    return item


def _item_value(key: str, value: Any) -> Any:
    try:
        if key == "quantity":
            return parse_quantity(value)
        if key in ("price", "weight") and value is not None:
            return number_for_json(parse_decimal(value))
    except NotANumber:
        return copy.deepcopy(value)
    if key in ("name", "sku"):
        text = text_of(value)
        return copy.deepcopy(value) if text is None else text
    if isinstance(value, Decimal):
        return number_for_json(value)
    return copy.deepcopy(value)


def _merged_options(before: Any, edited: Any) -> Any:
    """The original options with edited values applied; FILES options untouched,
    options missing from ``edited`` kept, new ones appended. A non-list is
    returned as it is, for validation to refuse."""
    if not isinstance(edited, list):
        return copy.deepcopy(before) if isinstance(before, list) else copy.deepcopy(edited)
    merged: list[Any] = copy.deepcopy(before) if isinstance(before, list) else []
    used: set[int] = set()
    for option in edited:
        index = _option_index(merged, option, used)
        if index is None:
            merged.append(_new_option(option))
            continue
        used.add(index)
        target = merged[index]
        if target.get("type") == "FILES":
            continue
        _apply_option_edits(target, option)
    return merged


def _option_index(merged: list[Any], option: Any, used: set[int]) -> int | None:
    if not isinstance(option, Mapping):
        return None
    for index, candidate in enumerate(merged):
        if (
            index not in used
            and isinstance(candidate, dict)
            and equal(candidate.get("name"), option.get("name"))
        ):
            return index
    return None


def _new_option(option: Any) -> Any:
    if not isinstance(option, Mapping):
        return copy.deepcopy(option)
    made = copy.deepcopy(dict(option))
    if made.get("type") != "FILES" and "value" in made:
        text = text_of(made["value"])
        if text is not None:
            made["value"] = text
            made.setdefault("valuesArray", _values_array(made.get("type"), text))
    return made


def _apply_option_edits(target: dict[str, Any], option: Mapping[str, Any]) -> None:
    before_values = target.get("valuesArray")
    before_value = target.get("value")
    for key, value in option.items():
        if key == "files":
            continue
        new = value
        if key == "value":
            text = text_of(value)
            new = value if text is None else text
        if not same_value(target.get(key), new) or key not in target:
            target[key] = copy.deepcopy(new)
    value = target.get("value")
    value_changed = isinstance(value, str) and not same_value(before_value, value)
    if (
        value_changed
        and isinstance(value, str)  # (said by value_changed; for the type checker)
        and equal(option.get("valuesArray", before_values), before_values)
    ):
        derived = _values_array(target.get("type"), value)
        if not equal(before_values, derived) and (before_values is not None or value):
            target["valuesArray"] = derived


def _values_array(option_type: Any, value: str) -> list[str]:
    if option_type == "CHOICES":
        return [part.strip() for part in value.split(",") if part.strip()]
    return [value]
