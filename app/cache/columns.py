"""The indexed columns and the search text of a cached order, taken from its JSON.

Every filter and sort of the order table runs on these columns (and on the
full-text index of :class:`SearchText`), never on the stored JSON;
:func:`index_entry` computes both from an order. Text that
is matched or sorted is *folded* by :func:`fold`: Unicode case folding with
accents removed, so ``müller``, ``MULLER`` and ``Müller`` all match, in every
script. Queries fold their terms the same way.

Orders are raw Ecwid JSON: any field may be missing or ``null``, and old
orders lack ``id`` and the timestamps (their dates carry other offsets). The
key, dates and total are read with :mod:`app.domain.raw_orders` and
:mod:`app.domain.money`, the number by the rule of
:mod:`app.domain.references`: the rules the typed models use, so both agree
on every order.
"""

from __future__ import annotations

import unicodedata
from typing import Any, NamedTuple

from app.domain import money, raw_orders
from app.domain.dates import parse_ecwid_datetime
from app.domain.money import to_cents
from app.domain.raw_orders import raw_order_key
from app.domain.references import number_shown_by

from .errors import CacheError


def fold(value: object) -> str:
    """Case-folded text without accents (``None`` -> ``""``)."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", raw_orders.storable(text))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", plain.casefold())


def order_key(order: dict[str, Any]) -> str:
    """The cache key of ``order``: its ``id``, else its ``orderNumber`` (old orders)."""
    if not isinstance(order, dict):
        raise CacheError(f"Cannot cache an order that is not a JSON object: {type(order).__name__}")
    key = raw_order_key(order)
    if key is None:
        raise CacheError("Cannot cache an order that has neither an id nor an order number.")
    return key


class OrderColumns(NamedTuple):
    """One row of the ``orders`` table (without ``rid``, ``generation`` and ``digest``)."""

    key: str
    order_id: str | None
    order_number: int | None
    vendor_order_number: str | None
    number: str
    created_ts: int | None
    updated_ts: int | None
    payment_status: str
    fulfillment_status: str
    total: float | None
    total_text: str | None
    customer: str
    customer_fold: str
    email: str
    email_fold: str
    item_count: int
    tracking_number: str
    tracking_fold: str
    payment_method: str
    payment_method_fold: str
    shipping_method: str
    shipping_method_fold: str
    coupon_code: str
    coupon_fold: str
    # schema version 3: what the current search filters need
    internal_id: int | None
    total_cents: int | None  # the total in whole cents (see app.domain.money)
    customer_id: int | None
    payment_module_fold: str
    pickup_ts: int | None
    accept_marketing: int | None  # 1 true, 0 false, None missing or not a boolean
    product_ids: str  # ",71001,71004," (every item's productId), "" without any
    subscription_ids: str  # as product_ids, for the items' subscriptionId
    has_preorder: int  # 1 when an item has isPreorder true
    referer_id: str


class SearchText(NamedTuple):
    """The folded text columns of the full-text index (one value per line)."""

    numbers: str  # order number, vendor order number, order id
    names: str  # billing and shipping person names
    email: str
    contact: str  # company names and phone numbers
    items: str  # item names and SKUs
    notes: str  # private admin notes and the customer's order comments
    tracking: str  # tracking number
    flags: str  # INCOMPLETE_FLAG for unfinished orders: a search leaves them out in the index


INCOMPLETE_FLAG = "\ue000" * 3
"""The ``flags`` text of an unfinished order: one trigram of a private-use
character that no other text holds, so its doclist is exactly those orders
(the trigrams of a word like "incomplete" occur in most emails)."""
INDEX_COLUMNS = SearchText._fields
"""The columns of ``order_text`` and ``orders_fts``."""
SEARCH_COLUMNS = INDEX_COLUMNS[:-1]
"""What the instant search looks in: every column but ``flags``."""
KEYWORD_COLUMNS = ("numbers", "names", "email", "items")
"""What Ecwid's ``keywords`` filter searches: order numbers and ids, item names
and SKUs, customer names and email."""
CUSTOMER_COLUMNS = ("names", "email", "contact")
"""What Ecwid's ``customer`` filter searches: names, company, email and phone."""


def _text(value: Any) -> str:
    return raw_orders.text(value) or ""


def _int(value: Any) -> int | None:
    return raw_orders.whole_number(value)


def _timestamp(order: dict[str, Any], stamp_field: str, date_field: str) -> int | None:
    return raw_orders.placed_timestamp(order.get(stamp_field), order.get(date_field))


def _date(text: Any) -> int | None:
    if isinstance(text, str) and text.strip():
        try:
            return int(parse_ecwid_datetime(text).timestamp())
        except ValueError:
            return None
    return None


_SQLITE_INTEGERS = range(-(2**63), 2**63)


def _whole(value: Any) -> int | None:
    """A JSON number that is a whole number (an id) SQLite can hold; anything
    else -> ``None``."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and value in _SQLITE_INTEGERS:
        return value
    return None


def _flag(value: Any) -> int | None:
    return None if not isinstance(value, bool) else int(value)


def _id_list(values: list[int]) -> str:
    """``",1,2,"``: each id between commas, so ``instr(..., ',1,')`` finds one."""
    return "," + ",".join(map(str, dict.fromkeys(values))) + "," if values else ""


def _referer_id(value: Any) -> str:
    if value is None or isinstance(value, bool | dict | list):
        return ""
    return value if isinstance(value, str) else str(value)


def _total(value: Any) -> tuple[float | None, str | None]:
    exact = money.amount(value)
    if exact is None:
        return None, None
    if isinstance(value, float):
        return value, repr(value)
    if isinstance(value, int):
        return float(value), str(value)
    return float(exact), str(exact)


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def person_name(person: Any) -> str:
    """A person's full name: ``name``, else ``firstName lastName``."""
    if not isinstance(person, dict):
        return ""
    name = _text(person.get("name")).strip()
    if name:
        return name
    parts = (_text(person.get("firstName")).strip(), _text(person.get("lastName")).strip())
    return " ".join(part for part in parts if part)


def _items(order: dict[str, Any]) -> list[dict[str, Any]]:
    items = order.get("items")
    if not isinstance(items, list):
        return []
    return [item for item in items if isinstance(item, dict)]


def index_entry(order: dict[str, Any], key: str | None = None) -> tuple[OrderColumns, SearchText]:
    """The indexed columns and the search text of ``order`` (one pass: an
    upsert runs this for every order it stores)."""
    key = order_key(order) if key is None else key
    get = order.get
    id_ = raw_orders.order_id(get("id"))
    order_id = str(id_) if id_ not in (None, "") else None
    raw_number = get("orderNumber")
    order_number = _int(raw_number)
    vendor = _text(get("vendorOrderNumber")) or None
    number = number_shown_by(vendor, order_number, id_, key)
    people = [p for p in (get("billingPerson"), get("shippingPerson")) if isinstance(p, dict)]
    names = [name for name in map(person_name, people) if name]
    customer = names[0] if names else ""
    email = _text(get("email")).strip()
    tracking = _text(get("trackingNumber")).strip()
    payment_method = _text(get("paymentMethod")).strip()
    shipping_method = _text(_dict(get("shippingOption")).get("shippingMethodName")).strip()
    coupon = _text(_dict(get("discountCoupon")).get("code")).strip()
    total, total_text = _total(get("total"))
    items = _items(order)
    count = 0
    item_texts: list[Any] = []
    product_ids: list[int] = []
    subscription_ids: list[int] = []
    preorder = 0
    for item in items:
        quantity = _int(item.get("quantity"))
        if quantity is not None:
            count += quantity
        item_texts.append(item.get("name"))
        item_texts.append(item.get("sku"))
        for found, name in ((product_ids, "productId"), (subscription_ids, "subscriptionId")):
            value = _whole(item.get(name))
            if value is not None:
                found.append(value)
        if item.get("isPreorder") is True:
            preorder = 1
    contact: list[Any] = []
    for person in people:
        contact.append(person.get("companyName"))
        contact.append(person.get("phone"))
    email_fold = fold(email)
    tracking_fold = fold(tracking)
    columns = OrderColumns(
        key,
        order_id,
        order_number,
        vendor,
        number,
        _timestamp(order, "createTimestamp", "createDate"),
        _timestamp(order, "updateTimestamp", "updateDate"),
        _text(get("paymentStatus")),
        _text(get("fulfillmentStatus")),
        total,
        total_text,
        customer,
        fold(customer),
        email,
        email_fold,
        count,
        tracking,
        tracking_fold,
        payment_method,
        fold(payment_method),
        shipping_method,
        fold(shipping_method),
        coupon,
        fold(coupon),
        _whole(get("internalId")),
        to_cents(total_text),
        _whole(get("customerId")),
        fold(_text(get("paymentModule")).strip()),
        _date(get("pickupTime")),
        _flag(get("acceptMarketing")),
        _id_list(product_ids),
        _id_list(subscription_ids),
        preorder,
        _referer_id(get("refererId")),
    )
    text = SearchText(
        _lines([raw_number, vendor, order_id]),
        _lines(names),
        email_fold,
        _lines(contact),
        _lines(item_texts),
        _lines([get("privateAdminNotes"), get("orderComments")]),
        tracking_fold,
        INCOMPLETE_FLAG if get("paymentStatus") == "INCOMPLETE" else "",
    )
    return columns, text


def _lines(values: list[Any]) -> str:
    """Distinct non-empty values, one a line, folded."""
    parts: list[str] = []
    for value in values:
        if value is None or value is True or value is False:
            continue
        text = (value if isinstance(value, str) else str(value)).strip()
        if text and text not in parts:
            parts.append(text)
    return fold("\n".join(parts))
