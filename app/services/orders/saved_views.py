"""Saved views: named filters, sort order and column layout of the order table,
kept per account in ``views.json`` (by convention ``account_dir(account) / "views.json"``).

The file is written atomically on every change. A damaged file is never
overwritten: it is renamed aside to ``views.json.bad`` and the store starts
empty, and :meth:`SavedViewStore.load` says so in plain words. A file written
by a newer Backroom is left alone and the store refuses changes.

Format version 2 may hold the filters Ecwid's current documentation added
(:data:`VERSION_2_FILTERS`). A file is written as version 1 while no view
uses them, so an older Backroom keeps reading it; once one does, it is
written as version 2, which an older Backroom leaves alone instead of
setting the whole file aside as damaged.
"""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from app.config import describe_validation_error
from app.domain.os_errors import describe_os_error
from app.domain.queries import OrderQuery, SortKey
from app.json_documents import (
    DamagedDocument,
    DocumentKind,
    NewerDocument,
    UnreadableDocument,
    load_document,
    write_document,
)

VIEWS_FILE_NAME = "views.json"
FILE_FORMAT = "backroom-views"
FILE_VERSION = 2
VERSION_2_FILTERS = frozenset(
    {
        "customer_id",
        "product_id",
        "pickup_time_from",
        "pickup_time_to",
        "payment_module",
        "accept_marketing",
        "contains_preorder_items",
        "subscription_id",
        "referer_id",
    }
)
VIEWS_DOCUMENT = DocumentKind(
    format=FILE_FORMAT,
    version=FILE_VERSION,
    title="a Backroom saved-views file",
    contents="Backroom's saved views",
    items="views",
)
MAX_NAME_LENGTH = 80
SORT_FIELDS = frozenset({"sort", "descending"})


class SavedViewError(Exception):
    """A saved view cannot be read, written or changed; the message is for the user."""


class UnknownViewError(SavedViewError, KeyError):
    """No view has this name."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class DuplicateViewError(SavedViewError, ValueError):
    """Another view already has this name."""


class InvalidViewNameError(SavedViewError, ValueError):
    """The name is blank, too long or holds control characters."""


def clean_view_name(name: str) -> str:
    """``name`` stripped; :class:`InvalidViewNameError` when it cannot name a view."""
    name = name.strip() if isinstance(name, str) else ""
    if not name:
        raise InvalidViewNameError("A view needs a name; the name must not be empty.")
    if len(name) > MAX_NAME_LENGTH:
        raise InvalidViewNameError(
            f"A view name can have at most {MAX_NAME_LENGTH} characters (this one has {len(name)})."
        )
    if any(unicodedata.category(ch) == "Cc" for ch in name):
        raise InvalidViewNameError("A view name must not contain control characters.")
    return name


def name_key(name: str) -> str:
    """The name as compared for uniqueness (case and width ignored)."""
    return unicodedata.normalize("NFKC", name.strip()).casefold()


def filters_of(query: OrderQuery) -> dict[str, Any]:
    """The filter fields of ``query`` as JSON (defaults and sort fields left out)."""
    return query.model_dump(mode="json", exclude_defaults=True, exclude=set(SORT_FIELDS))


class SavedView(BaseModel):
    """A named state of the order table: its filters, sort order and columns."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    filters: dict[str, Any] = {}
    sort: SortKey = SortKey.CREATED
    descending: bool = True
    columns: dict[str, Any] = {}

    @field_validator("name", mode="before")
    @classmethod
    def _clean_name(cls, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        try:
            return clean_view_name(value)
        except InvalidViewNameError as error:
            raise ValueError(str(error)) from None

    @field_validator("filters")
    @classmethod
    def _valid_filters(cls, value: dict[str, Any]) -> dict[str, Any]:
        if SORT_FIELDS & value.keys():
            raise ValueError("the sort order is kept in 'sort' and 'descending', not in filters")
        return filters_of(OrderQuery.model_validate(value))  # normalised, so views compare

    @classmethod
    def from_query(cls, name: str, query: OrderQuery, columns: dict[str, Any]) -> SavedView:
        """The view named ``name`` of ``query`` (filters and sort) and a column layout."""
        return cls(
            name=name,
            filters=filters_of(query),
            sort=query.sort,
            descending=query.descending,
            columns=columns,
        )

    def query(self) -> OrderQuery:
        """The order query this view shows."""
        return OrderQuery.model_validate(
            {**self.filters, "sort": self.sort, "descending": self.descending}
        )

    def renamed(self, name: str) -> SavedView:
        """This view under another name (:class:`InvalidViewNameError` for a bad one)."""
        return self.model_copy(update={"name": clean_view_name(name)})


class SavedViewStore:
    """The saved views of one account, in the JSON file at ``path``.

    Call :meth:`load` first; every change is written at once, and the store
    only changes once the file is written."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._views: list[SavedView] = []
        self._refusal: str | None = None  # why changes are refused (file unreadable)

    def __repr__(self) -> str:
        return f"SavedViewStore({str(self.path)!r}, {len(self._views)} views)"

    def load(self) -> str | None:
        """Read the file. Returns ``None`` when all went well (a missing file is
        no views), else a message for the user: a damaged file was renamed aside
        to ``*.bad`` (the views it still held are kept), or the file cannot be
        read or is from a newer Backroom (the views are then read-only)."""
        self._views, self._refusal = [], None
        try:
            document = load_document(self.path, VIEWS_DOCUMENT)
        except UnreadableDocument as error:
            self._refusal = (
                f"Cannot read the saved views in {self.path}: {describe_os_error(error.os_error)}."
            )
            return self._refusal
        except NewerDocument as error:
            self._refusal = (
                f"{self.path} was written by a newer Backroom (format version {error.version}); "
                "this version cannot read it and leaves it unchanged, so saved views "
                "cannot be changed here. Please update Backroom."
            )
            return self._refusal
        except DamagedDocument as error:
            return self._set_aside(str(error), [])
        if document is None:
            return None
        items = document["views"]
        views, problems, seen = [], [], set()
        for index, item in enumerate(items):
            label = f"view #{index + 1}"
            if isinstance(item, dict) and isinstance(item.get("name"), str):
                label += f" ({item['name'].strip()!r})"
            try:
                view = SavedView.model_validate(item)
            except ValidationError as error:
                problems.append(f"{label}: {describe_validation_error(error)}")
                continue
            if name_key(view.name) in seen:
                problems.append(f"{label}: the name is used by another view")
                continue
            seen.add(name_key(view.name))
            views.append(view)
        if problems:
            problem = f"{self.path} holds views that cannot be read: {'; '.join(problems)}."
            return self._set_aside(problem, views)
        self._views = views
        return None

    def views(self) -> list[SavedView]:
        """Every view, in the order they were first saved."""
        return list(self._views)

    def names(self) -> list[str]:
        """The names of every view, in order."""
        return [view.name for view in self._views]

    def get(self, name: str) -> SavedView:
        """The view with this name (case ignored); :class:`UnknownViewError` if none."""
        return self._views[self._index(name)]

    def has(self, name: str) -> bool:
        """True when a view has this name (case ignored)."""
        key = name_key(name)
        return any(name_key(view.name) == key for view in self._views)

    def save(self, view: SavedView) -> None:
        """Add ``view``, or replace the view that has its name (case ignored)."""
        views = list(self._views)
        key = name_key(view.name)
        for index, existing in enumerate(views):
            if name_key(existing.name) == key:
                views[index] = view
                break
        else:
            views.append(view)
        self._commit(views)

    def rename(self, old: str, new: str) -> SavedView:
        """Give the view ``old`` the name ``new`` and return it renamed."""
        index = self._index(old)
        renamed = self._views[index].renamed(new)
        for other, view in enumerate(self._views):
            if other != index and name_key(view.name) == name_key(renamed.name):
                raise DuplicateViewError(
                    f"A view named {view.name!r} already exists; choose another name."
                )
        views = list(self._views)
        views[index] = renamed
        self._commit(views)
        return renamed

    def delete(self, name: str) -> SavedView:
        """Remove the view with this name and return it."""
        views = list(self._views)
        removed = views.pop(self._index(name))
        self._commit(views)
        return removed

    def _index(self, name: str) -> int:
        key = name_key(name) if isinstance(name, str) else ""
        for index, view in enumerate(self._views):
            if name_key(view.name) == key:
                return index
        raise UnknownViewError(f"There is no saved view named {name!r}.")

    def _set_aside(self, problem: str, views: list[SavedView]) -> str:
        """Rename the damaged file to ``*.bad`` and keep ``views`` (written anew)."""
        bad = self.path.with_name(self.path.name + ".bad")
        number = 1
        while bad.exists():  # never replace an earlier damaged file
            number += 1
            bad = self.path.with_name(f"{self.path.name}.{number}.bad")
        try:
            os.replace(self.path, bad)
        except OSError as error:
            self._views = views
            self._refusal = (
                f"{problem} It could not be set aside ({describe_os_error(error)}), "
                "so saved views cannot be changed until it is repaired or removed."
            )
            return self._refusal
        message = f"{problem} The file was renamed to {bad.name}"
        if not views:
            return f"{message}; saved views start empty."
        try:
            self._commit(views)
        except SavedViewError as error:
            self._views = views
            return f"{message}; the {len(views)} readable views are kept. {error}"
        return f"{message}; the {len(views)} readable views are kept."

    def _commit(self, views: list[SavedView]) -> None:
        if self._refusal is not None:
            raise SavedViewError(self._refusal)
        document = {
            "format": FILE_FORMAT,
            "version": _version_for(views),
            "views": [view.model_dump(mode="json") for view in views],
        }
        write_document(self.path, document, "the views", SavedViewError)
        self._views = views


def _version_for(views: list[SavedView]) -> int:
    """The oldest format version that holds ``views`` (see the module docstring)."""
    return 2 if any(VERSION_2_FILTERS & view.filters.keys() for view in views) else 1
