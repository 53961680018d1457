"""The kinds of failure every layer names the same way: the bases the window
and the command line catch without importing a client or the cache.

Each client and each local file keeps its own error classes (their names say
which service or file failed, their messages are in plain words); they
derive from these bases, which carry no state of their own::

    BackroomError
    ├── StoreServiceError       Ecwid or ECDP did not do what was asked
    │   ├── Unreachable         no answer: no network, a timeout, a DNS failure
    │   ├── TokenRefused        the token or key is wrong, revoked, or lacks a scope
    │   │   └── ScopeMissing    …a valid token whose app lacks the scope this needs
    │   ├── Refused             the service refused this request (its message says why)
    │   │   └── InvalidRequest  …before sending it: it breaks a rule of the reference
    │   ├── NotFound            the order (or item, file) does not exist there
    │   ├── RateLimited         too many requests, still after waiting
    │   ├── ServiceFailed       the service failed (5xx): worth trying again later
    │   └── UnreadableAnswer    it answered something Backroom cannot read
    └── LocalDataError          a file on this computer (the cache, the outbox) failed
        └── LocalDataDamaged    …because it is damaged or not what it should be

An error's message is what the user sees; nothing here changes it.
"""

from __future__ import annotations


class BackroomError(Exception):
    """Something Backroom could not do; ``str(error)`` says what, in plain words."""


class StoreServiceError(BackroomError):
    """A remote service (the store's Ecwid, or ECDP) did not do what was asked.
    ``status`` is the HTTP status when there was an answer."""

    status: int | None = None


class Unreachable(StoreServiceError):
    """No answer: the connection was refused or dropped, it timed out, or the
    name did not resolve."""


class TokenRefused(StoreServiceError):
    """The token (or API key) is missing, wrong, revoked, or may not do this."""


class ScopeMissing(TokenRefused):
    """The token is valid, but the app it belongs to lacks the access scope
    this request needs: ``scope`` names it when the service did."""

    scope: str | None = None


class Refused(StoreServiceError):
    """The service refused this request: a field, a state, a size or a type it
    does not accept (the message says which)."""


class InvalidRequest(Refused, ValueError):
    """Refused before anything was sent: the request breaks a rule of the
    service's reference (a required field, a length, a status name); the
    message names the rule. The caller asked for something that cannot be."""


class NotFound(StoreServiceError):
    """What the request named (an order, an item, a file) does not exist there."""


class RateLimited(StoreServiceError):
    """Too many requests, still after the waits allowed: ``retry_after``
    seconds to wait, when the service said."""

    retry_after: float | None = None


class ServiceFailed(StoreServiceError):
    """The service failed (a server error): worth trying again later."""


class UnreadableAnswer(StoreServiceError):
    """The service answered something Backroom cannot read: not JSON,
    truncated, or of an unexpected shape."""


class LocalDataError(BackroomError):
    """A file Backroom keeps on this computer (the order cache, the outbox)
    could not be read or written; the message says which and why."""


class LocalDataDamaged(LocalDataError):
    """The file is damaged, or is not the file it should be."""
