"""Text from the store made safe to print on a terminal.

A customer name set through the API to ``Eve \\x1b[2J\\x1b]0;pwned\\x07``
would clear the screen and retitle the terminal if printed as it is. Here
every character a terminal obeys instead of showing is shown as an escape
(``\\x1b``, ``\\x9b``, ``\\u202e``), so what the store holds stays visible and
nothing in it runs:

* C0 and C1 control characters and DEL (escape sequences start with ESC or a
  C1 character),
* Unicode's line and paragraph separators and the bidirectional controls
  (which reorder what a line appears to say),
* lone surrogates (left by undecodable bytes; a terminal cannot print them).

:func:`for_terminal` is for one value in a table or a message (tab, line
feed and carriage return included: a value stays on its line).
:class:`TerminalSafeStream` wraps ``sys.stdout``/``sys.stderr`` for whole
commands as a safety net and keeps tab, line feed and carriage return (the
layout of the output itself). :func:`json_for_terminal` writes JSON whose
values are exact and whose text is safe.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any, TextIO

_LAYOUT = "\t\n\r"
_OTHERS = (
    "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"  # C0 (but the layout), DEL, C1
    "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"  # bidirectional controls
    "\u2028\u2029"  # line and paragraph separators
    "\ud800-\udfff"  # lone surrogates
)
_UNSAFE = re.compile(f"[{_LAYOUT}{_OTHERS}]")
_UNSAFE_BUT_LAYOUT = re.compile(f"[{_OTHERS}]")


def _shown(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def for_terminal(text: object) -> str:
    """``text`` (any value, as ``str()``) with every control character shown as an escape."""
    return _UNSAFE.sub(_shown, str(text))


def keep_layout(text: str) -> str:
    """:func:`for_terminal`, but tab, line feed and carriage return are kept."""
    return _UNSAFE_BUT_LAYOUT.sub(_shown, text)


def json_for_terminal(value: Any, *, indent: int | None = 2) -> str:
    """``value`` as JSON (non-ASCII text kept readable) in which the characters
    :func:`for_terminal` would escape are written as JSON escapes (``\\u009b``):
    ``json.loads`` gives back exactly ``value``, and a terminal shows it safely."""
    text = json.dumps(value, ensure_ascii=False, indent=indent)
    return _UNSAFE_BUT_LAYOUT.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


class TerminalSafeStream:
    """A text stream that writes through :func:`keep_layout`; everything else
    (``isatty``, ``flush``, ``encoding``…) is the wrapped stream's. Text the
    stream's encoding cannot carry is written with backslash escapes."""

    def __init__(self, stream: TextIO) -> None:
        self.wrapped = stream

    def write(self, text: str) -> int:
        safe = keep_layout(text)
        try:
            self.wrapped.write(safe)
        except UnicodeEncodeError:
            encoding = getattr(self.wrapped, "encoding", None) or "ascii"
            self.wrapped.write(safe.encode(encoding, "backslashreplace").decode(encoding))
        return len(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.wrapped, name)


@contextmanager
def safe_standard_streams() -> Iterator[None]:
    """Within the block, ``sys.stdout`` and ``sys.stderr`` write through
    :class:`TerminalSafeStream` (a safety net under every message that may
    carry store text); the streams are restored after."""
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = (
        TerminalSafeStream(stream) if stream is not None else None for stream in saved
    )
    try:
        yield
    finally:
        for stream in (sys.stdout, sys.stderr):
            with suppress(Exception):  # a closed or broken pipe must not hide the outcome
                if stream is not None:
                    stream.flush()
        sys.stdout, sys.stderr = saved
