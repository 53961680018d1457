"""A page of Ecwid's search answer made ready for the cache, in one call a
worker process can run.

A full sync reads each page's bytes from the client and hands them here:
:func:`prepare_page` checks the answer's shape as the client does
(:func:`app.ecwid.paging.parse_raw_page`, which raises
:class:`~app.ecwid.errors.EcwidProtocolError` for what it cannot read) and
prepares every order in it for the cache
(:func:`app.cache.prepared.prepare_search_page`). It takes bytes and returns
a :class:`~app.cache.prepared.PreparedPage`, both picklable, so it runs in
the sync's worker processes (:mod:`app.services.sync.workers`).
"""

from __future__ import annotations

from app.cache.prepared import PreparedPage, prepare_search_page
from app.ecwid.paging import parse_raw_page


def prepare_page(content: bytes) -> PreparedPage:
    """Parse a search answer (raises
    :class:`~app.ecwid.errors.EcwidProtocolError` as the client would) and
    prepare every order in it for the cache; an order with nothing to key it
    by is left out and counted (``unkeyed``)."""
    return prepare_search_page(parse_raw_page(content))
