"""The one wrapper around :mod:`keyring`: tokens and API keys live in the OS
keyring and nowhere else.

The backend is probed once, when a token is first asked for or kept (keyring
and its backend load then: tens of milliseconds, more with a Secret Service
that must be reached or unlocked; the window shows a store's saved orders
before that). A secure one (``keyring.core.recommended``, not
the "fail"/"null" stand-ins, not a plain-text file) stores tokens under the
service ``backroom`` and the user name ``<kind>:<account name>``. Without a
secure keyring — or when it refuses — the token is kept in memory for this
session only and the user is told so in plain words; it is never written
anywhere else. ``BACKROOM_TOKEN`` in the environment overrides every stored Ecwid
token (headless runs) and is never written anywhere (it is read from memory:
see :mod:`app.platform.environment_secrets`).

No message, log record, repr or exception text carries a token; every token
seen is also registered with :func:`app.platform.logs.register_secret`.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.platform.environment_secrets import TOKEN_ENV, environment_secret
from app.platform.logs import register_secret

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

SERVICE_NAME = "backroom"
SESSION_ONLY_MESSAGE = (
    "No secure keyring is available here; the token is kept for this session only "
    "and you will be asked again next time."
)
_PLAINTEXT_MARKERS = ("plaintext", "plain text", "plain_text", "unencrypted")

log = logging.getLogger(__name__)


class SecretStoreError(Exception):
    """The keyring failed in a way the user must know about (never carries a secret)."""


@dataclass(frozen=True)
class SecretSaved:
    """What became of a token handed to :meth:`SecretStore.set_token`."""

    persisted: bool
    message: str


def _backend_label(backend: KeyringBackend) -> str:
    try:
        return str(backend.name)
    except Exception:  # a broken backend still needs a name in messages
        return type(backend).__name__


def is_secure_backend(backend: KeyringBackend | None) -> bool:
    """Whether tokens may be stored in ``backend``: recommended by keyring
    itself (priority ≥ 1), not the fail/null stand-ins, not plain text."""
    import keyring.core
    from keyring.backends import chainer, fail, null

    if backend is None or isinstance(backend, (fail.Keyring, null.Keyring)):
        return False
    if isinstance(backend, chainer.ChainerBackend):
        try:
            chained = list(backend.backends)
        except Exception:
            return False
        # Writes go to the first chained backend: it decides.
        return bool(chained) and is_secure_backend(chained[0])
    try:
        if not keyring.core.recommended(backend):
            return False
    except Exception:
        return False
    kind = type(backend)
    names = f"{kind.__module__}.{kind.__qualname__} {_backend_label(backend)}".lower()
    return not any(marker in names for marker in _PLAINTEXT_MARKERS)


def _username(kind: str, name: str) -> str:
    if not kind or not name:
        raise ValueError("an account kind and an account name are both needed")
    return f"{kind}:{name}"


class SecretStore:
    """Tokens per account: in the OS keyring when it is secure, otherwise in
    memory for this session only."""

    def __init__(self) -> None:
        self._session: dict[str, str] = {}
        self._probe_lock = threading.Lock()
        self._probed: tuple[KeyringBackend | None, bool] | None = None

    def _probe(self) -> tuple[KeyringBackend | None, bool]:
        """The keyring's backend and whether it is secure, probed once (from
        any thread)."""
        with self._probe_lock:
            if self._probed is None:
                import keyring

                backend: KeyringBackend | None
                try:
                    backend = keyring.get_keyring()
                except Exception as error:  # a broken keyring configuration is "no keyring"
                    log.warning("No keyring backend could be loaded (%s)", type(error).__name__)
                    backend = None
                secure = is_secure_backend(backend)
                log.info(
                    "Keyring backend %s is %s",
                    _backend_label(backend) if backend is not None else "none",
                    "used for tokens" if secure else "not secure; tokens are kept for this session",
                )
                self._probed = (backend, secure)
            return self._probed

    @property
    def _backend(self) -> KeyringBackend | None:
        return self._probe()[0]

    @property
    def _secure(self) -> bool:
        return self._probe()[1]

    def __repr__(self) -> str:
        return (
            f"SecretStore(backend={self.backend_name!r}, persistent={self._secure}, "
            f"session_tokens={len(self._session)})"
        )

    @property
    def is_persistent(self) -> bool:
        """Whether tokens survive a restart (a secure keyring is in use)."""
        return self._secure

    @property
    def backend_name(self) -> str:
        return _backend_label(self._backend) if self._backend is not None else "none"

    def set_token(self, account_kind: str, account_name: str, token: str) -> SecretSaved:
        """Keep ``token`` for this account: in the keyring if possible, else for
        this session only (said so in the returned message)."""
        user = _username(account_kind, account_name)
        token = token.strip()
        if not token:
            raise ValueError("the token is empty")
        register_secret(token)
        if self._backend is None or not self._secure:
            self._session[user] = token
            return SecretSaved(False, SESSION_ONLY_MESSAGE)
        try:
            self._backend.set_password(SERVICE_NAME, user, token)
        except Exception as error:  # KeyringError, or a D-Bus/OS error that escaped it
            log.warning(
                "The keyring (%s) refused to store the token for %s (%s); "
                "keeping it for this session only",
                self.backend_name,
                user,
                type(error).__name__,
            )
            self._session[user] = token
            return SecretSaved(
                False,
                "The system keyring could not store the token; it is kept for this session "
                "only and you will be asked again next time.",
            )
        self._session.pop(user, None)
        return SecretSaved(True, f"The token is saved in the system keyring ({self.backend_name}).")

    def get_token(self, kind: str, name: str) -> str | None:
        """The token for this account: ``BACKROOM_TOKEN`` if set (Ecwid only), then this
        session's, then the keyring's; ``None`` when there is none."""
        user = _username(kind, name)
        override = environment_secret(TOKEN_ENV) if kind == "ecwid" else ""
        if override:
            return override
        if user in self._session:
            return self._session[user]
        if self._backend is None or not self._secure:
            return None
        try:
            token = self._backend.get_password(SERVICE_NAME, user)
        except Exception as error:
            log.warning(
                "The keyring (%s) could not be read for %s (%s)",
                self.backend_name,
                user,
                type(error).__name__,
            )
            return None
        if token:
            register_secret(token)
        return token or None

    def delete_token(self, kind: str, name: str) -> bool:
        """Forget this account's token (keyring and session). Returns whether
        one was stored; a missing entry is not an error. Raises
        :class:`SecretStoreError` when the keyring fails to delete it."""
        user = _username(kind, name)
        removed = self._session.pop(user, None) is not None
        if self._backend is None or not self._secure:
            return removed
        from keyring.errors import PasswordDeleteError

        try:
            if self._backend.get_password(SERVICE_NAME, user) is None:
                return removed
            self._backend.delete_password(SERVICE_NAME, user)
        except PasswordDeleteError:
            return removed
        except Exception as error:
            log.warning(
                "The keyring (%s) could not delete the token for %s (%s)",
                self.backend_name,
                user,
                type(error).__name__,
            )
            raise SecretStoreError(
                "The system keyring could not delete the token; remove the entry "
                f"'{SERVICE_NAME}' / '{user}' with the system's password manager."
            ) from None
        return True


__all__ = [
    "SERVICE_NAME",
    "SESSION_ONLY_MESSAGE",
    "TOKEN_ENV",
    "SecretSaved",
    "SecretStore",
    "SecretStoreError",
    "is_secure_backend",
]
