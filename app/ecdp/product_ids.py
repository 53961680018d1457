"""The ECDP product id of an Ecwid order item: stable, and distinct per product.

An item of the store's catalog carries its ``productId``. A custom item (added
by hand, through the API, by an app) carries ``productId: 0`` or none at all;
sent as ``"0"``, every custom item of every order would be one ECDP product.
The rules (:func:`product_id`), the first that applies wins:

1. ``productId`` when it is above 0: the catalog product (its variants and
   options are the product's attributes);
2. else the item's ``sku`` (when it fits ECDP's 128 characters);
3. else ``custom-`` and a hash of the item's name and its chosen option
   values (option name and value; an option's uploaded files are the
   customer's, not the product's, and do not count), ignoring case, spacing
   and the order of the options: ``custom-3f2a9c1b0d4e5f67``. The same
   item maps to the same id in every order and on every push; two items that
   differ in name or in an option value get different ids.

A SKU too long for ECDP is hashed the same way (``sku-…``).
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from typing import Any

from app.ecdp import ecwid_fields as field

MAX_LENGTH = 128  # ECDP's limit for products[].id
CUSTOM_PREFIX = "custom-"
LONG_SKU_PREFIX = "sku-"
_HASH_BYTES = 8  # 16 hex digits: a clash needs billions of distinct custom items


def product_id(item: dict[str, Any]) -> str:
    """The ECDP product id of ``item`` (a raw Ecwid order item)."""
    catalog = field.positive_id(item.get("productId"))
    if catalog is not None:
        return catalog
    sku = field.text(item.get("sku"))
    if sku is not None:
        return sku if len(sku) <= MAX_LENGTH else LONG_SKU_PREFIX + _digest([_folded(sku)])
    return custom_product_id(item.get("name"), item.get("selectedOptions"))


def custom_product_id(name: Any, options: Any) -> str:
    """``custom-`` and the hash of ``name`` and the chosen values of ``options``."""
    chosen = sorted(
        [_folded(field.text(option.get("name"))), _folded(value)]
        for option in field.objects(options)
        for value in option_values(option)
    )
    return CUSTOM_PREFIX + _digest([_folded(field.text(name)), chosen])


def option_values(option: dict[str, Any]) -> list[str]:
    """The values chosen for an item option: every entry of ``valuesArray``
    (several choices), else its ``value``; none for uploaded files."""
    if option.get("type") == "FILES" or option.get("files"):
        return []
    choices = option.get("valuesArray")
    if isinstance(choices, list):
        found = [text for text in map(field.text, choices) if text is not None]
        if found:
            return found
    value = field.text(option.get("value"))
    return [value] if value is not None else []


def _folded(text: str | None) -> str:
    """``text`` compared without case, accents' encoding or extra spacing."""
    if text is None:
        return ""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _digest(parts: list[Any]) -> str:
    data = json.dumps(parts, ensure_ascii=False, separators=(",", ":"))
    encoded = data.encode("utf-8", "surrogatepass")  # JSON text may hold lone surrogates
    return hashlib.blake2b(encoded, digest_size=_HASH_BYTES).hexdigest()
