"""What the order table asks the cache: :class:`OrderQuery` and its SQL.

:class:`OrderQuery` has one field per Ecwid search filter, named as in
:class:`~app.ecwid.filters.OrderFilters`, with Ecwid's semantics:

* ``order_number`` given -> exactly those orders (unfinished ones too); every
  other filter, the local ones included, is ignored.
* ``INCOMPLETE`` (unfinished) orders are left out unless ``payment_status``
  lists INCOMPLETE or ``include_incomplete`` is set. An explicit
  ``payment_status`` list is exact: ``include_incomplete`` only lifts the
  default exclusion.
* ``keywords``: every word must occur (as a substring, ignoring case and
  accents) in the order number or id, item names or SKUs, or customer names
  or email. ``customer``: the whole term must occur in a customer name,
  company, email or phone.
* ``email``, ``coupon_code``, ``payment_method``, ``shipping_method``: the
  whole value, ignoring case. ``vendor_order_number`` and ``ids``: exact
  values (comma lists allowed). Totals and dates: inclusive bounds.

Plus local fields: ``text`` (instant search; every word must occur as a
substring in the order number or id, a customer name, email, phone or
company, an item name or SKU, the notes or the tracking number), ``outbox_states``
(orders whose worst unconfirmed outbox state is one of these), ``sort`` and
``descending``.

Words of three characters or more are looked up in the FTS5 trigram index;
shorter ones (which a trigram index cannot hold) are matched with ``instr``
over the same folded text, so results are the same, only slower. Every value
reaches SQLite as a bound parameter; only column names chosen here are part
of the SQL text.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, field_validator

from app.ecwid.dates import parse_ecwid_datetime

from .columns import CUSTOMER_COLUMNS, INCOMPLETE_FLAG, KEYWORD_COLUMNS, SEARCH_COLUMNS, fold
from .outbox import OutboxState, severity_of

if TYPE_CHECKING:
    from app.ecwid.filters import OrderFilters

MIN_TRIGRAM_TERM = 3
INCOMPLETE = "INCOMPLETE"


class SortKey(StrEnum):
    """What the table can be sorted by; each is backed by an index."""

    NUMBER = "number"
    CREATED = "created"
    UPDATED = "updated"
    CUSTOMER = "customer"
    EMAIL = "email"
    ITEMS = "items"
    TOTAL = "total"
    PAYMENT_STATUS = "payment_status"
    FULFILLMENT_STATUS = "fulfillment_status"
    TRACKING_NUMBER = "tracking_number"


SORT_COLUMNS: dict[SortKey, tuple[str, str]] = {
    # sort key -> (column, its index in the schema)
    SortKey.NUMBER: ("order_number", "orders_number"),  # numeric, not the vendor text
    SortKey.CREATED: ("created_ts", "orders_created"),
    SortKey.UPDATED: ("updated_ts", "orders_updated"),
    SortKey.CUSTOMER: ("customer_fold", "orders_customer"),
    SortKey.EMAIL: ("email_fold", "orders_email"),
    SortKey.ITEMS: ("item_count", "orders_items"),
    SortKey.TOTAL: ("total", "orders_total"),
    SortKey.PAYMENT_STATUS: ("payment_status", "orders_payment_status"),
    SortKey.FULFILLMENT_STATUS: ("fulfillment_status", "orders_fulfillment_status"),
    SortKey.TRACKING_NUMBER: ("tracking_fold", "orders_tracking"),
}

DateLike = datetime | date | int | str


class OrderQuery(BaseModel):
    """A filtered, sorted view of the cached orders (see the module docstring)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    keywords: str | None = None
    total_from: Decimal | None = None
    total_to: Decimal | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None
    updated_from: datetime | None = None
    updated_to: datetime | None = None
    coupon_code: str | None = None
    order_number: list[int] | None = None
    vendor_order_number: str | None = None
    customer: str | None = None
    payment_method: str | None = None
    shipping_method: str | None = None
    payment_status: list[str] | None = None
    fulfillment_status: list[str] | None = None
    ids: list[str] | None = None
    email: str | None = None

    text: str | None = None
    include_incomplete: bool = False
    outbox_states: list[OutboxState] | None = None
    sort: SortKey = SortKey.CREATED
    descending: bool = True

    @field_validator("*", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            return None
        if isinstance(value, list | tuple | set | frozenset) and not value:
            return None
        return value

    @field_validator(
        "order_number",
        "ids",
        "payment_status",
        "fulfillment_status",
        "outbox_states",
        mode="before",
    )
    @classmethod
    def _single_or_comma_list(cls, value: object) -> object:
        if isinstance(value, StrEnum):
            return [value]
        if isinstance(value, str):
            parts = [part.strip() for part in value.split(",") if part.strip()]
            return parts or None
        if isinstance(value, int) and not isinstance(value, bool):
            return [value]
        if isinstance(value, tuple | set | frozenset):
            return list(value)
        return value

    @field_validator("ids", mode="before")
    @classmethod
    def _ids_are_strings(cls, value: object) -> object:
        if isinstance(value, int) and not isinstance(value, bool):
            return [str(value)]
        if isinstance(value, list):
            return [str(item) if isinstance(item, int) else item for item in value]
        return value

    @field_validator("payment_status", "fulfillment_status")
    @classmethod
    def _statuses(cls, value: list[str] | None) -> list[str] | None:
        if value is None:
            return None
        return [str(status).strip().upper() for status in value if str(status).strip()] or None

    @field_validator("created_from", "created_to", "updated_from", "updated_to", mode="before")
    @classmethod
    def _aware_datetime(cls, value: object) -> object:
        if value is None or isinstance(value, datetime) and value.tzinfo is not None:
            return value
        if isinstance(value, datetime | date | int | float | str):
            return parse_ecwid_datetime(value)  # ValueError names the bad value
        return value

    @classmethod
    def from_filters(cls, filters: OrderFilters, **local: Any) -> OrderQuery:
        """The query for Ecwid search ``filters`` plus local fields (``text``, ``sort``…)."""
        values = {name: getattr(filters, name) for name in type(filters).model_fields}
        return cls(**values, **local)

    @property
    def by_order_number(self) -> bool:
        """True when ``order_number`` overrides every other filter."""
        return bool(self.order_number)


class Incomplete(StrEnum):
    """How a condition treats the default exclusion of unfinished orders
    (only where it applies: no ``payment_status`` list, no ``include_incomplete``)."""

    EXCLUDE = "exclude"  # the query as asked: INCOMPLETE orders left out
    IGNORE = "ignore"  # no condition on the payment status
    ONLY = "only"  # only the INCOMPLETE orders


@dataclass
class Where:
    """A parameterised condition on ``orders``: ``fts`` (an FTS5 expression
    over ``orders_fts``, or ``None``) and further ``conditions`` with their ``args``."""

    conditions: list[str] = field(default_factory=list)
    args: list[Any] = field(default_factory=list)
    fts: str | None = None

    def add(self, condition: str, *args: Any) -> None:
        self.conditions.append(condition)
        self.args.extend(args)

    @property
    def sql(self) -> str:
        """The conditions besides ``fts`` (``"1"`` when there are none)."""
        return " AND ".join(self.conditions) if self.conditions else "1"

    @property
    def key(self) -> tuple[Any, ...]:
        """Identifies the condition (for remembering counts)."""
        return (self.fts, self.sql, *self.args)


def _marks(values: Sequence[Any]) -> str:
    return ",".join("?" * len(values))


def _fts_string(term: str) -> str:
    """``term`` as an FTS5 string: operators and quotes inside lose their meaning."""
    return '"' + term.replace('"', '""') + '"'


@dataclass
class _TextSearch:
    """Collects substring terms: long ones into one FTS5 expression, short ones
    into ``instr`` conditions over the same folded text."""

    fts: list[str] = field(default_factory=list)
    short: list[tuple[tuple[str, ...], str]] = field(default_factory=list)

    def add(self, term: str, columns: tuple[str, ...]) -> None:
        term = fold(term).replace("\x00", "").strip()
        if not term:
            return
        if len(term) >= MIN_TRIGRAM_TERM:
            self.fts.append("{" + " ".join(columns) + "} : " + _fts_string(term))
        else:
            self.short.append((columns, term))

    def apply(self, where: Where, *, correlated: bool, exclude_incomplete: bool) -> None:
        if self.fts:
            where.fts = " AND ".join(self.fts)
            if exclude_incomplete:
                where.fts = f"({where.fts}) NOT {{flags}} : {_fts_string(INCOMPLETE_FLAG)}"
            else:
                where.fts = f"({where.fts})"
        if not self.short:
            return
        tests, args = [], []
        for columns, term in self.short:
            if columns == SEARCH_COLUMNS:  # all of them, joined by newlines
                tests.append("instr(t.alltext, ?) > 0")
                args.append(term)
            else:
                tests.append("(" + " OR ".join(f"instr(t.{c}, ?) > 0" for c in columns) + ")")
                args.extend([term] * len(columns))
        test = " AND ".join(tests)
        if correlated:  # row by row: cheap when a walk along a sort index stops early
            where.add(
                f"EXISTS (SELECT 1 FROM order_text AS t WHERE t.rid = orders.rid AND {test})",
                *args,
            )
        else:  # one scan of all the text
            where.add(f"orders.rid IN (SELECT t.rid FROM order_text AS t WHERE {test})", *args)


def _timestamp(value: datetime, *, lower: bool) -> int:
    stamp = value.timestamp()
    return math.ceil(stamp) if lower else math.floor(stamp)


def excludes_incomplete(query: OrderQuery) -> bool:
    """True when the default exclusion of unfinished orders applies to ``query``."""
    return not (query.order_number or query.payment_status or query.include_incomplete)


def build_where(
    query: OrderQuery, *, correlated: bool = False, incomplete: Incomplete = Incomplete.EXCLUDE
) -> Where:
    """The condition selecting the orders of ``query``. ``correlated`` tests
    short search terms row by row instead of scanning all the text first;
    ``incomplete`` changes the default exclusion (for counting, see
    :func:`count_terms`)."""
    where = Where()
    if query.order_number:
        numbers = list(dict.fromkeys(query.order_number))
        where.add(f"order_number IN ({_marks(numbers)})", *numbers)
        return where

    search = _TextSearch()
    if query.keywords is not None:
        for word in query.keywords.split():
            search.add(word, KEYWORD_COLUMNS)
    if query.customer is not None:
        search.add(query.customer, CUSTOMER_COLUMNS)
    if query.text is not None:
        for word in query.text.split():
            search.add(word, SEARCH_COLUMNS)

    exclude = excludes_incomplete(query) and incomplete is Incomplete.EXCLUDE
    if query.payment_status:
        statuses = list(dict.fromkeys(query.payment_status))
        where.add(f"payment_status IN ({_marks(statuses)})", *statuses)
    elif exclude and not search.fts:
        where.add("payment_status <> ?", INCOMPLETE)
    elif excludes_incomplete(query) and incomplete is Incomplete.ONLY:
        where.add("payment_status = ?", INCOMPLETE)
    # (with index terms, the full-text index leaves unfinished orders out itself)
    if query.fulfillment_status:
        statuses = list(dict.fromkeys(query.fulfillment_status))
        where.add(f"fulfillment_status IN ({_marks(statuses)})", *statuses)
    if query.total_from is not None:
        where.add("total >= ?", float(query.total_from))
    if query.total_to is not None:
        where.add("total <= ?", float(query.total_to))
    for column, value, lower in (
        ("created_ts", query.created_from, True),
        ("created_ts", query.created_to, False),
        ("updated_ts", query.updated_from, True),
        ("updated_ts", query.updated_to, False),
    ):
        if value is not None:
            where.add(f"{column} {'>=' if lower else '<='} ?", _timestamp(value, lower=lower))
    for column, value in (
        ("email_fold", query.email),
        ("payment_method_fold", query.payment_method),
        ("shipping_method_fold", query.shipping_method),
    ):
        if value is not None:
            where.add(f"{column} = ?", fold(value.strip()))
    if query.coupon_code is not None:
        # the literal lets SQLite use the partial index of non-empty codes
        where.add("coupon_fold = ? AND coupon_fold <> ''", fold(query.coupon_code.strip()))
    if query.vendor_order_number is not None:
        numbers = [n.strip() for n in query.vendor_order_number.split(",") if n.strip()]
        if numbers:
            where.add(f"vendor_order_number IN ({_marks(numbers)})", *numbers)
    if query.ids:
        ids = list(dict.fromkeys(query.ids))
        # an order's key is its id whenever it has one
        where.add(f"key IN ({_marks(ids)}) AND order_id = key", *ids)

    search.apply(where, correlated=correlated, exclude_incomplete=exclude)

    if query.outbox_states:
        severities = sorted({severity_of(OutboxState(state)) for state in query.outbox_states})
        where.add(
            "key IN (SELECT key FROM outbox GROUP BY key "
            f"HAVING max(severity) IN ({_marks(severities)}))",
            *severities,
        )
    return where


_FTS_JOIN = "orders_fts JOIN orders ON orders.rid = orders_fts.rowid"


STATUS_INDEX = "orders_payment_status"


def count_sql(where: Where, *, index: str | None = None) -> tuple[str, list[Any]]:
    """``SELECT count(*)`` for ``where``; a text search drives from the FTS
    index; ``index`` (one of the schema's) makes SQLite walk that index."""
    if where.fts is not None and not where.conditions:
        return "SELECT count(*) FROM orders_fts WHERE orders_fts MATCH ?", [where.fts]
    if where.fts is not None:
        return (
            f"SELECT count(*) FROM {_FTS_JOIN} WHERE orders_fts MATCH ? AND {where.sql}",
            [where.fts, *where.args],
        )
    hint = f" INDEXED BY {index}" if index else ""
    return f"SELECT count(*) FROM orders{hint} WHERE {where.sql}", list(where.args)


def split_count(query: OrderQuery) -> tuple[Where, Where] | None:
    """``(all, unfinished)``: conditions whose counts subtract to ``query``'s
    count, or ``None`` when ``query`` is best counted directly.

    Leaving out unfinished orders needs the payment status of every match,
    a table lookup per row even when an index holds all the other columns
    (40 ms for 50,000 orders in a total range). Counting all matches (from
    an index alone) minus the unfinished ones (usually a few percent, read
    through the status index) gives the same number in a few milliseconds.
    A text search reads every match anyway (and a short term scans all the
    text), so it is counted directly."""
    searches = (query.text, query.keywords, query.customer)
    if not excludes_incomplete(query) or any(term is not None for term in searches):
        return None
    return (
        build_where(query, incomplete=Incomplete.IGNORE),
        build_where(query, incomplete=Incomplete.ONLY),
    )


def unfinished_condition() -> Where:
    """All unfinished orders."""
    where = Where()
    where.add("payment_status = ?", INCOMPLETE)
    return where


def prefer_sort_index(matching: int, total: int, offset: int, limit: int) -> bool:
    """Whether reading a page along the sort index beats sorting the matches.

    Along the index, SQLite visits about ``(offset + limit) * total / matching``
    rows before it has the page; the other way it visits every match once and
    keeps the best ``offset + limit`` of them. SQLite's own planner prefers a
    filter's index even when the filter keeps 80 % of the orders (and then
    sorts them all), so the cache makes this choice itself."""
    if matching <= 0:
        return False
    visits = (offset + limit) * total / matching
    return visits <= matching


def page_sql(
    query: OrderQuery, offset: int, limit: int, *, along_sort_index: bool
) -> tuple[str, list[Any]]:
    """SQL and arguments for the ``rid`` of one page of ``query``. Identifiers
    come from :data:`SORT_COLUMNS` only; ties go by ``rid``."""
    column, index = SORT_COLUMNS[SortKey(query.sort)]
    direction = "DESC" if query.descending else "ASC"
    paging = [limit, offset]
    if along_sort_index:
        where = build_where(query, correlated=True)
        args = list(where.args)
        conditions = where.sql
        if where.fts is not None:
            conditions = (
                "orders.rid IN (SELECT rowid FROM orders_fts WHERE orders_fts MATCH ?) "
                f"AND {conditions}"
            )
            args.insert(0, where.fts)
        return (
            f"SELECT orders.rid FROM orders INDEXED BY {index} WHERE {conditions} "
            f"ORDER BY orders.{column} {direction}, orders.rid {direction} LIMIT ? OFFSET ?",
            args + paging,
        )
    # "+column" keeps SQLite from walking the sort index: the filters' indexes lead
    where = build_where(query)
    order = f"ORDER BY +orders.{column} {direction}, orders.rid {direction} LIMIT ? OFFSET ?"
    if where.fts is not None:
        return (
            f"SELECT orders.rid FROM {_FTS_JOIN} WHERE orders_fts MATCH ? AND {where.sql} {order}",
            [where.fts, *where.args, *paging],
        )
    return f"SELECT orders.rid FROM orders WHERE {where.sql} {order}", [*where.args, *paging]
