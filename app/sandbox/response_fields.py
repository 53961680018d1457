"""``responseFields``: only the parts of an answer a client asked for, as Ecwid
gives them.

``?responseFields=total,items(id,updateTimestamp)`` keeps, of the answer,
the top-level fields named; a name followed by a selection in brackets keeps
only the fields named inside, of an object or of each object in a list, at
any depth (``media(images(image160pxUrl))``). What Ecwid's documentation
shows, and this follows:

- ``GET /orders?responseFields=total,items(id,email,total)`` answers
  ``{"total": 3, "items": [{"id": "K8XTQ", "email": "…", "total": 10}, …]}``:
  no ``count``, ``offset`` or ``limit`` unless asked for, and inside
  ``items`` the order's own ``total``;
- fields come in the order asked for (that example lists ``email`` before
  ``total``, the reverse of a whole order);
- a field the answer does not have is simply absent, never ``null``;
- a selection on a list of objects applies to each object
  (``staffList(name,email,inviteAccepted)``); a value that is not an
  object (a number, text, a list of texts) is kept whole.

Spaces around names are ignored; a blank parameter asks for everything.
Brackets that do not pair, or an empty name, are refused with a 400 (what
Ecwid does with them is not documented; a client of ours never sends one).
"""

from __future__ import annotations

from typing import Any

from app.sandbox.errors import ApiError, bad_request
from app.sandbox.params import Params

Selection = dict[str, "Selection | None"]
"""Field names, each with its own selection (``None``: the whole value)."""


def requested_fields(params: Params) -> Selection | None:
    """The selection of a request's ``responseFields`` (the last one given);
    ``None`` when it asks for the whole answer. Raises a 400 ``ApiError``
    when it cannot be read."""
    values = params.get("responseFields")
    if not values or not values[-1].strip():
        return None
    return parse_selection(values[-1])


def parse_selection(text: str) -> Selection:
    """``"total,items(id,updateTimestamp)"`` as ``{"total": None, "items":
    {"id": None, "updateTimestamp": None}}``."""
    selection, end = _parse(text, 0, nested=False)
    if end != len(text):
        raise _unreadable(text)
    return selection


def _parse(text: str, index: int, *, nested: bool) -> tuple[Selection, int]:
    selection: Selection = {}
    while True:
        start = index
        while index < len(text) and text[index] not in ",()":
            index += 1
        name = text[start:index].strip()
        if not name:
            raise _unreadable(text)
        inner: Selection | None = None
        if index < len(text) and text[index] == "(":
            inner, index = _parse(text, index + 1, nested=True)
            if index >= len(text) or text[index] != ")":
                raise _unreadable(text)
            index += 1
            while index < len(text) and text[index] == " ":
                index += 1
        _merge(selection, name, inner)
        if index >= len(text):
            if nested:
                raise _unreadable(text)
            return selection, index
        if text[index] == ")":
            if not nested:
                raise _unreadable(text)
            return selection, index
        if text[index] != ",":
            raise _unreadable(text)
        index += 1


def _merge(selection: Selection, name: str, inner: Selection | None) -> None:
    """A name asked for twice gets what both ask for (the whole value if either does)."""
    if name not in selection:
        selection[name] = inner
        return
    before = selection[name]
    if before is None or inner is None:
        selection[name] = None
        return
    for key, value in inner.items():
        _merge(before, key, value)


def _unreadable(text: str) -> ApiError:
    return bad_request(
        f"Cannot parse responseFields {text!r}: give field names separated by commas, "
        "a selection of a field's own fields in brackets, e.g. total,items(id,updateTimestamp)"
    )


def select(value: Any, selection: Selection | None) -> Any:
    """``value`` keeping only what ``selection`` names (see the module doc)."""
    if selection is None:
        return value
    if isinstance(value, dict):
        return {
            name: select(value[name], inner) for name, inner in selection.items() if name in value
        }
    if isinstance(value, list):
        return [select(item, selection) if isinstance(item, dict) else item for item in value]
    return value
