"""Search words of one or two characters, answered from the trigram index.

A trigram index cannot hold a word shorter than three characters, so such a
word used to be matched by scanning every order's search text (60–95 ms for
100,000 orders, ten times that for a million). Schema 4 feeds the index each
column's text followed by two newlines (:mod:`app.cache.text_index`), so
every character of the text starts a trigram: the orders whose text holds
``ab`` are exactly those holding one of the trigrams that begin with ``ab``
(``abc``, ``ab-``, ``ab⏎``…), and those trigrams are a range of the index's
vocabulary. :func:`resolve` reads that range (FTS5's ``fts5vocab``, which
reads the range's doclists) and returns the FTS5 expression "any of them"
— the same matches the scan finds, from the index.

That pays while the word is rare. A common word ("e", "an") begins hundreds
or thousands of trigrams whose doclists cover most orders: reading them all
costs more than the scan. So :func:`resolve` stops as soon as the range holds
more than :data:`RARE_DOCS` matches or :data:`RARE_TERMS` trigrams, and
answers ``None``: the word is common, its first page is found by walking the
sort index (which meets a match every few rows and stops at the page), and
its count is left to a background count on a connection of its own
(:meth:`app.cache.order_cache.OrderCache.counts_slowly`). Measured on the
100,000-order demo store: ``qx`` 37 trigrams, 0.1 ms + 0.2 ms to count its
313 orders; ``ab`` 37 trigrams, 0.5 ms + 1.6 ms for 12,206 orders, where the
scan took 72–82 ms each; ``z`` (27 % of the orders, 1,328 trigrams) costs
200 ms through the index and 69 ms by scanning — a common word.
"""

from __future__ import annotations

import sqlite3
from typing import NamedTuple

RARE_DOCS = 40_000
"""A word whose trigrams hold more matches than this is common."""
RARE_TERMS = 400
"""A word beginning more trigrams than this is common."""
VOCABULARY = "temp.orders_fts_terms"
"""The index's vocabulary, one row per trigram (a table of the connection only)."""
NO_MATCH = ""
""":func:`resolve`'s answer for a word no order holds."""
DENSE_SHARE = 50
"""A word at least one order in this many holds is *dense* (:func:`dense`)."""


class Resolved(NamedTuple):
    """A short word as the index holds it: its FTS5 expression (see
    :func:`resolve`) and how many orders hold it at least (the most orders
    any one of its trigrams is in)."""

    expression: str | None
    at_least: int


def dense(resolved: Resolved, orders: int) -> bool:
    """Whether a first screen of the word's matches is found sooner by
    reading the orders along the sort index, matching the word in each
    one's text, than through the index: at least one order in
    :data:`DENSE_SHARE` holds it, so 64 matches lie within 3,200 orders,
    where the index reads every trigram the word begins (a word in a tenth
    of 300,000 orders: its first screen 1–3 ms against 20 ms)."""
    return resolved.at_least * DENSE_SHARE >= orders > 0


def _vocabulary(conn: sqlite3.Connection) -> None:
    conn.execute(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {VOCABULARY} USING fts5vocab(main, orders_fts, row)"
    )


def _fts_string(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def resolve(conn: sqlite3.Connection, word: str) -> Resolved:
    """An FTS5 expression (without a column filter) matching exactly the
    orders whose indexed text holds ``word`` (folded, one or two
    characters); :data:`NO_MATCH` when none does; ``None`` when the word is
    common (see the module doc). With it, a floor of its matches."""
    _vocabulary(conn)
    terms: list[str] = []
    matches = floor = 0
    rows = conn.execute(
        f"SELECT term, doc FROM {VOCABULARY} WHERE term >= ? AND term <= ?",
        (word, word + "\U0010ffff"),
    )
    try:
        for term, docs in rows:
            if not term.startswith(word):
                continue
            terms.append(term)
            matches += docs
            floor = max(floor, docs)
            if matches > RARE_DOCS or len(terms) > RARE_TERMS:
                return Resolved(None, floor)
    finally:
        rows.close()
    if not terms:
        return Resolved(NO_MATCH, 0)
    return Resolved("(" + " OR ".join(map(_fts_string, terms)) + ")", floor)
