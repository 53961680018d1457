"""Which store an order of the view across stores belongs to: :class:`OrderRef`.

Two stores can hold orders with the same number (each store counts from its
own first order) and, in principle, the same key. In *All stores* the table
therefore names an order by its store and its key together: an
:class:`OrderRef`, passed through the window as text (``str(ref)``: the
account's name, a unit separator, the order's key). An account's name never
contains a control character (:class:`~app.config.Account` refuses them), so
the text splits back unambiguously, whatever the key holds.
"""

from __future__ import annotations

from dataclasses import dataclass

SEPARATOR = "\x1f"  # ASCII unit separator: never part of an account's name


@dataclass(frozen=True, slots=True)
class OrderRef:
    """An order of one store: the account's name and the order's key."""

    store: str
    key: str

    def __str__(self) -> str:
        return f"{self.store}{SEPARATOR}{self.key}"

    @classmethod
    def parse(cls, text: str) -> OrderRef | None:
        """The reference ``text`` holds, or ``None`` when it is a plain order key."""
        store, found, key = text.partition(SEPARATOR)
        if not found or not store:
            return None
        return cls(store, key)
