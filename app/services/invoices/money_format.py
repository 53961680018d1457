"""Money as text without Qt: :class:`MoneyFormat`, for what ``app`` renders
itself (offline invoices, packing slips, the command line).

The best format is the store's own (its profile's ``formatsAndUnits``: the
prefix, suffix, separators and precision Ecwid prints on its invoices);
without it, :meth:`MoneyFormat.for_currency` gives a plain one for an ISO
currency code, with the currency's usual number of decimals. What is an
amount at all is the shared rule of :func:`app.domain.money.amount`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal
from typing import Any

from app.domain import money

# ISO 4217 currencies whose minor unit is not 2 digits
_DECIMALS = {
    **dict.fromkeys(
        ("BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI"), 0
    ),
    **dict.fromkeys(("VND", "VUV", "XAF", "XOF", "XPF"), 0),
    **dict.fromkeys(("BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"), 3),
}
# symbols that read unambiguously; other currencies are written with their code
_SYMBOLS = {
    "USD": "$",
    "EUR": "€",
    "GBP": "£",
    "JPY": "¥",
    "INR": "₹",
    "KRW": "₩",
    "ILS": "₪",
    "NGN": "₦",
    "PHP": "₱",
    "UAH": "₴",
    "VND": "₫",
    "TRY": "₺",
    "BRL": "R$",
    "CAD": "CA$",
    "AUD": "A$",
    "NZD": "NZ$",
    "MXN": "MX$",
    "HKD": "HK$",
}


@dataclass(frozen=True)
class MoneyFormat:
    """How amounts of one currency are written: ``-$1,234.50``, ``1.234,50 €``."""

    prefix: str = ""
    suffix: str = ""
    group_separator: str = ","
    decimal_separator: str = "."
    precision: int = 2
    truncate_zero_fraction: bool = False  # "$5" rather than "$5.00"

    @classmethod
    def for_currency(cls, code: str | None, symbol: str | None = None) -> MoneyFormat:
        """A plain format for an ISO code: its symbol (``symbol`` if given, else a
        well-known one, else the code and a space) before the amount."""
        code = (code or "").strip().upper()
        symbol = (symbol or "").strip()
        if not symbol or symbol.upper() == code:
            symbol = _SYMBOLS.get(code, "")
        if not symbol and code:
            symbol = f"{code}\u00a0"
        return cls(prefix=symbol, precision=_DECIMALS.get(code, 2))

    @classmethod
    def from_profile(cls, units: Mapping[str, Any]) -> MoneyFormat:
        """The store's own format, from its profile's ``formatsAndUnits``."""
        fallback = cls.for_currency(str(units.get("currency") or ""))
        precision = units.get("currencyPrecision")
        if not isinstance(precision, int) or isinstance(precision, bool) or not 0 <= precision <= 6:
            precision = fallback.precision
        prefix = units.get("currencyPrefix")
        suffix = units.get("currencySuffix")
        if not prefix and not suffix:
            prefix = fallback.prefix
        return cls(
            prefix=str(prefix or ""),
            suffix=str(suffix or ""),
            group_separator=str(units.get("currencyGroupSeparator") or ""),
            decimal_separator=str(units.get("currencyDecimalSeparator") or "."),
            precision=precision,
            truncate_zero_fraction=bool(units.get("currencyTruncateZeroFractional")),
        )

    def format(self, value: Any) -> str:
        """``value`` (a number, or text of one) as money; ``None`` as ``""``;
        anything that is not a number as it came."""
        amount = money.amount(value)  # (no amount of money has 10^40 units)
        if amount is None:
            return "" if value is None else str(value)
        step = Decimal(1).scaleb(-self.precision)
        digits = max(amount.adjusted(), 0) + self.precision + 2
        amount = amount.quantize(
            step, context=Context(prec=max(28, digits), rounding=ROUND_HALF_UP)
        )
        sign = "-" if amount < 0 else ""
        whole, _, fraction = f"{abs(amount):f}".partition(".")
        groups: list[str] = []
        while len(whole) > 3:
            groups.insert(0, whole[-3:])
            whole = whole[:-3]
        groups.insert(0, whole)
        text = self.group_separator.join(groups)
        if fraction and not (self.truncate_zero_fraction and not fraction.strip("0")):
            text += self.decimal_separator + fraction
        return f"{sign}{self.prefix}{text}{self.suffix}"
