"""The store's details our own invoices print: :class:`Letterhead`.

Name, address and contact of the company, its tax id (the profile's
``businessRegistrationID``: ``{"name": "VAT", "value": "DE123456789"}``), the
prefix and suffix of its order numbers, its time zone and its money format,
read from the store profile (``GET /profile``) and remembered in the store's
cache, so an invoice rendered offline shows the same.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from app.cache import OrderCache
from app.services.invoices.money_format import MoneyFormat

if TYPE_CHECKING:
    from app.ecwid import EcwidClient

log = logging.getLogger(__name__)

STATE_LETTERHEAD = "invoice.letterhead"  # cache state: the last Letterhead read, as JSON
REFRESH_AFTER_S = 24 * 3600  # read the profile again after a day


def _text(value: Any) -> str:
    return "" if value is None or isinstance(value, bool) else str(value).strip()


@dataclass(frozen=True)
class Letterhead:
    """The store as its invoices introduce it."""

    store_name: str = ""
    company_name: str = ""
    address: list[str] = field(default_factory=list)  # street lines, city line, country
    email: str = ""
    phone: str = ""
    website: str = ""
    tax_id: str = ""  # the company's tax id / VAT number
    tax_id_name: str = ""  # what the store calls it ("VAT", "USt-IdNr.", "ABN"…), if it says
    order_number_prefix: str = ""  # added to order numbers, e.g. "WLN-"
    order_number_suffix: str = ""
    time_zone: str = ""  # IANA name, e.g. "Europe/Berlin"; "" is UTC
    money: MoneyFormat | None = None  # the store's own format, if known
    read_at: float = 0.0  # when it was read from the store (UNIX time)

    @classmethod
    def from_profile(cls, profile: Mapping[str, Any]) -> Letterhead:
        """The letterhead in a store profile (any part may be missing or null)."""

        def part(name: str) -> Mapping[str, Any]:
            value = profile.get(name)
            return value if isinstance(value, Mapping) else {}

        company, settings, units = part("company"), part("settings"), part("formatsAndUnits")
        registration = part("businessRegistrationID")
        city = " ".join(
            _text(company.get(name)) for name in ("city", "stateOrProvinceCode", "postalCode")
        )
        address = _text(company.get("street")).splitlines()
        address += [" ".join(city.split()), _text(company.get("countryCode"))]
        return cls(
            store_name=_text(settings.get("storeName")),
            company_name=_text(company.get("companyName")),
            address=[line.strip() for line in address if line.strip()],
            email=_text(company.get("email")),
            phone=_text(company.get("phone")),
            website=_text(part("generalInfo").get("storeUrl")),
            tax_id=_text(registration.get("value")),
            tax_id_name=_text(registration.get("name")),
            order_number_prefix=_text(units.get("orderNumberPrefix")),
            order_number_suffix=_text(units.get("orderNumberSuffix")),
            time_zone=_text(units.get("timezone")),
            money=MoneyFormat.from_profile(units) if units.get("currency") else None,
            read_at=time.time(),
        )

    def zone(self) -> ZoneInfo:
        """The store's time zone (UTC when unknown or not on this computer)."""
        try:
            return ZoneInfo(self.time_zone or "UTC")
        except (ZoneInfoNotFoundError, ValueError):
            return ZoneInfo("UTC")

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Letterhead:
        data = json.loads(text)
        money = data.get("money")
        return cls(
            store_name=_text(data.get("store_name")),
            company_name=_text(data.get("company_name")),
            address=[_text(line) for line in data.get("address") or []],
            email=_text(data.get("email")),
            phone=_text(data.get("phone")),
            website=_text(data.get("website")),
            tax_id=_text(data.get("tax_id")),  # (absent in letterheads remembered before)
            tax_id_name=_text(data.get("tax_id_name")),
            order_number_prefix=_text(data.get("order_number_prefix")),
            order_number_suffix=_text(data.get("order_number_suffix")),
            time_zone=_text(data.get("time_zone")),
            money=MoneyFormat(**money) if isinstance(money, dict) else None,
            read_at=float(data.get("read_at") or 0.0),
        )


def remembered_letterhead(cache: OrderCache) -> Letterhead | None:
    """The letterhead last remembered in ``cache`` (``None`` if none or unreadable)."""
    text = cache.get_state(STATE_LETTERHEAD)
    if not text:
        return None
    try:
        return Letterhead.from_json(text)
    except (ValueError, TypeError, AttributeError) as exc:
        log.warning("the remembered invoice letterhead is unreadable (%s); ignoring it", exc)
        return None


def remember_letterhead(cache: OrderCache, letterhead: Letterhead) -> None:
    cache.set_state(STATE_LETTERHEAD, letterhead.to_json())


async def refresh_letterhead(
    cache: OrderCache, client: EcwidClient, *, max_age_s: float = REFRESH_AFTER_S
) -> Letterhead:
    """The remembered letterhead if younger than ``max_age_s``, else read it
    from the store (one request) and remember it. Raises
    :class:`~app.ecwid.EcwidError` when the store cannot be read."""
    known = await asyncio.to_thread(remembered_letterhead, cache)
    if known is not None and time.time() - known.read_at < max_age_s:
        return known
    letterhead = Letterhead.from_profile(await client.get_profile())
    await asyncio.to_thread(remember_letterhead, cache, letterhead)
    return letterhead
