"""Credentials inside URLs in store data: which parameters count, how they are
removed (the rest of the text stays byte for byte), how they are masked for
logs, and that the fast pre-check never lets one through."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.url_credentials import (
    is_credential_name,
    mask_url_credentials,
    might_carry_credentials,
    scrub_order,
    strip_url_credentials,
)


@pytest.mark.parametrize(
    "name",
    [
        "token",
        "TOKEN",
        "Token",
        "access_key",
        "key",
        "api_key",
        "apikey",
        "API-KEY",
        "signature",
        "sig",
        "secret",
        "client_secret",
        "password",
        "auth",
        "access_token",
        "X-Amz-Signature",
        "X-Amz-Credential",
        "X-Amz-Security-Token",
        "%74oken",  # "token", percent-encoded
        "session",
        "jsessionid",
    ],
)
def test_credential_parameter_names(name):
    assert is_credential_name(name)


@pytest.mark.parametrize(
    "name", ["keyword", "monkey", "id", "lang", "v", "utm_source", "tokens_left", "step"]
)
def test_other_parameter_names(name):
    assert not is_credential_name(name)


@pytest.mark.parametrize(
    ("text", "cleaned"),
    [
        (
            "https://app.ecwid.com/api/v3/4870020/products/37208340/files/7215101?token=123123123",
            "https://app.ecwid.com/api/v3/4870020/products/37208340/files/7215101",
        ),
        (
            "https://x.example/f?lang=en&TOKEN=abc&format=pdf",
            "https://x.example/f?lang=en&format=pdf",
        ),
        ("https://x.example/f?token=abc&lang=en", "https://x.example/f?lang=en"),
        ("https://x.example/f?a=%20b&key=k#top", "https://x.example/f?a=%20b#top"),
        ("https://x.example/cb#access_token=abc&state=7", "https://x.example/cb#state=7"),
        (
            "https://s3.example/o?X-Amz-Algorithm=AWS4&X-Amz-Credential=AK%2F1&X-Amz-Signature=f0",
            "https://s3.example/o?X-Amz-Algorithm=AWS4",
        ),
        (
            "see https://bank.example/r?id=9&access_key=AK-1 please",
            "see https://bank.example/r?id=9 please",
        ),
        (
            '<a href="https://x.example/?a=1&amp;api_key=s3&amp;b=2">x</a>',
            '<a href="https://x.example/?a=1&amp;b=2">x</a>',
        ),
        ("https://user:pa55@x.example/path", "https://user@x.example/path"),
        ("x=1&token=abc", "x=1"),
        # nothing to remove: byte for byte the same
        ("https://x.example/shop/?utm_source=news&utm_medium=email", None),
        ("https://x.example/i.jpg?v=3", None),
        ("Is the walnut from sustainable sources? Yes & no.", None),
        ("a+b=c", None),
        ("ada@example.org", None),
    ],
)
def test_credentials_are_removed_and_the_rest_kept_exactly(text, cleaned):
    assert strip_url_credentials(text) == (text if cleaned is None else cleaned)


def test_masking_for_logs_keeps_the_parameter_and_hides_its_value():
    line = "GET https://app.ecwid.com/api/v3/1/orders?limit=100&token=secret_abc HTTP/1.1"
    assert mask_url_credentials(line) == (
        "GET https://app.ecwid.com/api/v3/1/orders?limit=100&token=[redacted] HTTP/1.1"
    )
    assert mask_url_credentials("https://u:pw@x.example/") == "https://u:[redacted]@x.example/"


def test_scrub_order_walks_every_depth_and_leaves_the_input_alone():
    order = {
        "id": 17541773,
        "items": [
            {"files": [{"adminUrl": "https://a.example/f/1?token=T1", "size": 5}]},
            {"name": "Mug", "imageUrl": "https://a.example/m.jpg?v=2"},
        ],
        "extra": {"deep": [[{"url": "https://a.example/?sig=S2"}]]},
    }
    before = json.dumps(order)
    cleaned, changed = scrub_order(order)
    assert changed
    assert json.dumps(order) == before
    assert cleaned["items"][0]["files"][0] == {"adminUrl": "https://a.example/f/1", "size": 5}
    assert cleaned["items"][1] is order["items"][1]  # what did not change is shared
    assert cleaned["extra"]["deep"][0][0] == {"url": "https://a.example/"}
    assert list(cleaned) == list(order)
    same, changed = scrub_order(cleaned)
    assert same is cleaned and not changed


NAMES = st.sampled_from(
    ["token", "TOKEN", "%74oken", "api-key", "Sig", "x_secret", "v", "lang", "id", "", "a b"]
)
VALUES = st.text(alphabet='ab1%=é \\"/:@', max_size=4)
PARAMS = st.lists(st.tuples(NAMES, st.sampled_from(["=", ""]), VALUES), min_size=1, max_size=3)
URLS = st.builds(
    lambda base, lead, params, joiner, tail: (
        base + lead + joiner.join(name + equals + value for name, equals, value in params) + tail
    ),
    st.sampled_from(["", "https://x.example/f", "see https://u:p@x.example/", "https://u@x"]),
    st.sampled_from(["?", "#", "&", "", " "]),
    PARAMS,
    st.sampled_from(["&", "&amp;", " ", ";"]),
    st.sampled_from(["", "#top", " thanks", '"']),
)
TEXTS = URLS | st.text(max_size=8)


@settings(max_examples=400, deadline=None)
@given(
    st.recursive(
        TEXTS,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXTS, inner, max_size=3),
        max_leaves=6,
    )
)
def test_the_pre_check_never_misses_a_credential(value):
    for encoded in (
        json.dumps(value, ensure_ascii=False),  # UTF-8, as Ecwid sends it
        json.dumps(value),  # non-ASCII escaped
        json.dumps(value).replace("/", "\\/"),  # slashes escaped, as some servers do
        _escaped(value),  # the URL punctuation escaped
    ):
        assert json.loads(encoded) == value
        if not might_carry_credentials(encoded):
            assert scrub_order(value) == (value, False)


def _escaped(value):
    """JSON text of ``value`` with ``? # & = @ : /`` inside strings written as ``\\u00XX``."""
    if isinstance(value, str):
        return (
            '"'
            + "".join(f"\\u{ord(c):04x}" if c in "?#&=@:/" else json.dumps(c)[1:-1] for c in value)
            + '"'
        )
    if isinstance(value, list):
        return "[" + ",".join(map(_escaped, value)) + "]"
    return "{" + ",".join(f"{_escaped(k)}:{_escaped(v)}" for k, v in value.items()) + "}"
