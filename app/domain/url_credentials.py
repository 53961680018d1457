"""Credentials inside URLs that come with store data: removed before anything
is stored, masked before anything is logged.

Old Ecwid answers echoed the API token inside the order (an item file's
``adminUrl: …/files/7215101?token=…``); any URL a store, a payment module or
a customer put into an order may carry a key or a signature the same way.
:func:`scrub_order` walks an order (any JSON value, at any depth) and removes
from every string each query or fragment parameter whose name says it is a
credential (:func:`is_credential_name`), and the password of a
``scheme://user:password@host`` URL. Everything else in the string stays
byte for byte (no URL is re-encoded). :func:`mask_url_credentials` keeps the
parameter and hides only its value, for log lines.

:func:`might_carry_credentials` is a fast test on an order's JSON text: when
it is false, scrubbing would change nothing, so the text can be stored as it
came without walking the order.

Plain standard library, no Qt, no HTTP: the cache, the client and the log
set-up all use it.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote

MASK = "[redacted]"

CREDENTIAL_NAMES = frozenset(
    {
        "token",
        "access_token",
        "refresh_token",
        "id_token",
        "auth",
        "authorization",
        "key",
        "apikey",
        "api_key",
        "access_key",
        "accesskey",
        "secret",
        "client_secret",
        "password",
        "passwd",
        "pwd",
        "signature",
        "sig",
        "credential",
        "credentials",
        "session",
        "sessionid",
        "jsessionid",
        "phpsessid",
    }
)
"""Parameter names (lower case, ``-`` read as ``_``) that carry a credential."""
CREDENTIAL_SUFFIXES = ("_token", "_key", "_secret", "_password", "_signature", "_credential")
"""…and names ending so (``X-Amz-Signature``, ``x_api_key``, ``security_token``)."""

# A query (after "?"), a fragment (after "#") or the rest of a query string
# (after "&"), up to what ends a URL in text or HTML.
_QUERY = re.compile(r"([?#&])([^\s\"'<>#?]*)")
# Parameters are separated by "&" (written "&amp;" inside HTML).
_SEPARATOR = re.compile(r"(&amp;|&)")
_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.\-]*://[^/\s\"'<>@:]*):[^/\s\"'<>@]*@")


def is_credential_name(name: str) -> bool:
    """Whether a URL parameter called ``name`` (as written, percent-encoding
    and all) carries a credential: ``token``, ``access_key``, ``api_key``,
    ``signature``, ``sig``, ``secret``, ``password``, ``auth``… in any case."""
    plain = unquote(name).strip().lower().replace("-", "_").removesuffix("[]")
    return plain in CREDENTIAL_NAMES or plain.endswith(CREDENTIAL_SUFFIXES)


def might_carry_credentials(text: str | bytes) -> bool:
    """False when :func:`scrub_order` would change nothing in the order whose
    JSON text is ``text`` (or :func:`strip_url_credentials` nothing in a
    text): no ``?``, ``#`` or ``&`` followed by a ``=`` before the string ends, no
    ``scheme://…@``, and no JSON escape of an ASCII character (which could
    hide either). A few microseconds for an order: ``bytes.find`` only."""
    raw = text.encode("utf-8") if isinstance(text, str) else text
    escape = raw.find(b"\\u00")
    while escape != -1:
        if raw[escape + 4 : escape + 5] in b"01234567":  # (b"" is in it too: a cut escape)
            return True
        escape = raw.find(b"\\u00", escape + 4)
    for mark in (b"?", b"#", b"&"):
        start = raw.find(mark)
        while start != -1:
            end = raw.find(b'"', start)
            if raw.find(b"=", start, len(raw) if end == -1 else end) != -1:
                return True
            start = raw.find(mark, start + 1)
    at = raw.find(b"@")
    while at != -1:
        begin = raw.rfind(b'"', 0, at) + 1
        if b"://" in raw[begin:at] or b":\\/\\/" in raw[begin:at]:
            return True
        at = raw.find(b"@", at + 1)
    return False


def strip_url_credentials(text: str) -> str:
    """``text`` with credential parameters removed from every URL in it (a
    URL alone, a URL inside a sentence, or HTML with ``&amp;``)."""
    return _rewrite(text, mask=False)


def mask_url_credentials(text: str) -> str:
    """``text`` with the value of every credential parameter replaced by
    :data:`MASK` (for log lines: what was there stays visible, not the secret)."""
    return _rewrite(text, mask=True)


def _rewrite(text: str, *, mask: bool) -> str:
    if "=" in text and ("?" in text or "#" in text or "&" in text):
        text = _QUERY.sub(lambda match: _clean_query(match, mask), text)
    if "@" in text and "://" in text:
        text = _USERINFO.sub(rf"\1:{MASK}@" if mask else r"\1@", text)
    return text


def _clean_query(match: re.Match[str], mask: bool) -> str:
    lead, query = match.groups()
    if "=" not in query:
        return match.group(0)
    parts = _SEPARATOR.split(query)  # parameter, separator, parameter, …
    kept: list[tuple[str, str]] = []  # (the separator before it, the parameter)
    changed = False
    for index in range(0, len(parts), 2):
        separator = parts[index - 1] if index else ""
        param = parts[index]
        name, equals, _ = param.partition("=")
        if equals and is_credential_name(name):
            changed = True
            if mask:
                kept.append((separator, f"{name}={MASK}"))
            continue
        kept.append((separator, param))
    if not changed:
        return match.group(0)
    if not any(param for _, param in kept):
        return ""  # nothing left: the "?" goes too
    first, rest = kept[0][1], kept[1:]
    return lead + first + "".join(separator + param for separator, param in rest)


def scrub_order(value: Any) -> tuple[Any, bool]:
    """``(value without URL credentials, whether anything was removed)``.

    ``value`` is any JSON value (an order); it is never changed in place: a
    changed dict or list is a new one (keys keep their order), and what did
    not change is returned as the very same object."""
    if isinstance(value, str):
        cleaned = strip_url_credentials(value)
        return cleaned, cleaned != value
    if isinstance(value, dict):
        result: dict[Any, Any] | None = None
        for index, (key, item) in enumerate(value.items()):
            cleaned, changed = scrub_order(item)
            if changed and result is None:
                result = dict(list(value.items())[:index])
            if result is not None:
                result[key] = cleaned
        return (value, False) if result is None else (result, True)
    if isinstance(value, list):
        items: list[Any] | None = None
        for index, item in enumerate(value):
            cleaned, changed = scrub_order(item)
            if changed and items is None:
                items = list(value[:index])
            if items is not None:
                items.append(cleaned)
        return (value, False) if items is None else (items, True)
    return value, False
