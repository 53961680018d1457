"""What the subcommands share: picking the account, and turning errors into
a message and an exit code."""

from __future__ import annotations

import sys
from collections.abc import Callable

from pydantic import ValidationError

from app.commands import EXIT_FAILED, EXIT_OFFLINE, EXIT_UNAUTHORIZED, EXIT_USAGE
from app.config import Account, AccountStore, ConfigError, describe_validation_error
from app.ecwid import EcwidError, EcwidNetworkError, EcwidScopeError, EcwidUnauthorizedError
from app.secrets import SecretStoreError
from app.services.accounts import MissingTokenError
from app.store import CacheError


class UsageError(Exception):
    """The command line asked for something that cannot be done as asked."""


def pick_account(accounts: AccountStore, name: str | None) -> Account:
    if name:
        return accounts.get(name)
    ecwid = [a for a in accounts.accounts() if a.kind == "ecwid"]
    if len(ecwid) == 1:
        return ecwid[0]
    if not ecwid:
        raise UsageError("No store is connected yet: backroom account add NAME --store-id N")
    names = ", ".join(a.name for a in ecwid)
    raise UsageError(f"Several stores are connected ({names}): name one with --account")


def run_reporting_errors(command: Callable[[], int]) -> int:
    """Run ``command``; print a plain message for the errors a person can act on."""
    try:
        return command()
    except UsageError as exc:
        return _fail(str(exc), EXIT_USAGE)
    except ValidationError as exc:
        return _fail(describe_validation_error(exc), EXIT_USAGE)
    except EcwidScopeError as exc:
        return _fail(f"The token may not do this: {exc}", EXIT_UNAUTHORIZED)
    except EcwidUnauthorizedError as exc:
        return _fail(f"The store refused the token: {exc}", EXIT_UNAUTHORIZED)
    except EcwidNetworkError as exc:
        return _fail(f"The store could not be reached: {exc}", EXIT_OFFLINE)
    except (EcwidError, ConfigError, CacheError, MissingTokenError, SecretStoreError) as exc:
        return _fail(str(exc), EXIT_FAILED)
    except KeyboardInterrupt:
        return _fail("Interrupted.", EXIT_FAILED)


def _fail(message: str, code: int) -> int:
    print(f"backroom: {message}", file=sys.stderr)
    return code
