"""The clients' and the local files' errors derive from the shared bases, so
the window and the command line can catch a kind of failure without knowing
which client or file failed; their messages stay their own."""

from __future__ import annotations

import pytest

from app.cache.errors import CacheCorruptError, CacheError
from app.domain import errors
from app.ecdp import errors as ecdp
from app.ecwid import errors as ecwid
from app.services.outbox.database import OutboxDamaged, OutboxError


@pytest.mark.parametrize(
    ("error", "base"),
    [
        (ecwid.EcwidError, errors.StoreServiceError),
        (ecwid.EcwidNetworkError, errors.Unreachable),
        (ecwid.EcwidUnauthorizedError, errors.TokenRefused),
        (ecwid.EcwidScopeError, errors.TokenRefused),
        (ecwid.EcwidScopeError, errors.ScopeMissing),
        (ecwid.EcwidBadRequestError, errors.Refused),
        (ecwid.EcwidConflictError, errors.Refused),
        (ecwid.EcwidFileTooLargeError, errors.Refused),
        (ecwid.EcwidUnfinishedOrderError, errors.Refused),
        (ecwid.EcwidNotFoundError, errors.NotFound),
        (ecwid.EcwidRateLimitedError, errors.RateLimited),
        (ecwid.EcwidServerError, errors.ServiceFailed),
        (ecwid.EcwidProtocolError, errors.UnreadableAnswer),
        (ecwid.EcwidPaymentRequiredError, errors.StoreServiceError),
        (ecdp.EcdpError, errors.StoreServiceError),
        (ecdp.EcdpNetworkError, errors.Unreachable),
        (ecdp.EcdpUnauthorizedError, errors.TokenRefused),
        (ecdp.EcdpValidationError, errors.Refused),
        (ecdp.EcdpValidationError, errors.InvalidRequest),
        (ecdp.EcdpBadRequestError, errors.Refused),
        (ecdp.EcdpNotFoundError, errors.NotFound),
        (ecdp.EcdpRateLimitedError, errors.RateLimited),
        (ecdp.EcdpServerError, errors.ServiceFailed),
        (ecdp.EcdpProtocolError, errors.UnreadableAnswer),
        (CacheError, errors.LocalDataError),
        (CacheCorruptError, errors.LocalDataDamaged),
        (OutboxError, errors.LocalDataError),
        (OutboxDamaged, errors.LocalDataDamaged),
    ],
)
def test_each_error_has_its_shared_base(error, base):
    assert issubclass(error, base)
    assert issubclass(error, errors.BackroomError)


def test_the_errors_keep_their_own_words_and_fields():
    error = ecwid.EcwidRateLimitedError("Ecwid answered 429: slow down", status=429, retry_after=3)
    assert str(error) == "Ecwid answered 429: slow down"
    assert (error.status, error.retry_after, error.code) == (429, 3, "RATE_LIMITED")
    with pytest.raises(errors.RateLimited):
        raise error
    checked = ecdp.EcdpValidationError("bad", errors={"data[0].id": ["missing"]})
    assert isinstance(checked, ValueError) and checked.errors == {"data[0].id": ["missing"]}
    assert errors.StoreServiceError("x").status is None
    assert errors.RateLimited("x").retry_after is None
