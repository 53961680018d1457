"""How a store wants its orders shown: its name, its currency, its own
names for statuses (custom statuses carry names the owner chose), and which
statuses email the customer when an order is set to them.

Read from the store's profile, and remembered in the store's cache so the
window shows the same names and money offline.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, field

from app.ecwid import EcwidClient
from app.store import OrderCache

log = logging.getLogger(__name__)

STATE_DISPLAY = "store.display"  # cache state: the last StoreDisplay read, as JSON


@dataclass(frozen=True)
class StoreDisplay:
    store_name: str = ""
    currency_code: str = ""
    currency_symbol: str = ""
    status_names: dict[str, str] = field(default_factory=dict)
    # status id -> setting an order to it emails the customer (missing: unknown)
    status_notifies: dict[str, bool] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> StoreDisplay:
        data = json.loads(text)
        names = data.get("status_names") or {}
        notifies = data.get("status_notifies") or {}  # absent in displays remembered before
        return cls(
            store_name=str(data.get("store_name") or ""),
            currency_code=str(data.get("currency_code") or ""),
            currency_symbol=str(data.get("currency_symbol") or ""),
            status_names={str(k): str(v) for k, v in names.items()},
            status_notifies={str(k): bool(v) for k, v in notifies.items()},
        )


async def store_display(client: EcwidClient) -> StoreDisplay:
    """Read the store's name, currency, status names and which statuses
    email the customer (two requests)."""
    profile = await client.get_profile()
    units = profile.get("formatsAndUnits") or {}
    settings = profile.get("settings") or {}
    statuses = await client.order_statuses()
    names = {
        status.status_id: status.name_translated or status.name
        for status in statuses
        if status.name_translated or status.name
    }
    notifies = {
        status.status_id: status.send_notification_when_status_is_assigned
        for status in statuses
        if status.send_notification_when_status_is_assigned is not None
    }
    code = str(units.get("currency") or "")
    return StoreDisplay(
        store_name=str(settings.get("storeName") or ""),
        currency_code=code,
        currency_symbol=str(units.get("currencyPrefix") or code),
        status_names=names,
        status_notifies=notifies,
    )


def remembered_display(cache: OrderCache) -> StoreDisplay:
    """The display last saved with :func:`remember_display` (empty if none or unreadable)."""
    text = cache.get_state(STATE_DISPLAY)
    if not text:
        return StoreDisplay()
    try:
        return StoreDisplay.from_json(text)
    except (ValueError, AttributeError, TypeError) as exc:
        log.warning("the remembered store display is unreadable (%s); ignoring it", exc)
        return StoreDisplay()


def remember_display(cache: OrderCache, display: StoreDisplay) -> None:
    cache.set_state(STATE_DISPLAY, display.to_json())
