"""Text for a terminal: every character a terminal would obey is shown as an
escape, nothing is dropped, and JSON written for a terminal reads back exactly."""

from __future__ import annotations

import io
import json
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from app.platform.terminal_text import (
    TerminalSafeStream,
    for_terminal,
    json_for_terminal,
    keep_layout,
    safe_standard_streams,
)

EVIL = "Eve \x1b[2J\x1b[31mEvil\x1b]0;pwned\x07"
# every code point: the surrogates (left by undecodable bytes) included
ANY_TEXT = st.text(st.characters(codec=None, exclude_categories=()), max_size=60)


def _obeyed(text: str) -> set[str]:
    """Characters a terminal acts on or that reorder or break a line."""
    return {
        ch
        for ch in text
        if unicodedata.category(ch) in ("Cc", "Cs", "Zl", "Zp")
        or ch in "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
    }


def test_escape_sequences_are_shown_not_obeyed():
    assert for_terminal(EVIL) == "Eve \\x1b[2J\\x1b[31mEvil\\x1b]0;pwned\\x07"
    assert for_terminal("\x9b31m \x7f \u202eexe.txt \u2028 \udcff") == (
        "\\x9b31m \\x7f \\u202eexe.txt \\u2028 \\udcff"
    )
    assert for_terminal("a\tb\nc\rd") == "a\\x09b\\x0ac\\x0dd"  # a value keeps to its line
    assert keep_layout("a\tb\nc\r\x1b") == "a\tb\nc\r\\x1b"  # output keeps its layout
    assert for_terminal("Chloé 消費税 🙂 O'Brien \\x1b") == "Chloé 消費税 🙂 O'Brien \\x1b"
    assert for_terminal(None) == "None" and for_terminal(12) == "12"


@given(ANY_TEXT)
def test_nothing_a_terminal_obeys_survives_and_printable_text_is_kept(text):
    shown = for_terminal(text)
    assert _obeyed(shown) == set()
    assert _obeyed(keep_layout(text)) <= {"\t", "\n", "\r"}
    kept = [ch for ch in text if not _obeyed(ch)]
    assert all(ch in shown for ch in kept)
    shown.encode("utf-8")  # printable on any UTF-8 terminal


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | ANY_TEXT,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(ANY_TEXT, inner, max_size=4),
        max_leaves=12,
    )
)
def test_json_for_a_terminal_reads_back_exactly(value):
    text = json_for_terminal(value)
    assert json.loads(text) == value
    assert _obeyed(text) <= {"\n"}  # the indentation's line feeds only


def test_json_keeps_readable_text_readable():
    assert json_for_terminal({"name": "Chloé"}, indent=None) == '{"name": "Chloé"}'
    assert json_for_terminal([EVIL], indent=None) == (
        '["Eve \\u001b[2J\\u001b[31mEvil\\u001b]0;pwned\\u0007"]'
    )


def test_the_stream_wrapper_escapes_and_survives_a_narrow_encoding():
    raw = io.BytesIO()
    narrow = io.TextIOWrapper(raw, encoding="latin-1")
    stream = TerminalSafeStream(narrow)
    assert stream.write(f"{EVIL} 消費税\n") == len(f"{EVIL} 消費税\n")
    stream.writelines(["tab\there\r\n"])
    stream.flush()
    assert raw.getvalue().decode("latin-1") == (
        "Eve \\x1b[2J\\x1b[31mEvil\\x1b]0;pwned\\x07 \\u6d88\\u8cbb\\u7a0e\ntab\there\r\n"
    )
    assert stream.encoding == "latin-1"  # everything else is the wrapped stream's


def test_the_standard_streams_are_wrapped_and_restored(capsys):
    import sys

    before = sys.stdout, sys.stderr
    with safe_standard_streams():
        print(EVIL)
        print(EVIL, file=sys.stderr)
    assert (sys.stdout, sys.stderr) == before
    out, err = capsys.readouterr()
    assert out == err == for_terminal(EVIL) + "\n"
