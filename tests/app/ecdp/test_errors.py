"""Problem details, in every shape ECDP (or something in front of it) may
answer, become an EcdpError of the right class with its parts."""

from __future__ import annotations

import json

import pytest

from app.ecdp import (
    EcdpBadRequestError,
    EcdpConflictError,
    EcdpError,
    EcdpNotFoundError,
    EcdpRateLimitedError,
    EcdpServerError,
    EcdpUnauthorizedError,
)
from app.ecdp.errors import error_for_response, field_errors

PROBLEM = "application/problem+json; charset=utf-8"

# The reference page's samples, as printed there.
REFERENCE_400 = {
    "type": "string",
    "title": "string",
    "status": 0,
    "detail": "string",
    "instance": "string",
    "errors": ["string"],
}
REFERENCE_401 = {
    "type": "string",
    "title": "string",
    "status": 0,
    "substatus": "CustomerInvalidModelState",
    "detail": "string",
    "instance": "string",
}


def _error(status: int, body: object, content_type: str = PROBLEM) -> EcdpError:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return error_for_response(status, content_type, raw, "Reason")


def test_the_reference_samples_parse():
    bad = _error(400, REFERENCE_400)
    assert isinstance(bad, EcdpBadRequestError)
    assert (bad.status, bad.title, bad.detail, bad.substatus) == (400, "string", "string", None)
    assert bad.errors == {"": ["string"]}  # a list of strings has no field names
    refused = _error(401, REFERENCE_401)
    assert isinstance(refused, EcdpUnauthorizedError)
    assert refused.substatus == "CustomerInvalidModelState"


def test_field_errors_keep_their_fields():
    error = _error(
        400,
        {
            "title": "One or more validation errors occurred.",
            "status": 400,
            "substatus": "OrderInvalidModelState",
            "errors": {"data[0].customer.email": ["Too long.", "Not an email."]},
        },
    )
    assert error.errors == {"data[0].customer.email": ["Too long.", "Not an email."]}
    assert str(error) == (
        "ECDP answered 400: One or more validation errors occurred. "
        "data[0].customer.email: Too long; data[0].customer.email: Not an email"
    )


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        (403, EcdpUnauthorizedError),
        (404, EcdpNotFoundError),
        (409, EcdpConflictError),
        (429, EcdpRateLimitedError),
        (500, EcdpServerError),
        (503, EcdpServerError),
        (418, EcdpError),
    ],
)
def test_each_status_has_its_class(status, kind):
    error = _error(status, {"title": "T", "status": status})
    assert type(error) is kind and error.status == status


def test_an_html_page_or_garbage_is_summarised_not_quoted():
    page = b"<html><body><h1>502 Bad Gateway</h1>" + b"x" * 5000 + b"</body></html>"
    error = _error(502, page, "text/html")
    assert isinstance(error, EcdpServerError)
    assert "HTML error page" in str(error) and len(str(error)) < 200
    garbled = _error(400, b'{"title": "trunc', "application/json")
    assert str(garbled) == "ECDP answered 400: Reason"


def test_field_errors_of_any_shape():
    assert field_errors({"a": "one"}) == {"a": ["one"]}
    assert field_errors(["x", None]) == {"": ["x"]}
    assert field_errors("just text") == {"": ["just text"]}
    assert field_errors(None) == {}
