"""The order table's model over the local cache: :class:`CachedOrderTableModel`.

It holds a query and the number of orders it selects, never the orders
themselves: rows are read from its row source
(:class:`~app.services.orders.rows.OrderRows`, the session's) in blocks of
:data:`BLOCK_SIZE` the first time the view asks for one of them, and at most
:data:`MAX_BLOCKS` blocks are kept (least recently used ones are dropped).
After a new query only the first screen's :data:`FIRST_ROWS` are read; the
rest of the first block follows when the view asks for a row past them.
SQLite filters and sorts; :meth:`CachedOrderTableModel.sort` only changes the
query. Totals are shown in the store's currency, statuses by the store's own
names. Over the rows of several stores (*All stores*) each row's key names
its store, the Store column shows it (a colour chip and the store's name; a
sort by it lists the stores one after another), and each order's total and
statuses are shown in its own store's currency and words. The ECDP column
says whether each order was sent to the window's ECDP account
(:meth:`CachedOrderTableModel.set_ecdp_target`): its push states are read
with the rows of each block, in one query per block.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    QRectF,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap

from app.domain.errors import LocalDataError
from app.domain.queries import OrderQuery, SortKey
from app.services.ecdp.status import PushOutcome, PushState
from app.services.orders.rows import CachedOrderRow, OrderRows, StoreTag
from ui.common.dates import display_locale, medium_date_time, short_date_time

log = logging.getLogger(__name__)

ROW_ROLE = Qt.ItemDataRole.UserRole + 1  # the CachedOrderRow
KEY_ROLE = Qt.ItemDataRole.UserRole + 2  # the order key
STATUS_ROLE = Qt.ItemDataRole.UserRole + 3  # the raw status code (payment, fulfillment, sync)

BLOCK_SIZE = 200
MAX_BLOCKS = 64
FIRST_ROWS = 64
"""Rows read for the first screen of a new query (more than a tall window
shows). Each keystroke of a search reads them: reading a whole block cost
5–6 ms more a keystroke across three stores of 300,000 orders (the rows'
pages, their push states), for rows nobody had scrolled to yet."""

SYNC_STATE_NAMES = {
    "WAITING": "Not sent yet",
    "SENDING": "Sending",
    "FAILED": "Not sent yet",
    "REFUSED": "Refused",
    "CONFLICT": "Conflict",
    "OVERWRITTEN": "Overwritten",
    "RECOVERED": "Recovered",
}
SYNC_STATE_TIPS = {
    "WAITING": "Changed here; the store's value is shown until the next sync sends the change",
    "SENDING": "Being sent to the store",
    "FAILED": "Changed here, but the store could not take it yet; it is sent again at the "
    "next sync (the store's value is shown until then)",
    "REFUSED": "The store refused a change made here: open the outbox to retry or discard it",
    "CONFLICT": "Changed in the store meanwhile: open the outbox to choose which version to keep",
    "OVERWRITTEN": "Someone changed again what was saved here: open the outbox to put yours "
    "back or keep theirs",
    "RECOVERED": "A change read back from a damaged outbox file: open the outbox to send or "
    "discard it",
}

ECDP_NAMES = {
    PushOutcome.NOT_SENT: "Not sent",
    PushOutcome.SENT: "Sent",
    PushOutcome.CHANGED: "Changed since sent",
    PushOutcome.FAILED: "Failed",
    PushOutcome.UNMATCHED: "Cannot be matched",
}

STORE_COLOURS = (  # one per store (then again): told apart in light and dark
    "#3b7dd8",
    "#e0802b",
    "#3aa35b",
    "#b05cc6",
    "#d9464b",
    "#2aa5a0",
    "#c9a227",
    "#8c6a4f",
    "#6f7f95",
)

Index = QModelIndex | QPersistentModelIndex
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)


class CachedOrderTableModel(QAbstractTableModel):
    """The orders a query selects in the cache, read lazily block by block."""

    (
        NUMBER,
        DATE,
        CUSTOMER,
        EMAIL,
        ITEMS,
        TOTAL,
        PAYMENT,
        FULFILLMENT,
        TRACKING,
        SYNC,
        PRINTED,
        ECDP,
        STORE,
    ) = range(13)
    HEADERS = (
        "Order",
        "Date",
        "Customer",
        "Email",
        "Items",
        "Total",
        "Payment",
        "Fulfillment",
        "Tracking",
        "Sync",
        "Invoice printed",
        "ECDP",
        "Store",
    )
    COLUMN_IDS = (
        "number",
        "date",
        "customer",
        "email",
        "items",
        "total",
        "payment",
        "fulfillment",
        "tracking",
        "sync",
        "printed",
        "ecdp",
        "store",
    )  # stable names for saved layouts (a new column goes last: saved header states keep theirs)
    SORT_KEYS = {
        NUMBER: SortKey.NUMBER,
        DATE: SortKey.CREATED,
        CUSTOMER: SortKey.CUSTOMER,
        EMAIL: SortKey.EMAIL,
        ITEMS: SortKey.ITEMS,
        TOTAL: SortKey.TOTAL,
        PAYMENT: SortKey.PAYMENT_STATUS,
        FULFILLMENT: SortKey.FULFILLMENT_STATUS,
        TRACKING: SortKey.TRACKING_NUMBER,
    }
    STATUS_COLUMNS = (PAYMENT, FULFILLMENT, SYNC)

    sortChanged = Signal(int, Qt.SortOrder)  # column (-1: none shown), order
    readFailed = Signal(str)  # a cache read failed: the message for the user
    countingChanged = Signal(bool)  # noqa: N815 - rows shown before they were all counted

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._source: OrderRows | None = None
        self._query = OrderQuery()
        self._count = 0
        self._blocks: OrderedDict[int, list[CachedOrderRow]] = OrderedDict()
        self._first_read = False  # block 0 was read since the last reset
        self._first_short = False  # ... and holds only the first screen's rows
        self._rows_fetched = 0
        self._locale = display_locale()
        self._currency_symbol = ""
        self._status_names: dict[str, str] = {}
        self._counting: asyncio.Future[None] | None = None
        self._ecdp_target: str | None = None
        self._ecdp_states: dict[int, dict[str, PushState]] = {}  # block number -> key -> state
        self._store_of: Callable[[str], StoreTag | None] | None = None
        self._symbols: dict[str, str] = {}  # currency code -> the symbol shown
        self._chips: dict[tuple[int, int], QIcon] = {}  # (store number, size) -> its colour chip

    # -- our API --------------------------------------------------------------

    @property
    def query(self) -> OrderQuery:
        return self._query

    @property
    def source(self) -> OrderRows | None:
        """Where the rows come from (``None``: an empty table)."""
        return self._source

    @property
    def across_stores(self) -> bool:
        """Whether the rows come from several stores (the Store column means something)."""
        return self._source is not None and hasattr(self._source, "tags")

    @property
    def rows_fetched(self) -> int:
        """How many rows were read from the cache so far (for tests of laziness)."""
        return self._rows_fetched

    def set_source(self, cache: OrderRows | None) -> None:
        """Show the orders of ``cache`` (``None``: an empty table)."""
        self._source = cache
        self._store_of = getattr(cache, "store_of", None) if self.across_stores else None
        self._reload()

    def set_query(self, query: OrderQuery) -> None:
        """Show a new result set."""
        old_sort = (self.sort_column(), self.sort_order())
        self._reload(query)
        if (self.sort_column(), self.sort_order()) != old_sort:
            self.sortChanged.emit(self.sort_column(), self.sort_order())

    def refresh(self) -> None:
        """The cache changed (a sync, an edit): count again and forget the rows read."""
        self._reload()

    async def refresh_in_background(self) -> None:
        """:meth:`refresh`, with the count and the first rows read in a worker
        thread (the first queries after a sync built the cache's indexes can
        take a few hundred milliseconds); the GUI thread only swaps them in."""
        cache, query = self._source, self._query
        if cache is None:
            self.refresh()
            return

        target = self._ecdp_target

        def read() -> tuple[int, list[CachedOrderRow], dict[str, PushState]]:
            first = cache.rows(query, 0, FIRST_ROWS)
            return cache.count(query), first, _read_ecdp(cache, first, target)

        try:
            count, first, states = await asyncio.to_thread(read)
        except LocalDataError as exc:
            self._failed(exc)
            return
        if cache is not self._source or query != self._query or target != self._ecdp_target:
            return  # the table shows something else by now
        self.beginResetModel()
        self._forget_rows()
        self._count = count
        self._first_block(first, states)
        self.endResetModel()

    @property
    def ecdp_target(self) -> str | None:
        return self._ecdp_target

    def set_ecdp_target(self, target: str | None) -> None:
        """Show in the ECDP column what was sent to ``target`` (an
        :func:`~app.services.ecdp.push.ecdp_target`; ``None``: the column stays empty)."""
        if target == self._ecdp_target:
            return
        self._ecdp_target = target
        self._reload()

    def ecdp_state(self, row: int) -> PushState | None:
        """The ECDP push state of the order in ``row`` (``None``: no ECDP target)."""
        found = self.row_at(row)
        return None if found is None else self._ecdp_of(found)

    def set_store_display(self, currency: str | None, status_names: dict[str, str]) -> None:
        """Show totals in ``currency`` (an ISO code such as ``"EUR"``, or a
        symbol; ``None``: plain numbers) and statuses by the store's names."""
        self._currency_symbol = currency_symbol(currency, self._locale)
        self._status_names = dict(status_names)
        if self._count:
            self.dataChanged.emit(
                self.index(0, 0), self.index(self._count - 1, len(self.HEADERS) - 1)
            )

    def status_name(self, code: str, names: Mapping[str, str] | None = None) -> str:
        """The store's name for a status (``names``: another store's names);
        others title-cased ("READY_FOR_PICKUP" -> "Ready for pickup")."""
        if not code:
            return ""
        found = (names if names is not None else self._status_names).get(code)
        return found or code.replace("_", " ").capitalize()

    def store_of(self, row: CachedOrderRow) -> StoreTag | None:
        """The store of ``row`` when the rows come from several stores."""
        return self._store_of(row.key) if self._store_of is not None else None

    def store_chip(self, number: int, size: int = 12) -> QIcon:
        """The colour chip of the ``number``-th store."""
        icon = self._chips.get((number, size))
        if icon is None:
            icon = self._chips[(number, size)] = store_chip(number, size)
        return icon

    def row_at(self, row: int) -> CachedOrderRow | None:
        """The order shown in ``row`` (read from the cache if needed)."""
        if not 0 <= row < self._count:
            return None
        number, offset = divmod(row, BLOCK_SIZE)
        block = self._block(number)
        if offset >= len(block) and number == 0 and self._first_short:
            block = self._rest_of_first_block(block)
        return block[offset] if offset < len(block) else None

    def key_at(self, row: int) -> str | None:
        found = self.row_at(row)
        return found.key if found else None

    def row_of(self, key: str) -> int | None:
        """The row showing order ``key``, or ``None`` when the query leaves it out."""
        if self._source is None or not key:
            return None
        try:
            row = self._source.position(self._query, key)
        except LocalDataError as exc:
            self._failed(exc)
            return None
        return row if row is not None and row < self._count else None

    def sort_column(self) -> int:
        """The column the query sorts by (-1 when none shows its sort key)."""
        if self._query.by_store is not None:
            return self.STORE
        for column, key in self.SORT_KEYS.items():
            if key == self._query.sort:
                return column
        return -1

    def sort_order(self) -> Qt.SortOrder:
        if self._query.by_store is not None:
            if self._query.by_store == "descending":
                return Qt.SortOrder.DescendingOrder
            return Qt.SortOrder.AscendingOrder
        if self._query.descending:
            return Qt.SortOrder.DescendingOrder
        return Qt.SortOrder.AscendingOrder

    # -- Qt API ---------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        if role == Qt.ItemDataRole.ToolTipRole and section == self.SYNC:
            return "Changes made here that the store has not confirmed yet"
        if role == Qt.ItemDataRole.ToolTipRole and section == self.ECDP:
            return "Whether the order was sent to the ECDP account, and when"
        if role == Qt.ItemDataRole.ToolTipRole and section == self.STORE:
            return "The store the order was placed in"
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if section in (self.ITEMS, self.TOTAL) else _LEFT
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by ``column`` in SQLite (the sync column cannot be sorted: ignored).
        The Store column lists the stores by name, one after another, each in
        the order it had before."""
        descending = order == Qt.SortOrder.DescendingOrder
        if column == self.STORE:
            if not self.across_stores:
                return
            by_store = "descending" if descending else "ascending"
            if by_store != self._query.by_store:
                self.set_query(self._query.model_copy(update={"by_store": by_store}))
            return
        key = self.SORT_KEYS.get(column)
        if key is None:
            return
        query = self._query
        if key == query.sort and descending == query.descending and query.by_store is None:
            return
        update = {"sort": key, "descending": descending, "by_store": None}
        self.set_query(query.model_copy(update=update))

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # The view asks each cell it paints for seven roles, four of which the
        # table leaves to the style (font, colours, check state): those are
        # answered first. (A table's indexes have no parent.)
        if role not in _ANSWERED_ROLES or not index.isValid():
            return None
        column = index.column()
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if column in (self.ITEMS, self.TOTAL) else _LEFT
        if role == Qt.ItemDataRole.DecorationRole:
            if column != self.STORE:
                return None
            row = self.row_at(index.row())
            tag = self.store_of(row) if row is not None else None
            return self.store_chip(tag.number) if tag is not None else None
        row = self.row_at(index.row())
        if row is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        if role == ROW_ROLE:
            return row
        if role == KEY_ROLE:
            return row.key
        if role == STATUS_ROLE:
            return self._status_code(row, column)
        return None

    # -- helpers --------------------------------------------------------------

    def _reload(self, query: OrderQuery | None = None) -> None:
        """Reset: views still see the old rows while ``modelAboutToBeReset`` runs."""
        if self._counting is not None:
            self._counting.cancel()  # latest wins
            self._counting = None
        self.beginResetModel()
        if query is not None:
            self._query = query
        self._forget_rows()
        self._count = 0
        cache = self._source
        if cache is not None:
            try:
                if cache.counts_slowly(self._query) and _running_loop() is not None:
                    # A one- or two-letter search: show its first rows now and
                    # count the rest in a worker thread (the rows are added then).
                    first = cache.first_rows(self._query, FIRST_ROWS)
                    self._first_block(first, _read_ecdp(cache, first, self._ecdp_target))
                    self._count = len(first)
                    if len(first) == FIRST_ROWS:
                        self._counting = asyncio.ensure_future(self._count_rest(cache, self._query))
                else:
                    self._count = cache.count(self._query)
            except LocalDataError as exc:
                self._failed(exc)
        self.endResetModel()
        if self._counting is not None:
            self.countingChanged.emit(True)

    async def _count_rest(self, cache: OrderRows, query: OrderQuery) -> None:
        try:
            count = await asyncio.to_thread(cache.count, query)
        except LocalDataError as exc:
            self._failed(exc)
            return
        finally:
            if self._counting is asyncio.current_task():
                self._counting = None
                # (also when the count adds no rows: the window stops saying "counting")
                self.countingChanged.emit(False)
        if cache is self._source and query == self._query and count > self._count:
            self.beginInsertRows(QModelIndex(), self._count, count - 1)
            self._count = count
            self.endInsertRows()

    @property
    def counting(self) -> bool:
        """Whether the rows shown are still being counted (a query whose count
        reads many orders: its first rows come at once, the count later)."""
        return self._counting is not None

    def _forget_rows(self) -> None:
        self._blocks.clear()
        self._ecdp_states.clear()
        self._first_read = self._first_short = False

    def _first_block(self, rows: list[CachedOrderRow], states: dict[str, PushState]) -> None:
        """Keep the first screen's rows, read after a reset (block 0, short)."""
        self._first_read = True
        self._first_short = len(rows) == FIRST_ROWS < BLOCK_SIZE
        self._blocks[0] = rows
        self._ecdp_states[0] = states
        self._rows_fetched += len(rows)

    def _rest_of_first_block(self, first: list[CachedOrderRow]) -> list[CachedOrderRow]:
        """Block 0 read whole: the rows after the first screen's are added."""
        self._first_short = False
        if self._source is None:
            return first
        try:
            rest = self._source.rows(self._query, len(first), BLOCK_SIZE - len(first))
            states = _read_ecdp(self._source, rest, self._ecdp_target)
        except LocalDataError as exc:
            self._failed(exc)
            return first
        self._rows_fetched += len(rest)
        block = self._blocks[0] = first + rest
        self._ecdp_states[0] = {**self._ecdp_states.get(0, {}), **states}
        return block

    def _block(self, number: int) -> list[CachedOrderRow]:
        block = self._blocks.get(number)
        if block is not None:
            self._blocks.move_to_end(number)
            return block
        if self._source is None:
            return []
        first = number == 0 and not self._first_read  # (the first screen of a new query)
        try:
            block = self._source.rows(
                self._query, number * BLOCK_SIZE, FIRST_ROWS if first else BLOCK_SIZE
            )
            states = _read_ecdp(self._source, block, self._ecdp_target)
        except LocalDataError as exc:
            self._failed(exc)
            return []
        if first:
            self._first_block(block, states)
            return block
        self._rows_fetched += len(block)
        self._blocks[number] = block
        self._ecdp_states[number] = states
        while len(self._blocks) > MAX_BLOCKS:
            dropped, _rows = self._blocks.popitem(last=False)
            self._ecdp_states.pop(dropped, None)
            if dropped == 0:
                self._first_short = False  # (read whole when it is needed again)
        return block

    def _failed(self, exc: LocalDataError) -> None:
        log.warning("Reading the order cache failed: %s", exc)
        self.readFailed.emit(str(exc))

    def _display(self, row: CachedOrderRow, column: int) -> str:
        match column:
            case self.NUMBER:
                return row.number
            case self.DATE:
                return short_date_time(row.created, self._locale)
            case self.CUSTOMER:
                return row.customer
            case self.EMAIL:
                return row.email
            case self.ITEMS:
                return self._locale.toString(row.item_count)
            case self.TOTAL:
                if row.total is None:
                    return ""
                tag = self.store_of(row)
                symbol = self._currency_symbol if tag is None else self._symbol(tag.currency)
                return self._locale.toCurrencyString(float(row.total), symbol, 2)
            case self.PAYMENT:
                return self.status_name(row.payment_status, self._names_of(row))
            case self.FULFILLMENT:
                return self.status_name(row.fulfillment_status, self._names_of(row))
            case self.TRACKING:
                return row.tracking_number
            case self.SYNC:
                return SYNC_STATE_NAMES.get(row.outbox_state or "", row.outbox_state or "")
            case self.PRINTED:
                return short_date_time(row.invoice_printed_at, self._locale)
            case self.ECDP:
                return self._ecdp_text(self._ecdp_of(row))
            case self.STORE:
                tag = self.store_of(row)
                return tag.title if tag is not None else ""
        return ""

    def _names_of(self, row: CachedOrderRow) -> Mapping[str, str] | None:
        """The status names of ``row``'s store (``None``: the shown store's)."""
        tag = self.store_of(row)
        return tag.status_names if tag is not None else None

    def _symbol(self, currency: str | None) -> str:
        if not currency:
            return ""
        found = self._symbols.get(currency)
        if found is None:
            found = self._symbols[currency] = currency_symbol(currency, self._locale)
        return found

    def _tooltip(self, row: CachedOrderRow, column: int) -> str | None:
        match column:
            case self.DATE:
                return medium_date_time(row.created, self._locale) or None
            case self.CUSTOMER | self.EMAIL:
                return "\n".join(part for part in (row.customer, row.email) if part) or None
            case self.TOTAL:
                return f"Paid by {row.payment_method}" if row.payment_method else None
            case self.PAYMENT | self.FULFILLMENT:
                code = self._status_code(row, column)
                name = self.status_name(code or "", self._names_of(row))
                return f"{name} ({code})" if code else None
            case self.TRACKING:
                return row.shipping_method or None
            case self.SYNC:
                return SYNC_STATE_TIPS.get(row.outbox_state or "")
            case self.ECDP:
                return self._ecdp_tip(self._ecdp_of(row))
            case self.STORE:
                tag = self.store_of(row)
                if tag is None:
                    return None
                return f"{tag.title} ({tag.currency})" if tag.currency else tag.title
        return None

    def _status_code(self, row: CachedOrderRow, column: int) -> str | None:
        match column:
            case self.PAYMENT:
                return row.payment_status
            case self.FULFILLMENT:
                return row.fulfillment_status
            case self.SYNC:
                return str(row.outbox_state) if row.outbox_state else ""
        return None

    def _ecdp_of(self, row: CachedOrderRow) -> PushState | None:
        if self._ecdp_target is None:
            return None
        for states in self._ecdp_states.values():  # one dict per block kept
            if (state := states.get(row.key)) is not None:
                return state
        return None

    def _ecdp_text(self, state: PushState | None) -> str:
        if state is None:
            return ""
        if state.outcome == PushOutcome.SENT and state.sent_at is not None:
            return f"Sent {short_date_time(state.sent_at, self._locale)}"
        return ECDP_NAMES[state.outcome]

    def _ecdp_tip(self, state: PushState | None) -> str | None:
        if state is None:
            return None
        if state.outcome == PushOutcome.NOT_SENT:
            return "Not sent to ECDP yet"
        sent = (
            f"Sent to ECDP {medium_date_time(state.sent_at, self._locale)}" if state.sent_at else ""
        )
        if state.outcome == PushOutcome.FAILED:
            tried = medium_date_time(state.attempted_at, self._locale)
            lines = [f"Sending failed {tried}: {state.error}", sent]
            return "\n".join(line for line in lines if line)
        if state.outcome == PushOutcome.UNMATCHED:
            lines = [
                f"Not sent: {state.error}.",
                "The next push sends it once the order has an email, a phone or a customer id.",
                f"{sent} (an earlier version)." if sent else "",
            ]
            return "\n".join(line for line in lines if line)
        if state.outcome == PushOutcome.CHANGED:
            return f"{sent}; the order has changed since." if sent else "Changed since sent"
        return sent or None


_ANSWERED_ROLES = {
    Qt.ItemDataRole.DisplayRole,
    Qt.ItemDataRole.ToolTipRole,
    Qt.ItemDataRole.TextAlignmentRole,
    Qt.ItemDataRole.DecorationRole,
    ROW_ROLE,
    KEY_ROLE,
    STATUS_ROLE,
}


def _read_ecdp(
    cache: OrderRows, rows: list[CachedOrderRow], target: str | None
) -> dict[str, PushState]:
    """The push states of a block's orders to ``target`` (one query); none without a target."""
    if target is None or not rows:
        return {}
    return cache.push_states(rows, target)


def store_chip(number: int, size: int = 12) -> QIcon:
    """A round chip in the colour of the ``number``-th store; on a selected
    row ringed in white, so a chip the colour of the selection still shows."""
    colour = QColor(STORE_COLOURS[number % len(STORE_COLOURS)])
    icon = QIcon(_chip_pixmap(colour, size, ring=None))
    icon.addPixmap(_chip_pixmap(colour, size, ring=QColor("white")), QIcon.Mode.Selected)
    return icon


def _chip_pixmap(colour: QColor, size: int, ring: QColor | None) -> QPixmap:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    if ring is not None:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(ring)
        painter.drawEllipse(QRectF(0, 0, size, size))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    inset = 2.5 if ring is not None else 1
    painter.drawEllipse(QRectF(inset, inset, size - 2 * inset, size - 2 * inset))
    painter.end()
    return pixmap


def currency_symbol(currency: str | None, locale: QLocale) -> str:
    """The symbol to show for ``currency``: the user's own when it is their
    currency, else the one most locales use for it ("EUR" -> "€"); a value
    that is not a three-letter code is taken as the symbol itself."""
    if not currency:
        return ""
    code = currency.strip().upper()
    if len(code) != 3 or not code.isalpha():
        return currency.strip()
    iso, symbol = (
        QLocale.CurrencySymbolFormat.CurrencyIsoCode,
        QLocale.CurrencySymbolFormat.CurrencySymbol,
    )
    if locale.currencySymbol(iso) == code and locale.currencySymbol(symbol):
        return locale.currencySymbol(symbol)
    tally: dict[str, int] = {}
    for other in QLocale.matchingLocales(
        QLocale.Language.AnyLanguage, QLocale.Script.AnyScript, QLocale.Country.AnyCountry
    ):
        if other.currencySymbol(iso) == code and other.currencySymbol(symbol):
            found = other.currencySymbol(symbol)
            tally[found] = tally.get(found, 0) + 1
    return max(tally, key=lambda found: tally[found]) if tally else code


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None
