"""The JSON samples of Ecwid's orders reference page, read from the page itself.

The page (``tests/fixtures/ecwid-orders-api.txt``, a copy of ``shared/api/``) is the
text of Ecwid's "Orders" API reference. Its samples are JSON with ``// comments``
and trailing blanks; this module cuts each sample out of its section, drops the
line comments (never a ``//`` inside a string such as ``"http://…"``) and parses
it with :mod:`json`. Every call returns a fresh object, so a test may change it.

If the page is missing the calling test fails with a message saying where it
was looked for: a missing reference must never turn into skipped tests.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest

REFERENCE_PAGE = Path(__file__).resolve().parents[1] / "fixtures" / "ecwid-orders-api.txt"

# The page's section titles, each alone on its line, in page order.
SECTIONS = (
    "Search orders",
    "Get order details",
    "Get order invoice",
    "Update order",
    "Delete order",
    "Create order",
    "Upload item option file",
    "Delete item option file",
    "Delete all item option\u2019s files",
)


@cache
def _page_lines() -> tuple[str, ...]:
    if not REFERENCE_PAGE.is_file():
        pytest.fail(
            f"Ecwid reference page not found at {REFERENCE_PAGE}: these tests need "
            "the copy of the reference kept in tests/fixtures/",
            pytrace=False,
        )
    return tuple(REFERENCE_PAGE.read_text(encoding="utf-8").splitlines())


def _section_lines(title: str) -> list[str]:
    lines = _page_lines()
    starts = [i for i, line in enumerate(lines) if line.strip() == title]
    if len(starts) != 1:
        raise LookupError(f"section {title!r} found {len(starts)} times in {REFERENCE_PAGE}")
    start = starts[0]
    ends = [i for i, line in enumerate(lines) if i > start and line.strip() in SECTIONS]
    return list(lines[start + 1 : ends[0] if ends else len(lines)])


def _read_object(text: str) -> str:
    """The balanced JSON object at the start of ``text``, ``//`` comments removed."""
    out: list[str] = []
    depth = 0
    in_string = escaped = False
    i = 0
    while i < len(text):
        ch = text[i]
        if in_string:
            out.append(ch)
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
            out.append(ch)
        elif text.startswith("//", i):
            newline = text.find("\n", i)
            i = len(text) if newline == -1 else newline
            continue
        else:
            out.append(ch)
            if ch in "{[":
                depth += 1
            elif ch in "}]":
                depth -= 1
                if depth == 0:
                    return "".join(out)
        i += 1
    raise ValueError("unbalanced JSON sample in the reference page")


def sample(section: str, marker: str) -> Any:
    """The first JSON object after the line ``marker`` in ``section``."""
    lines = _section_lines(section)
    try:
        at = next(i for i, line in enumerate(lines) if line.strip() == marker)
        first = next(i for i in range(at + 1, len(lines)) if lines[i].lstrip().startswith("{"))
    except StopIteration:
        raise LookupError(f"no JSON sample after {marker!r} in section {section!r}") from None
    return json.loads(_read_object("\n".join(lines[first:])))


def search_response() -> dict[str, Any]:
    """``GET /orders``: a SearchResult with one order."""
    return sample("Search orders", "Response example (JSON)")


def get_order_response() -> dict[str, Any]:
    """``GET /orders/{orderNumber}``: one Order."""
    return sample("Get order details", "Response example (JSON)")


def update_request() -> dict[str, Any]:
    """The body of ``PUT /orders/{orderNumber}``."""
    return sample("Update order", "Request example")


def create_request() -> dict[str, Any]:
    """The body of ``POST /orders``."""
    return sample("Create order", "Request example")


def update_status_response() -> dict[str, Any]:
    """``{"updateCount": 1}``"""
    return sample("Update order", "Response example (JSON)")


def delete_status_response() -> dict[str, Any]:
    """``{"deleteCount": 1}`` (delete order)"""
    return sample("Delete order", "Response example")


def create_status_response() -> dict[str, Any]:
    """``{"id": 20}``"""
    return sample("Create order", "Response example (JSON)")


def upload_status_response() -> dict[str, Any]:
    """``{"id": 6005003}``"""
    return sample("Upload item option file", "Response example")


def delete_option_file_response() -> dict[str, Any]:
    """``{"deleteCount": 1}`` (delete one item option file)"""
    return sample("Delete item option file", "Response example")


def delete_option_files_response() -> dict[str, Any]:
    """``{"deleteCount": 2}`` (delete all files of an item option)"""
    return sample("Delete all item option\u2019s files", "Response example")
