"""The recorded real-order fixtures (``tests/fixtures/real_orders/``, sources in
its README): each a JSON object as Ecwid sent it.

Every call returns fresh objects, so a test may change them. A missing folder
fails the calling test (never a silently empty parametrisation).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from app.ecwid.limits import PAGE_LIMIT

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "real_orders"

SECRETS = (
    "123123123",  # the reference page's adminUrl token
    "secret_9aF3kLq2Zx7Tp0Wm",
    "secret_Lk29aQx7Pz3m8NcR",
    "secret_Zz81QwErTy",
    "3f9a0b1c2d",  # an X-Amz-Signature
    "AKIAEXAMPLE",  # an X-Amz-Credential
    "8c1f2e",  # a session id in a referrer
    "AK-77-secret",  # an access_key inside a note
)
"""Every credential the fixtures carry inside URLs: none may be stored."""


def names() -> list[str]:
    found = sorted(path.name for path in FIXTURES.glob("*.json"))
    if not found:
        pytest.fail(f"no real-order fixtures in {FIXTURES}", pytrace=False)
    return found


def text(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def load(name: str) -> dict[str, Any]:
    return json.loads(text(name))


def all_orders() -> dict[str, dict[str, Any]]:
    return {name: load(name) for name in names()}


def stores() -> list[list[str]]:
    """The fixtures grouped into stores in which no two share a key (the two
    reference samples are the same order 20, as two pages show it)."""
    from app.domain.raw_orders import raw_order_key

    groups: list[tuple[set[str], list[str]]] = []
    for name in names():
        key = raw_order_key(load(name))
        group = next((g for g in groups if key not in g[0]), None)
        if group is None:
            group = (set(), [])
            groups.append(group)
        group[0].add(str(key))
        group[1].append(name)
    return [members for _, members in groups]


def page_of(*orders: dict[str, Any] | str, total: int | None = None) -> bytes:
    """A search answer holding ``orders`` (objects, or JSON texts kept as they are)."""
    items = [o if isinstance(o, str) else json.dumps(o, ensure_ascii=False) for o in orders]
    head = {"total": len(items) if total is None else total, "count": len(items)}
    return (
        f'{{"total":{head["total"]},"count":{head["count"]},"offset":0,"limit":{PAGE_LIMIT},'
        f'"items":[{",".join(items)}]}}'
    ).encode()
