"""An :class:`~app.domain.queries.OrderQuery` as SQL, and how it is run fast.

Every value reaches SQLite as a bound parameter; only column and index names
chosen here are part of the SQL text.

Text: words of three characters or more are looked up in the FTS5 trigram
index (an FTS5 string each, so quotes and operators in them mean nothing);
shorter ones too when they are rare, as "any of the trigrams that begin
with them" (``terms``, found by :mod:`app.cache.short_terms`); common short
ones, and every word while the index is incomplete, are matched with
``instr`` over the same folded text, so the results are the same, only slower.
Unfinished orders are left out of a text search inside the index itself
(their ``flags`` column), so a search alone is counted from the index alone.

Plans the cache chooses itself, because SQLite's statistics know only
averages (e.g. the average number of orders per payment status, while PAID
holds 77 % of them):

* a page is read along the sort key's index when the filters keep many
  orders (:func:`prefer_sort_index`), else the matches are found through the
  filters' indexes and only their sort keys and ids are sorted;
* when several filters could lead, the narrowest does (:class:`Driver`);
* with the default exclusion of unfinished orders, a count is "all matches
  minus the unfinished matches" (:func:`split_count`), both from indexes.

A page is read in two steps: the ids of the page, then its rows by id, so
sorting never carries whole rows.

An instant search of one word that is an order's number, vendor number or id
("3913", "DEMO-QQF60") lists that order first (:func:`exact_sql`,
a few index lookups), then the rest in the chosen sort: the cache pins its
rows at the top and leaves them out of the pages below (``exclude`` of
:func:`page_sql`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from app.domain.money import to_cents
from app.domain.outbox import OutboxState, severity_of
from app.domain.queries import OrderQuery, SortKey

from . import item_ids
from .columns import CUSTOMER_COLUMNS, INCOMPLETE_FLAG, KEYWORD_COLUMNS, SEARCH_COLUMNS, fold
from .invoice_prints import NOT_PRINTED_CONDITION, PRINTED_CONDITION
from .short_terms import NO_MATCH

MIN_TRIGRAM_TERM = 3
INCOMPLETE = "INCOMPLETE"
_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1
STATUS_INDEX = "orders_payment_status"

SORT_COLUMNS: dict[SortKey, tuple[str, str]] = {
    # sort key -> (column, its index in the schema)
    SortKey.NUMBER: ("order_number", "orders_number"),  # numeric, not the vendor text
    SortKey.CREATED: ("created_ts", "orders_created"),
    SortKey.UPDATED: ("updated_ts", "orders_updated"),
    SortKey.CUSTOMER: ("customer_fold", "orders_customer"),
    SortKey.EMAIL: ("email_fold", "orders_email"),
    SortKey.ITEMS: ("item_count", "orders_items"),
    # the total sorts by its cents (one index serves the sort and the range filter)
    SortKey.TOTAL: ("total_cents", "orders_total_cents"),
    SortKey.PAYMENT_STATUS: ("payment_status", "orders_payment_status"),
    SortKey.FULFILLMENT_STATUS: ("fulfillment_status", "orders_fulfillment_status"),
    SortKey.TRACKING_NUMBER: ("tracking_fold", "orders_tracking"),
}


class Incomplete(StrEnum):
    """How a condition treats the default exclusion of unfinished orders
    (only where it applies: no ``payment_status`` list, no ``include_incomplete``)."""

    EXCLUDE = "exclude"  # the query as asked: INCOMPLETE orders left out
    IGNORE = "ignore"  # no condition on the payment status
    ONLY = "only"  # only the INCOMPLETE orders


_DRIVER_PRIORITY = {
    index: rank
    for rank, index in enumerate(
        (
            "orders_customer_id",
            "orders_email",
            "orders_referer",
            "orders_vendor_number",
            "orders_coupon",
            "orders_preorder",
            "orders_pickup",
            "orders_created",
            "orders_updated",
            "orders_total_cents",
            "orders_fulfillment_status",
            "orders_payment_status",
            "orders_shipping_method",
            "orders_payment_method",
            "orders_payment_module",
            "orders_flags",
        )
    )
}


@dataclass(frozen=True)
class Driver:
    """A condition an index can answer alone: a candidate to lead a query.

    SQLite knows only the average number of orders per status or method, so
    it happily walks 77,000 PAID orders when "created in the last 90 days"
    would give 12,000. The cache asks the candidates themselves (index-only
    counts, each stopped as soon as it exceeds the best so far) and makes
    the winner lead with ``INDEXED BY``."""

    index: str
    condition: str
    args: list[Any]
    rows_sql: str | None = None  # another table's rows to count (then it cannot lead)

    @property
    def priority(self) -> int:
        """Which candidates to count first: the usually narrow ones (a first
        small count caps the others' counts)."""
        return _DRIVER_PRIORITY.get(self.index, len(_DRIVER_PRIORITY))

    @property
    def can_lead(self) -> bool:
        """Whether it is an index of ``orders`` (``INDEXED BY`` can name it)."""
        return self.rows_sql is None

    def count_sql(self, cap: int) -> tuple[str, list[Any]]:
        """Count its rows, stopping after ``cap``."""
        rows = (
            self.rows_sql or f"SELECT 1 FROM orders INDEXED BY {self.index} WHERE {self.condition}"
        )
        return f"SELECT count(*) FROM ({rows} LIMIT ?)", [*self.args, cap]


@dataclass
class Where:
    """A parameterised condition on ``orders``: ``fts`` (an FTS5 expression
    over ``orders_fts``, or ``None``) and further ``conditions`` with their ``args``."""

    conditions: list[str] = field(default_factory=list)
    args: list[Any] = field(default_factory=list)
    fts: str | None = None
    drivers: list[Driver] = field(default_factory=list)

    def add(
        self, condition: str, *args: Any, index: str | None = None, rows_sql: str | None = None
    ) -> None:
        """Add a condition; ``index`` names the index that can find its rows
        (a candidate to lead the query, see :class:`Driver`), or ``rows_sql``
        selects them from another table (counted, never leading)."""
        self.conditions.append(condition)
        self.args.extend(args)
        if index is not None or rows_sql is not None:
            self.drivers.append(Driver(index or "", condition, list(args), rows_sql))

    def add_range(self, column: str, index: str, low: Any, high: Any) -> None:
        """``column`` between ``low`` and ``high`` (either may be ``None``), one candidate."""
        parts, args = [], []
        if low is not None:
            parts.append(f"{column} >= ?")
            args.append(low)
        if high is not None:
            parts.append(f"{column} <= ?")
            args.append(high)
        if parts:
            self.add(" AND ".join(parts), *args, index=index)

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


def folded_word(term: str) -> str:
    """A search word as it is matched (folded, without NULs, stripped)."""
    return fold(term).replace("\x00", "").strip()


def short_words(query: OrderQuery) -> list[str]:
    """The words of ``query``'s text searches too short for the trigram index."""
    if query.order_number:
        return []
    words = [*(query.keywords or "").split(), *(query.text or "").split()]
    if query.customer is not None:
        words.append(query.customer)
    found = (folded_word(word) for word in words)
    return list(dict.fromkeys(w for w in found if 0 < len(w) < MIN_TRIGRAM_TERM))


@dataclass
class _TextSearch:
    """Collects substring terms: long ones (and short ones ``terms`` resolves)
    into one FTS5 expression, the other short ones into ``instr`` conditions
    over the same folded text."""

    fts: list[str] = field(default_factory=list)
    short: list[tuple[tuple[str, ...], str]] = field(default_factory=list)
    nothing: bool = False  # a short word no order holds

    use_fts: bool = True
    terms: Mapping[str, str | None] = field(default_factory=dict)

    def add(self, term: str, columns: tuple[str, ...]) -> None:
        term = folded_word(term)
        if not term:
            return
        resolved = self.terms.get(term) if self.use_fts else None
        if self.use_fts and len(term) >= MIN_TRIGRAM_TERM:
            self.fts.append("{" + " ".join(columns) + "} : " + _fts_string(term))
        elif resolved == NO_MATCH:
            self.nothing = True
        elif resolved is not None:
            self.fts.append("{" + " ".join(columns) + "} : " + resolved)
        else:
            self.short.append((columns, term))

    def apply(self, where: Where, *, correlated: bool, exclude_incomplete: bool) -> None:
        if self.nothing:
            where.add("0")
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


MAX_EXACT = 20  # orders listed first for one searched number (more would be no pin)


def exact_term(query: OrderQuery) -> str | None:
    """The instant search's one word, which may be an order's number or id;
    ``None`` for no search or several words."""
    if query.deleted or query.order_number or not query.text:
        return None
    words = query.text.split()
    if len(words) != 1:
        return None
    return words[0]


def exact_sql(
    query: OrderQuery,
    term: str,
    *,
    use_fts: bool = True,
    terms: Mapping[str, str | None] | None = None,
) -> tuple[str, list[Any]]:
    """The ``rid`` of the orders ``query`` selects whose order number, vendor
    number or id is ``term`` (ids in any case), in ``query``'s sort order.

    The identity is found through the indexes of those columns, one look-up
    each, their ``rid``s joined (a UNION, so no plan can read every order
    instead: an OR of the same conditions was read along the sort order,
    ~0.4 s a keystroke at a million orders); the query's own conditions are
    then tested on those few rows only (the full-text match by ``rowid``),
    so this costs a few index lookups per keystroke."""
    number = int(term) if term.isdigit() and int(term) <= _INT64_MAX else None
    texts = list(dict.fromkeys((term, term.upper())))
    marks = _marks(texts)
    lookups = [
        f"SELECT rid FROM orders WHERE vendor_order_number IN ({marks})",
        f"SELECT rid FROM orders WHERE key IN ({marks})",
        # (the id's index is partial: ids that differ from the key)
        f"SELECT rid FROM orders WHERE order_id IN ({marks}) AND order_id IS NOT NULL"
        " AND order_id <> key",
    ]
    args: list[Any] = texts * 3
    if number is not None:
        lookups.insert(0, "SELECT rid FROM orders WHERE order_number = ?")
        args.insert(0, number)
    identity = [f"orders.rid IN ({' UNION '.join(lookups)})"]
    where = build_where(query, correlated=True, use_fts=use_fts, terms=terms)
    conditions = [*identity, where.sql]
    args += where.args
    if where.fts is not None:
        conditions.append(
            "EXISTS (SELECT 1 FROM orders_fts WHERE orders_fts MATCH ? "
            "AND orders_fts.rowid = orders.rid)"
        )
        args.append(where.fts)
    column, _ = SORT_COLUMNS[SortKey(query.sort)]
    direction = "DESC" if query.descending else "ASC"
    return (
        f"SELECT orders.rid FROM orders WHERE {' AND '.join(conditions)} "
        f"ORDER BY orders.{column} {direction}, orders.rid {direction} LIMIT ?",
        [*args, MAX_EXACT],
    )


def pinned_before_sql(
    query: OrderQuery, pinned: Sequence[int], value: Any, rid: int
) -> tuple[str, list[Any]]:
    """How many of the ``pinned`` orders come before the order whose sort
    value is ``value`` and whose ``rid`` is ``rid`` in ``query``'s order."""
    before, args = _rows_before(query, value, rid)
    return (
        f"SELECT count(*) FROM orders WHERE orders.rid IN ({_marks(pinned)}) AND {before}",
        [*pinned, *args],
    )


def _timestamp(value: datetime, *, lower: bool) -> int:
    stamp = value.timestamp()
    return math.ceil(stamp) if lower else math.floor(stamp)


def has_short_text(query: OrderQuery, terms: Mapping[str, str | None] | None = None) -> bool:
    """True when a word of ``query``'s searches is shorter than the trigram
    index can hold and ``terms`` did not resolve it (a common one): its
    matches are found by scanning the search text, so counting them reads
    every order (a page along the sort index stops early)."""
    known = terms or {}
    return any(known.get(word) is None for word in short_words(query))


def excludes_incomplete(query: OrderQuery) -> bool:
    """True when the default exclusion of unfinished orders applies to ``query``."""
    return not (query.order_number or query.payment_status or query.include_incomplete)


def build_where(
    query: OrderQuery,
    *,
    correlated: bool = False,
    walk: bool | None = None,
    incomplete: Incomplete = Incomplete.EXCLUDE,
    use_fts: bool = True,
    terms: Mapping[str, str | None] | None = None,
) -> Where:
    """The condition selecting the orders of ``query``. ``terms``: the FTS5
    expressions of the short words found rare (:mod:`app.cache.short_terms`).
    ``correlated`` tests short search terms row by row instead of scanning
    all the text first, and (unless ``walk`` is False) looks the items' ids
    up order by order, for a walk along a sort index; ``incomplete`` changes
    the default exclusion (for counting, see :func:`split_count`);
    ``use_fts=False`` matches every term with ``instr`` (while the full-text
    index is incomplete)."""
    where = Where()
    if query.order_number:
        # a number beyond SQLite's 64-bit integers names no order (NULL matches none)
        numbers = [n if _INT64_MIN <= n <= _INT64_MAX else None for n in query.order_number]
        numbers = list(dict.fromkeys(numbers))
        where.add(f"order_number IN ({_marks(numbers)})", *numbers)
        return where

    search = _TextSearch(use_fts=use_fts, terms=terms or {})
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
        where.add(f"payment_status IN ({_marks(statuses)})", *statuses, index=STATUS_INDEX)
    elif exclude and not search.fts:
        where.add("payment_status <> ?", INCOMPLETE)
    elif excludes_incomplete(query) and incomplete is Incomplete.ONLY:
        where.add("payment_status = ?", INCOMPLETE, index=STATUS_INDEX)
    # (with index terms, the full-text index leaves unfinished orders out itself)
    if query.fulfillment_status:
        fulfillment = list(dict.fromkeys(query.fulfillment_status))
        where.add(
            f"fulfillment_status IN ({_marks(fulfillment)})",
            *fulfillment,
            index="orders_fulfillment_status",
        )
    # totals in whole cents: a stored 29.439999999999998 is 29.44
    where.add_range(
        "total_cents", "orders_total_cents", to_cents(query.total_from), to_cents(query.total_to)
    )
    for column, index, low, high in (
        ("created_ts", "orders_created", query.created_from, query.created_to),
        ("updated_ts", "orders_updated", query.updated_from, query.updated_to),
        ("pickup_ts", "orders_pickup", query.pickup_time_from, query.pickup_time_to),
    ):
        where.add_range(
            column,
            index,
            None if low is None else _timestamp(low, lower=True),
            None if high is None else _timestamp(high, lower=False),
        )
    for column, index, value in (
        ("email_fold", "orders_email", query.email),
        ("payment_method_fold", "orders_payment_method", query.payment_method),
        ("shipping_method_fold", "orders_shipping_method", query.shipping_method),
    ):
        if value is not None:
            where.add(f"{column} = ?", fold(value.strip()), index=index)
    if query.payment_module is not None:
        # the literal lets SQLite use the partial index of orders that name a module
        where.add(
            "payment_module_fold = ? AND payment_module_fold <> ''",
            fold(query.payment_module.strip()),
            index="orders_payment_module",
        )
    if query.customer_id is not None:
        where.add("customer_id = ?", query.customer_id, index="orders_customer_id")
    if query.coupon_code is not None:
        # the literal lets SQLite use the partial index of non-empty codes
        where.add(
            "coupon_fold = ? AND coupon_fold <> ''",
            fold(query.coupon_code.strip()),
            index="orders_coupon",
        )
    if query.vendor_order_number is not None:
        vendor_numbers = [n.strip() for n in query.vendor_order_number.split(",") if n.strip()]
        if vendor_numbers:
            where.add(
                f"vendor_order_number IN ({_marks(vendor_numbers)})",
                *vendor_numbers,
                index="orders_vendor_number",
            )
    if query.ids:
        _add_ids(where, list(dict.fromkeys(query.ids)), query.internal_ids)
    _add_item_ids(where, query, correlated=correlated if walk is None else walk)
    _add_referrer_and_flags(where, query)

    search.apply(where, correlated=correlated, exclude_incomplete=exclude)

    if query.outbox_states:
        severities = sorted({severity_of(OutboxState(state)) for state in query.outbox_states})
        where.add(
            f"key IN (SELECT key FROM order_marks WHERE severity IN ({_marks(severities)}))",
            *severities,
        )
    if query.invoice_printed is not None:
        where.add(PRINTED_CONDITION if query.invoice_printed else NOT_PRINTED_CONDITION)
    return where


def _add_ids(where: Where, ids: list[str], internal: list[int]) -> None:
    """Orders whose id is one of ``ids`` (an order's key is its id whenever it
    has one), or whose internal id is one of ``internal``."""
    condition = f"(key IN ({_marks(ids)}) AND order_id = key)"
    args: list[Any] = list(ids)
    if internal:
        condition = f"({condition} OR internal_id IN ({_marks(internal)}))"
        args += internal
    where.add(condition, *args)


def _add_item_ids(where: Where, query: OrderQuery, *, correlated: bool) -> None:
    """Product and subscription ids of the items: ranges of ``order_item_ids``
    (see :mod:`app.cache.item_ids`); ``correlated``: looked up for each order
    a walk meets, instead of all read first."""
    if query.product_id:
        _add_item_condition(where, item_ids.PRODUCT, query.product_id, correlated)
    if query.subscription_id is not None:
        _add_item_condition(where, item_ids.SUBSCRIPTION, [query.subscription_id], correlated)


def _add_item_condition(where: Where, kind: int, ids: list[int], correlated: bool) -> None:
    sql, args = item_ids.condition(kind, ids, correlated=correlated)
    where.add(sql, *args, rows_sql=item_ids.rows_sql(kind, ids))


def _add_referrer_and_flags(where: Where, query: OrderQuery) -> None:
    """The referrer (a partial index of the orders that have one) and the yes/no filters."""
    if query.referer_id is not None:
        # the literal lets SQLite use the partial index of orders with a referrer
        where.add("referer_id = ? AND referer_id <> ''", query.referer_id, index="orders_referer")
    if query.contains_preorder_items:
        # the literal lets SQLite use the partial index of orders with pre-order items
        where.add("has_preorder = 1", index="orders_preorder")
    elif query.contains_preorder_items is not None:
        where.add("has_preorder = ?", 0, index="orders_flags")
    if query.accept_marketing is not None:
        where.add("accept_marketing = ?", int(query.accept_marketing))


_FTS_JOIN = "orders_fts JOIN orders ON orders.rid = orders_fts.rowid"


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


def capped_count_sql(where: Where, cap: int, *, index: str | None = None) -> tuple[str, list[Any]]:
    """As :func:`count_sql`, but reading at most ``cap`` matches (the count
    is then ``cap``: "at least")."""
    sql, args = count_sql(where, index=index)
    inner = sql.replace("SELECT count(*) FROM ", "SELECT 1 FROM ", 1)
    return f"SELECT count(*) FROM ({inner} LIMIT ?)", [*args, cap]


MATCHED_SQL = (
    "SELECT count(*), json_group_array(rowid) "
    "FROM (SELECT rowid FROM orders_fts WHERE orders_fts MATCH ? LIMIT ?)"
)
"""How many orders a search matches (at most ``?``) and their ids, as a JSON
array made by SQLite (see :class:`Matched`): ~0.3 ms more than the count
alone for 8,000 matches; the same ids read into Python cost 3 ms more."""
_MATCHED_IDS = "orders.rid IN (SELECT value FROM json_each(?))"


@dataclass(frozen=True)
class Matched:
    """The orders a search index expression matched when it was counted:
    ``count`` of them, their ids in ``ids`` (a JSON array). A page of the
    same search reads them (``json_each``) instead of reading the index's
    lists for every trigram of its words again: half the time of a search
    word of a dozen letters, and its page is planned knowing how many match."""

    count: int
    ids: str


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


WALK_STEPS_PER_LOOKUP = 10
"""How many entries of the sort index a walk reads for the cost of one
order looked up by its id (when the walk's test needs only the entry's id)."""


def prefer_sort_index(
    matching: int, total: int, offset: int, limit: int, *, by_id: bool = False
) -> bool:
    """Whether reading a page along the sort index beats sorting the matches.

    Along the index, SQLite visits about ``(offset + limit) * total / matching``
    rows before it has the page; the other way it visits every match once and
    keeps the best ``offset + limit`` of them. SQLite's own planner prefers a
    filter's index even when the filter keeps 80 % of the orders (and then
    sorts them all), so the cache makes this choice itself. ``by_id``: every
    test of the walk needs only the order's id, which each index entry holds
    (a text search's matches, the items' ids), while sorting the matches looks
    each one up: a visit costs a tenth of a match."""
    if matching <= 0:
        return False
    visits = (offset + limit) * total / matching
    return visits <= matching * (WALK_STEPS_PER_LOOKUP if by_id else 1)


def tests_only_ids(query: OrderQuery, where: Where) -> bool:
    """Whether ``where`` needs nothing of an order but its id: a text search
    (which leaves unfinished orders out in the index) or the items' ids,
    and nothing else."""
    return all(condition.startswith("orders.rid IN ") for condition in where.conditions) and (
        where.fts is not None or bool(where.conditions)
    )


def page_sql(
    query: OrderQuery,
    offset: int,
    limit: int,
    *,
    along_sort_index: bool | None,
    lead: str | None = None,
    terms: Mapping[str, str | None] | None = None,
    use_fts: bool = True,
    exclude: Sequence[int] = (),
    matched: Mapping[str, Matched] | None = None,
) -> tuple[str, list[Any]]:
    """SQL and arguments for the ``rid`` of one page of ``query``. Identifiers
    come from :data:`SORT_COLUMNS` only; ties go by ``rid``. ``along_sort_index``
    ``None``: no indexes to choose from (the cache is filling). ``exclude``:
    ``rid`` left out (the orders listed first, see :func:`exact_sql`).
    ``matched``: the matches of search index expressions already counted
    (:class:`Matched`), read instead of the index."""
    column, index = SORT_COLUMNS[SortKey(query.sort)]
    direction = "DESC" if query.descending else "ASC"
    paging = [limit, offset]

    def without(where: Where) -> Where:
        if exclude:
            where.add(f"orders.rid NOT IN ({_marks(exclude)})", *exclude)
        return where

    if along_sort_index is None:
        where = without(build_where(query, use_fts=False))  # (the search index is incomplete)
        return (
            f"SELECT orders.rid FROM orders WHERE {where.sql} "
            f"ORDER BY orders.{column} {direction}, orders.rid {direction} LIMIT ? OFFSET ?",
            [*where.args, *paging],
        )
    if along_sort_index:
        where = without(build_where(query, correlated=True, use_fts=use_fts, terms=terms))
        args = list(where.args)
        conditions = where.sql
        known = (matched or {}).get(where.fts) if where.fts is not None else None
        if known is not None:
            conditions = f"{_MATCHED_IDS} AND {conditions}"
            args.insert(0, known.ids)
        elif where.fts is not None:
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
    # "+column" keeps SQLite from walking the sort index: the filters' indexes
    # lead (``lead`` names the one to use)
    where = build_where(query, use_fts=use_fts, terms=terms)
    if any(driver.can_lead for driver in where.drivers):
        # an index finds the candidates: test short words on each of them
        where = build_where(query, use_fts=use_fts, terms=terms, correlated=True, walk=False)
    where = without(where)
    order = f"ORDER BY +orders.{column} {direction}, orders.rid {direction} LIMIT ? OFFSET ?"
    known = (matched or {}).get(where.fts) if where.fts is not None else None
    if known is not None:
        return (
            f"SELECT orders.rid FROM orders WHERE {_MATCHED_IDS} AND {where.sql} {order}",
            [known.ids, *where.args, *paging],
        )
    if where.fts is not None:
        return (
            f"SELECT orders.rid FROM {_FTS_JOIN} WHERE orders_fts MATCH ? AND {where.sql} {order}",
            [where.fts, *where.args, *paging],
        )
    hint = f" INDEXED BY {lead}" if lead else ""
    return (
        f"SELECT orders.rid FROM orders{hint} WHERE {where.sql} {order}",
        [*where.args, *paging],
    )


def _rows_before(query: OrderQuery, value: Any, rid: int) -> tuple[str, list[Any]]:
    """The condition "comes before the order whose sort value is ``value`` and
    whose ``rid`` is ``rid``" in ``query``'s order (as :func:`page_sql` sorts:
    by the sort column, then by ``rid``, both in the query's direction; SQLite
    puts NULLs first going up and last going down)."""
    column, _ = SORT_COLUMNS[SortKey(query.sort)]
    column = f"orders.{column}"
    if query.descending:
        if value is None:  # NULLs come last: every value, then NULLs with a larger rid
            return f"({column} IS NOT NULL OR orders.rid > ?)", [rid]
        return f"({column}, orders.rid) > (?, ?)", [value, rid]
    if value is None:  # NULLs come first: only NULLs with a smaller rid
        return f"{column} IS NULL AND orders.rid < ?", [rid]
    return f"({column} IS NULL OR ({column}, orders.rid) < (?, ?))", [value, rid]


def position_sql(
    query: OrderQuery,
    value: Any,
    rid: int,
    *,
    use_fts: bool = True,
    terms: Mapping[str, str | None] | None = None,
) -> tuple[tuple[str, list[Any]], list[tuple[int, str, list[Any]]]]:
    """How to find the row number of one order in ``query``'s result.

    ``value`` and ``rid`` are the order's sort column value and internal id.
    Returns ``(member, counts)``: ``member`` counts 1 when ``query`` selects
    the order, 0 otherwise; ``counts`` are ``(sign, sql, args)`` whose signed
    counts add up to the number of orders ``query`` puts before it (split
    like :func:`split_count` when that helps, so each count reads an index)."""
    member = build_where(query, correlated=True, use_fts=use_fts, terms=terms)
    member.add("orders.rid = ?", rid)
    split = split_count(query) if use_fts else None
    if split is None:
        parts = [(1, build_where(query, use_fts=use_fts, terms=terms))]
    else:
        parts = [(1, split[0]), (-1, split[1])]
    before, args = _rows_before(query, value, rid)
    counts = []
    for sign, where in parts:
        where.add(before, *args)
        counts.append((sign, *count_sql(where)))
    return count_sql(member), counts


def sort_value_sql(query: OrderQuery) -> str:
    """SQL giving ``rid`` and the sort column value of the order whose key is the parameter."""
    column, _ = SORT_COLUMNS[SortKey(query.sort)]
    return f"SELECT rid, {column} FROM orders WHERE key = ?"
