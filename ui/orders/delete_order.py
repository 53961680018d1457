"""Deleting orders: a confirmation that names what goes, then the deletion
through the outbox.

:func:`confirm_delete` asks ("Delete order #1042 from Ada Okafor ($37.39)?
This cannot be undone in the store."); :func:`delete_orders` stages the
deletions (the orders leave the normal lists at once and show under the
"Deleted" filter) and sends them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QMessageBox, QWidget

from app.domain.references import shown_number
from ui.common.dates import display_locale
from ui.detail.pane import OrderFormat

if TYPE_CHECKING:
    from app.services.orders.bulk import OrderResult
    from app.services.shown import ShownOrders

NAMED_AT_MOST = 3  # a confirmation for more orders lists this many numbers
UNDONE_NEVER = "This cannot be undone in the store."


def customer_name(order: Mapping[str, Any]) -> str:
    for person in ("billingPerson", "shippingPerson"):
        name = ((order.get(person) or {}).get("name") or "").strip()
        if name:
            return name
    return str(order.get("email") or "").strip()


def _numbers(orders: Sequence[Mapping[str, Any]]) -> str:
    shown = [f"#{shown_number(order)}" for order in orders[:NAMED_AT_MOST]]
    rest = len(orders) - len(shown)
    if rest > 0:
        return f"{', '.join(shown)} and {rest} more"
    if len(shown) > 1:
        return f"{', '.join(shown[:-1])} and {shown[-1]}"
    return shown[0] if shown else ""


def delete_question(orders: Sequence[Mapping[str, Any]], currency: str | None = None) -> str:
    """The confirmation's question, naming the order or counting the orders."""
    if len(orders) == 1:
        order = orders[0]
        text = f"Delete order #{shown_number(order)}"
        who = customer_name(order)
        if who:
            text += f" from {who}"
        if order.get("total") is not None:
            text += f" ({OrderFormat(display_locale(), currency).money(order['total'])})"
        return f"{text}? {UNDONE_NEVER}"
    return f"Delete {len(orders)} orders ({_numbers(orders)})? {UNDONE_NEVER}"


def confirm_delete(
    parent: QWidget | None,
    orders: list[Mapping[str, Any]],
    *,
    currency: str | None = None,
) -> bool:
    """Ask (modal) whether to delete ``orders``; True when the user chose Delete.
    "Cancel" is the default button; ``currency`` formats a single order's total."""
    if not orders:
        return False
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        "Delete order" if len(orders) == 1 else f"Delete {len(orders)} orders",
        delete_question(orders, currency),
        QMessageBox.StandardButton.Cancel,
        parent,
    )
    delete = box.addButton("Delete", QMessageBox.ButtonRole.DestructiveRole)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.setInformativeText(
        "The order leaves the table now and stays listed under the “Deleted” filter "
        "until the next full sync."
        if len(orders) == 1
        else "The orders leave the table now and stay listed under the “Deleted” filter "
        "until the next full sync."
    )
    box.exec()
    return box.clickedButton() is delete


async def delete_orders(
    session: ShownOrders[Any],
    keys: Sequence[str],
    progress: Callable[[int, int], None] | None = None,
) -> list[OrderResult]:
    """Stage the deletion of ``keys`` (they leave the normal lists at once) and send it.
    An unreachable store leaves the deletions queued for the next sync."""
    return await session.delete_orders(keys, progress)
