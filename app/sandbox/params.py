"""Reading the query parameters of a demo-store request: the last value of a
parameter, or every value of a comma list."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

Params = Mapping[str, Sequence[str]]


def last_value(params: Params, name: str) -> str | None:
    """The last value given for ``name``, stripped; ``None`` when absent or blank."""
    values = params.get(name)
    if not values:
        return None
    value = values[-1].strip()
    return value or None


def list_values(params: Params, name: str) -> list[str]:
    """Every comma-separated part of every value of ``name``, stripped, blanks left out."""
    parts: list[str] = []
    for value in params.get(name) or ():
        parts += [part.strip() for part in value.split(",") if part.strip()]
    return parts
