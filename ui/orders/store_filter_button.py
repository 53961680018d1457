"""The filter bar's Store drop-down across stores (*All stores*): the stores
to show, by their names; the table's Store column says whose each order is.

It is the status drop-down with stores for statuses: the account names are
the values of the query's ``stores``, the stores' own names their labels.
"""

from __future__ import annotations

from ui.orders.status_filter_button import StatusFilterButton


class StoreFilterButton(StatusFilterButton):
    """A drop-down of the stores to show; ``selectionChanged`` carries account names."""

    def __init__(self) -> None:
        super().__init__("Store", [])
        self.setAccessibleName("Store filter")

    def any_text(self) -> str:
        return "Every store"

    def set_stores(self, stores: list[tuple[str, str]]) -> None:
        """The stores to choose from: ``(account name, the store's name)`` each."""
        self._choices = [name for name, _title in stores]
        # (menu entries and the button's text read an "&" as a mnemonic)
        self.set_names({name: title.replace("&", "&&") for name, title in stores})
