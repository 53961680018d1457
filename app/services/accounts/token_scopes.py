"""What a token's missing access scopes take away, said in words.

An Ecwid token carries the scopes its app asked for. Backroom needs only
what reading orders needs (``read_orders``; ``update_orders`` and
``create_orders`` to change and add them). A token without
``read_store_profile`` is fine: the store's name, status names and money
format then fall back to defaults, and the user is told once which scope
would add what (:func:`scope_notice`).
"""

from __future__ import annotations

from collections.abc import Iterable

PROFILE_SCOPE = "read_store_profile"
READ_ORDERS_SCOPE = "read_orders"

_WHAT_EACH_ADDS = {
    PROFILE_SCOPE: (
        "This token cannot read the store profile (scope read_store_profile): Backroom uses "
        "the account name, the standard status names and the currency of the orders. With "
        "read_store_profile added to the app's scopes it shows the store's own name, its own "
        "status names and which statuses email the customer."
    ),
}


def scope_notice(scopes: Iterable[str]) -> str:
    """One paragraph on what each missing scope takes away ("" for none)."""
    sentences = []
    for scope in dict.fromkeys(scopes):
        sentences.append(
            _WHAT_EACH_ADDS.get(
                scope,
                f"This token lacks the scope {scope}: what needs it is left out until the "
                "app's scopes include it.",
            )
        )
    return " ".join(sentences)


__all__ = ["PROFILE_SCOPE", "READ_ORDERS_SCOPE", "scope_notice"]
