"""Orders to ECDP: pushing the cached orders that match (AddOrReplace, in
batches, only what ECDP has not confirmed), what each order's push state is,
the ECDP accounts a window can push to, and one ECDP order at a time (look
up, re-status, mark deleted: :mod:`~app.services.ecdp.orders`).

The window and the command line take the ECDP words they show from here —
an ECDP order as ECDP holds it (``EcdpOrderRecord``), its statuses
(``EcdpStatus``), ECDP's default API address and the check of a key's form —
never from the client package below (:mod:`app.ecdp`). They load when first
asked for, so the table's push states (:mod:`~app.services.ecdp.status`)
load no HTTP client.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from app.ecdp import DEFAULT_BASE_URL as ECDP_API_URL
    from app.ecdp import EcdpOrderRecord, EcdpStatus
    from app.ecdp.transport import check_api_key as check_ecdp_key

__all__ = ["ECDP_API_URL", "EcdpOrderRecord", "EcdpStatus", "check_ecdp_key"]


def __getattr__(name: str) -> Any:
    # loaded when first asked for: the table's push states need none of the client
    if name == "ECDP_API_URL":
        from app.ecdp import DEFAULT_BASE_URL

        return DEFAULT_BASE_URL
    if name in ("EcdpOrderRecord", "EcdpStatus"):
        import app.ecdp as models

        return getattr(models, name)
    if name == "check_ecdp_key":
        from app.ecdp.transport import check_api_key

        return check_api_key
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
