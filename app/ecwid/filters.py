"""Order search filters as Ecwid's request: one query parameter of
``GET /orders`` per filter.

The filters themselves (their names, types and how a value is read) are
defined once, in :class:`app.domain.queries.SearchFilters`: the parameters
of the reference page (``keywords``, ``totalFrom``… ``customer``,
``orderNumber``, ``vendorOrderNumber``), which Ecwid's own client still
sends, plus those Ecwid's current documentation (2026) adds: ``ids``,
``email``, ``customerId``, ``productId``, ``pickupTimeFrom/To``,
``paymentModule``, ``acceptMarketing``, ``containsPreorderItems``,
``subscriptionId`` and ``refererId``. Each filter is sent as the parameter
its name says in camel case (``total_from`` -> ``totalFrom``). What each one
selects is written down where it is answered locally
(:mod:`app.domain.queries`) and by the demo store (:mod:`app.sandbox.filters`).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from pydantic import ConfigDict, field_validator

from app.domain.dates import to_filter_value
from app.domain.queries import DATE_FIELDS, FILTER_FIELDS, DateLike, SearchFilters


def parameter_name(field: str) -> str:
    """The query parameter a filter is sent as: its name in camel case."""
    first, *rest = field.split("_")
    return first + "".join(part.capitalize() for part in rest)


_PARAM_NAMES = {field: parameter_name(field) for field in FILTER_FIELDS}


class OrderFilters(SearchFilters[DateLike]):
    """Search filters. Empty fields are not sent. Note Ecwid's rule: when
    ``order_number`` is given, every other filter is ignored by the server.
    A search without ``payment_status`` containing INCOMPLETE leaves out
    unfinished orders. Dates are kept as given and sent as a UNIX timestamp,
    or as they are when already in one of the API's own forms."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    @field_validator(*sorted(DATE_FIELDS))
    @classmethod
    def _valid_date(cls, value: DateLike | None) -> DateLike | None:
        if value is not None:
            to_filter_value(value)  # raises ValueError naming the bad value
        return value

    def to_params(self) -> dict[str, str]:
        """The query parameters for ``GET /orders``."""
        params: dict[str, str] = {}
        for field, param in _PARAM_NAMES.items():
            value = getattr(self, field)
            if value is None or value == "" or value == []:
                continue
            if field in DATE_FIELDS:
                params[param] = to_filter_value(value)
            elif isinstance(value, bool):
                params[param] = "true" if value else "false"
            elif isinstance(value, Iterable) and not isinstance(value, str):
                params[param] = ",".join(str(v) for v in value)
            elif isinstance(value, Decimal):
                params[param] = format(value, "f")
            else:
                params[param] = str(value)
        return params
