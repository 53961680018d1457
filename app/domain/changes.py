"""What an operation changed, so that every view can bring itself up to date
from one report (the way Anki's operations return ``OpChanges``).

The services report a :class:`Changes` after each write, each settled edit,
each page a sync stores, each push; the window listens once and refreshes
what the report names — the table, the outbox count, the ECDP column, the
store's name — instead of each action calling each refresh itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Changes:
    """What changed. ``orders`` names the orders whose cached values or
    marks changed; ``all_orders`` says any order may have (a sync, a
    rebuilt cache)."""

    orders: frozenset[str] = field(default_factory=frozenset)
    all_orders: bool = False
    outbox: bool = False  # an edit was added, sent, settled or discarded
    push_states: bool = False  # what was sent to ECDP
    display: bool = False  # the store's name, currency or status names
    synced: bool = False  # a sync round ended (the time of the last sync moved)

    @classmethod
    def of_orders(cls, keys: Iterable[str], *, outbox: bool = False) -> Changes:
        return cls(orders=frozenset(keys), outbox=outbox)

    def __or__(self, other: Changes) -> Changes:
        return Changes(
            orders=self.orders | other.orders,
            all_orders=self.all_orders or other.all_orders,
            outbox=self.outbox or other.outbox,
            push_states=self.push_states or other.push_states,
            display=self.display or other.display,
            synced=self.synced or other.synced,
        )

    @property
    def table(self) -> bool:
        """Whether the orders table shows something that changed."""
        return bool(self.orders) or self.all_orders or self.outbox or self.push_states

    def __bool__(self) -> bool:
        return self.table or self.display or self.synced


NOTHING = Changes()
