"""Fuzzing with mutated real orders: fields dropped, set to null, given another
type, a numeric id, dates in odd forms, junk inside lists and objects, and
credentials inside URLs anywhere.

Whatever the mutation, the typed model never raises and writes the order back
exactly (``to_api()`` keeps every unknown and odd value verbatim); the cache's
path (a search page prepared as the sync prepares it, then stored) never
raises, stores the order without its credentials and loses nothing else; the
model and the cache agree on key, number, dates and total; and the offline
invoice of the stored order renders.
"""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.cache import OrderCache, codec
from app.domain.raw_orders import raw_order_key
from app.domain.url_credentials import scrub_order
from app.ecwid import Order
from app.services.invoices.documents import render_offline_invoice, render_packing_slip
from app.services.sync.pages import prepare_page
from tests.helpers import real_orders

FUZZ = settings(
    max_examples=250,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
LEAK = "fuzz-secret-7Hq2"
ODD_TEXT = [
    "",
    " ",
    "Dec 12, 2017 8:00:00 PM",
    "2013-11-05 14:22:51 -0800",
    "2022-06-30T14:05:00Z",
    "0001-01-01 00:00:00 +1400",
    "9999-12-31 23:59:59 -1400",
    "1427268654",
    "99999999999999999999",
    "12.50",
    "NaN",
    "-Infinity",
    "1e400",
    "1e999999",
    "9" * 60,
    "17541773",
    "CUSTOM_PAYMENT_STATUS_3",
    "\u0000\n\t",
    "\ud800",
    "https://example.com/a?b=1",
    f"https://app.ecwid.com/api/v3/1/products/2/files/3?token={LEAK}",
]
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12),
    st.sampled_from(ODD_TEXT),
)
JSON_VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)
DATE_FIELDS = ("createDate", "updateDate", "launchDate", "expirationDate", "creationDate", "expire")
NUMBER_FIELDS = ("total", "subtotal", "price", "quantity", "orderNumber", "internalId")


def _places(value: Any, found: list[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
    """Every (container, key or index) in ``value``, depth first."""
    if isinstance(value, dict):
        for key, item in value.items():
            found.append((value, key))
            _places(item, found)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.append((value, index))
            _places(item, found)
    return found


def _containers(value: Any) -> list[Any]:
    return [value] + [c[k] for c, k in _places(value, []) if isinstance(c[k], dict | list)]


@st.composite
def mutated_orders(draw: st.DrawFn) -> dict[str, Any]:
    order = real_orders.load(draw(st.sampled_from(real_orders.names())))
    for _ in range(draw(st.integers(min_value=1, max_value=6))):
        kind = draw(
            st.sampled_from(
                ["drop", "null", "swap", "numeric id", "odd date", "odd number", "junk", "leak"]
            )
        )
        places = _places(order, [])
        if kind == "numeric id":
            order["id"] = draw(
                st.integers(min_value=-(2**64), max_value=2**64)
                | st.floats(allow_nan=False, allow_infinity=False)
            )
        elif kind in ("odd date", "odd number"):
            names = DATE_FIELDS if kind == "odd date" else NUMBER_FIELDS
            targets = [(c, k) for c, k in places if k in names] or [(order, names[0])]
            container, key = draw(st.sampled_from(targets))
            container[key] = draw(st.sampled_from(ODD_TEXT) | SCALARS)
        elif kind == "junk":
            container = draw(st.sampled_from(_containers(order)))
            if isinstance(container, list):
                container.insert(draw(st.integers(0, len(container))), draw(JSON_VALUES))
            else:
                container[draw(st.text(max_size=8))] = draw(JSON_VALUES)
        elif kind == "leak":
            container = draw(
                st.sampled_from([c for c in _containers(order) if isinstance(c, dict)])
            )
            container[draw(st.sampled_from(["adminUrl", "url", "imageUrl", "note"]))] = draw(
                st.sampled_from(
                    [
                        f"https://x.example/f?id=1&access_key={LEAK}",
                        f"see https://x.example/#Signature={LEAK}&a=b",
                        f"https://user:{LEAK}@x.example/",
                        f"<a href='https://x.example/?a=1&amp;API-KEY={LEAK}'>x</a>",
                    ]
                )
            )
        elif places:
            container, key = draw(st.sampled_from(places))
            if kind == "drop":
                del container[key]
            elif kind == "null":
                container[key] = None
            else:
                container[key] = draw(JSON_VALUES)
    return order


def test_the_model_and_the_cache_take_any_mutated_real_order(tmp_path):
    with OrderCache.open(tmp_path / "fuzz.sqlite3") as cache:

        @FUZZ
        @given(mutated_orders())
        def check(order: dict[str, Any]) -> None:
            sent = copy.deepcopy(order)
            _check_model(order, sent)
            _check_cache(cache, order, sent)

        check()


def _check_model(order: dict[str, Any], sent: dict[str, Any]) -> None:
    model = Order.model_validate(order)
    assert model.to_api() == sent  # nothing lost, nothing changed
    assert order == sent  # the input is left alone
    assert Order.model_validate(json.loads(codec.encode(order))).to_api() == sent  # as read
    key = raw_order_key(sent)
    if key is None:
        return
    assert model.key == key
    assert model.total is None or (type(model.total) is Decimal and model.total.is_finite())


def _check_cache(cache: OrderCache, order: dict[str, Any], sent: dict[str, Any]) -> None:
    page = prepare_page(real_orders.page_of(codec.encode(order).decode("ascii")))
    key = raw_order_key(sent)
    if key is None:
        assert (page.items, page.unkeyed) == ([], 1)  # left out, the page still reads
        return
    [prepared] = page.items
    cache.upsert_orders(page.items)
    stored = cache.order_json(key)
    clean, _ = scrub_order(sent)
    assert stored == clean  # only credentials removed
    assert LEAK not in json.dumps(stored)
    assert cache.upsert_orders([sent]).updated == []  # the same body, whatever the path
    model = Order.model_validate(clean)  # as the client reads it: credentials removed
    columns = prepared.columns
    assert (columns.key, columns.number) == (model.key, model.display_number)
    assert (columns.created_ts, columns.updated_ts) == (
        model.created_timestamp,
        model.updated_timestamp,
    )
    assert (None if columns.total_text is None else Decimal(columns.total_text)) == model.total
    render_offline_invoice(stored, None)
    render_packing_slip(stored, None)
