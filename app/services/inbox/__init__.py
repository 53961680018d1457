"""*All stores*: one list of orders across every open store, and every action
routed to each order's own store.

    from app.services.inbox import Inbox, OrderRef

    inbox = Inbox([walnut, birch, copper])          # open StoreSessions
    inbox.rows.rows(OrderQuery(text="okafor"), 0, 200)  # keys are OrderRef texts
    session, key = inbox.resolve(ref)               # that order's own store

:mod:`~app.services.inbox.refs` names an order of one store,
:mod:`~app.services.inbox.rows` serves the table's rows across stores, and
:mod:`~app.services.inbox.inbox` routes what is done to them.
"""

from app.services.inbox.inbox import ALL_STORES, EditRef, Inbox
from app.services.inbox.refs import OrderRef
from app.services.inbox.rows import InboxMember, InboxRows

__all__ = ["ALL_STORES", "EditRef", "Inbox", "InboxMember", "InboxRows", "OrderRef"]
