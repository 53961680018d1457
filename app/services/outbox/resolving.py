"""Settling an edit that waits for the user: laid out field by field (this
desk's value, the store's, the one the edit began from), then resolved by
the user's choice per field — keep mine (the edit is measured again from
the store's version and sent), or take the store's (that field is dropped;
an edit with nothing left is discarded)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from app.domain.words import field_label

from .checks import same_field
from .edits import Edit

Choice = Literal["mine", "server"]


@dataclass(frozen=True)
class ConflictField:
    """One field of an edit that met a change made in the store."""

    name: str  # top-level API field, e.g. "trackingNumber", "items", "shippingPerson"
    label: str  # "Tracking number"
    mine: Any  # the value in this desk's edit
    server: Any  # the store's value now
    base: Any  # the value when the edit began (None if unknown)
    changed_remotely: bool  # the store's value is not the one the edit began from


def conflict_fields(edit: Edit, store: Mapping[str, Any]) -> list[ConflictField]:
    """One :class:`ConflictField` per field of the edit, in its order."""
    fields = []
    for name, mine in edit.changes.items():
        now = store.get(name)
        if edit.base is not None and name in edit.base:
            base = edit.base[name]
            changed = not same_field(name, base, now)
        else:
            base = None
            changed = not same_field(name, mine, now)
        fields.append(ConflictField(name, field_label(name), mine, now, base, changed))
    return fields


def check_choices(choices: Mapping[str, str]) -> None:
    for name, choice in choices.items():
        if choice not in ("mine", "server"):
            raise ValueError(f"Choose 'mine' or 'server' for {name}, not {choice!r}.")


def kept_changes(edit: Edit, choices: Mapping[str, str]) -> dict[str, Any]:
    """The fields the user keeps (a field without a choice keeps this desk's value)."""
    check_choices(choices)
    return {
        name: value for name, value in edit.changes.items() if choices.get(name, "mine") == "mine"
    }
