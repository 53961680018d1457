"""How a store wants its orders shown: its name, its currency, its own
names for statuses (custom statuses carry names the owner chose), and which
statuses email the customer when an order is set to them.

Read from the store's profile, and remembered in the store's cache so the
window shows the same names and money offline. A token without the
``read_store_profile`` scope cannot read the profile: the display then falls
back to the account's name, the standard status names and the currency the
orders name, and records the missing scope (``missing_scopes``) so the user
is told once (:func:`new_scope_notice`).
"""

from __future__ import annotations

import json
import logging
import re
from collections import Counter
from dataclasses import asdict, dataclass, field, replace
from typing import TYPE_CHECKING, Any

from app.cache import OrderCache
from app.ecwid import EcwidScopeError
from app.services.accounts.token_scopes import PROFILE_SCOPE, scope_notice

if TYPE_CHECKING:
    from app.ecwid import EcwidClient

log = logging.getLogger(__name__)

STATE_DISPLAY = "store.display"  # cache state: the last StoreDisplay read, as JSON
ORDERS_FOR_CURRENCY = 25  # orders read for their currency when the profile cannot be read


@dataclass(frozen=True)
class StoreDisplay:
    store_name: str = ""
    currency_code: str = ""
    currency_symbol: str = ""
    status_names: dict[str, str] = field(default_factory=dict)
    # status id -> setting an order to it emails the customer (missing: unknown)
    status_notifies: dict[str, bool] = field(default_factory=dict)
    # statuses the store has switched off: kept for the orders that carry them,
    # never offered as a new value
    status_disabled: tuple[str, ...] = ()
    # access scopes the token lacks: the parts they cover are Backroom's defaults
    missing_scopes: tuple[str, ...] = ()

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
            missing_scopes=tuple(str(scope) for scope in data.get("missing_scopes") or ()),
            status_disabled=tuple(str(code) for code in data.get("status_disabled") or ()),
        )


async def store_display(client: EcwidClient, *, account_name: str = "") -> StoreDisplay:
    """Read the store's name, currency, status names and which statuses
    email the customer (two requests). Without the scope to read the profile:
    ``account_name``, the standard status names (none given) and the currency
    of the orders (one more request)."""
    missing: list[str] = []
    profile: dict[str, Any] | None
    try:
        profile = await client.get_profile()
    except EcwidScopeError as error:
        log.info("the store profile cannot be read: %s", error)
        missing.append(error.scope or PROFILE_SCOPE)
        profile = None
    try:
        statuses = await client.order_statuses()
    except EcwidScopeError as error:
        log.info("the store's status names cannot be read: %s", error)
        missing.append(error.scope or PROFILE_SCOPE)
        statuses = []
    if profile is None:
        code = await orders_currency(client)
        identity = StoreDisplay(store_name=account_name, currency_code=code, currency_symbol=code)
    else:
        identity = display_from_profile(profile)
    return replace(
        identity,
        status_names=_status_names(statuses),
        status_notifies=_status_notifies(statuses),
        status_disabled=tuple(s.status_id for s in statuses if s.enabled is False),
        missing_scopes=tuple(dict.fromkeys(missing)),
    )


def display_from_profile(profile: dict[str, Any]) -> StoreDisplay:
    """The store's name and currency from its profile (no status names)."""
    units = profile.get("formatsAndUnits") or {}
    code = str(units.get("currency") or "")
    return StoreDisplay(
        store_name=str((profile.get("settings") or {}).get("storeName") or ""),
        currency_code=code,
        currency_symbol=str(units.get("currencyPrefix") or code),
    )


def _status_names(statuses: list[Any]) -> dict[str, str]:
    return {
        status.status_id: status.name_translated or status.name
        for status in statuses
        if status.name_translated or status.name
    }


def _status_notifies(statuses: list[Any]) -> dict[str, bool]:
    return {
        status.status_id: status.send_notification_when_status_is_assigned
        for status in statuses
        if status.send_notification_when_status_is_assigned is not None
    }


async def orders_currency(client: EcwidClient) -> str:
    """The currency code most of a page of the store's orders name (orders that
    carry ``currency``); "" when none does."""
    page = await client.search_orders_raw(None, 0, ORDERS_FOR_CURRENCY)
    codes = Counter(
        order["currency"].strip().upper()
        for order in page.items
        if isinstance(order.get("currency"), str)
        and re.fullmatch(r"[A-Za-z]{3}", order["currency"].strip())
    )
    return codes.most_common(1)[0][0] if codes else ""


def new_scope_notice(before: StoreDisplay, after: StoreDisplay) -> str:
    """What to tell the user about scopes found missing in ``after`` and not
    already in ``before`` (the display remembered): "" when nothing is new."""
    return scope_notice(s for s in after.missing_scopes if s not in before.missing_scopes)


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
