"""Working on orders: the rows the order table reads (:mod:`~.rows`) and its
saved views (:mod:`~.saved_views`), finding the one order a reference names,
the editor's working copy and the change it makes, validation in words,
totals, bulk changes, new orders, saving one edit, drafts, a customer's
orders, and exports made safe for spreadsheets.
"""
