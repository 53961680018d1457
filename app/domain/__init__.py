"""The shared order vocabulary: what the cache, the clients, the services,
the window and the command line all mean by an order reference, a status, a
date, an amount, a query, an outbox state, a kind of failure, or "the same
value".

- :mod:`~app.domain.references`: naming one order; the number it is shown by
- :mod:`~app.domain.raw_orders`: an order as the store sent it, its key and values
- :mod:`~app.domain.statuses`: payment and fulfillment statuses (open enums)
- :mod:`~app.domain.dates`: the store's date forms, parsed and formatted
- :mod:`~app.domain.money`: amounts read exactly, compared in cents
- :mod:`~app.domain.queries`: the search filters (once), ``OrderQuery``, ``SortKey``
- :mod:`~app.domain.outbox`: the states of an edit in the outbox
- :mod:`~app.domain.values`: comparing field values as a person would
- :mod:`~app.domain.words`: an order's fields and values in a shop owner's words
- :mod:`~app.domain.errors`: the error bases every layer catches
- :mod:`~app.domain.url_credentials`: credentials in store data, scrubbed and masked
- :mod:`~app.domain.os_errors`: the system's file errors in plain words

A leaf package: it imports nothing else from the project, only the standard
library and pydantic (``tests/app/domain/test_leaf.py`` checks it), so every
layer may use it.
"""
