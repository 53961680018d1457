"""Accounts and their settings, kept in ``accounts.json`` in the config
directory. Never a secret: tokens and API keys live only in the OS keyring
(:mod:`app.secrets`), and any field whose name suggests a secret is refused.

The file is written atomically on every change (temporary file in the same
folder, fsync, ``os.replace``). A file that cannot be read is reported with a
:class:`ConfigError` naming the file and the fault; it is never overwritten.
Fields this version does not know are kept and written back unchanged.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
import unicodedata
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from app.json_documents import (
    DocumentError,
    DocumentKind,
    load_document,
    too_deep,
    write_document,
)
from app.platform.paths import config_dir, data_dir

ACCOUNTS_FILE_NAME = "accounts.json"
FILE_FORMAT = "backroom-accounts"
FILE_VERSION = 1
CACHE_FILE_NAME = "cache.sqlite3"
ACCOUNTS_DOCUMENT = DocumentKind(
    format=FILE_FORMAT,
    version=FILE_VERSION,
    title="a Backroom accounts file",
    contents="Backroom's accounts",
    items="accounts",
    header_optional=True,
)

_SECRET_WORDS = frozenset(
    {"token", "key", "apikey", "password", "passwd", "pwd", "secret", "credential", "credentials"}
)
_SECRET_FRAGMENTS = ("token", "password", "secret", "apikey", "passwd")


class ConfigError(Exception):
    """The accounts file cannot be read or written, or a change is not allowed."""


class UnknownAccountError(ConfigError, KeyError):
    """No account has this name."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class DuplicateAccountError(ConfigError, ValueError):
    """An account with this name already exists."""


def _secret_like(name: str) -> bool:
    """Whether a field name suggests a secret (``token``, ``apiKey``, ``x-api-key``…)."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", name)
    parts = {part for part in re.split(r"[^A-Za-z0-9]+", spaced.lower()) if part}
    squashed = re.sub(r"[^a-z0-9]", "", name.lower())
    return bool(parts & _SECRET_WORDS) or any(f in squashed for f in _SECRET_FRAGMENTS)


def _secret_fields(value: Any, where: str = "") -> list[str]:
    """Every key (at any depth) whose name suggests a secret, as dotted paths."""
    found: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            path = f"{where}.{key}" if where else str(key)
            if _secret_like(str(key)):
                found.append(path)
            found.extend(_secret_fields(item, path))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.extend(_secret_fields(item, f"{where}[{index}]"))
    return found


def _refuse_secret_fields(data: Any) -> Any:
    fields = _secret_fields(data)
    if fields:
        raise ValueError(
            f"field {', '.join(repr(f) for f in fields)} looks like a secret; tokens and keys "
            "are kept only in the system keyring, never in the settings file"
        )
    return data


class _ConfigModel(BaseModel):
    # Unknown fields are kept (a newer version may have written them); inputs
    # are left out of error texts so a pasted token never reaches a message.
    model_config = ConfigDict(extra="allow", frozen=True, hide_input_in_errors=True)

    @model_validator(mode="before")
    @classmethod
    def _no_secrets(cls, data: Any) -> Any:
        return _refuse_secret_fields(data)


class AccountSettings(_ConfigModel):
    """What the user can set per account (all optional, sensible defaults)."""

    sync_interval_minutes: int = Field(15, ge=1, le=1440, strict=True)
    notify_new_orders: bool = Field(True, strict=True)
    notification_sound: bool = Field(False, strict=True)
    time_zone: str | None = None  # IANA name; None = the store's own zone
    invoice_paper: Literal["A4", "Letter"] = "A4"
    prefetch_invoices_days: int = Field(14, ge=0, le=365, strict=True)  # 0 = off
    ecdp_website_id: int | None = Field(None, ge=1, strict=True)
    auto_push_to_ecdp: bool = Field(False, strict=True)
    # how long after an edit is confirmed the next syncs check that nobody overwrote it
    overwrite_watch_minutes: int = Field(10, ge=0, le=1440, strict=True)

    @field_validator("time_zone", mode="before")
    @classmethod
    def _known_zone(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip()
            if not value:
                return None
            try:
                ZoneInfo(value)
            except (ZoneInfoNotFoundError, ValueError):
                raise ValueError(
                    f"unknown time zone {value!r}; use an IANA name such as 'Europe/Berlin' "
                    "or 'UTC', or leave it empty for the store's own zone"
                ) from None
        return value

    @field_validator("invoice_paper", mode="before")
    @classmethod
    def _paper_any_case(cls, value: Any) -> Any:
        if isinstance(value, str):
            return {"a4": "A4", "letter": "Letter"}.get(value.strip().lower(), value)
        return value


class Account(_ConfigModel):
    """One connected shop: an Ecwid store or an ECDP business unit."""

    name: str = Field(max_length=100)
    kind: Literal["ecwid", "ecdp"]
    store_id: str | None = None  # digits; required for Ecwid
    api_url: str | None = None  # None = the service's default address
    settings: AccountSettings = Field(default_factory=AccountSettings)

    @field_validator("name", mode="before")
    @classmethod
    def _clean_name(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip()
            if not value:
                raise ValueError("the account name must not be empty")
            if any(unicodedata.category(ch) == "Cc" for ch in value):
                raise ValueError("the account name must not contain control characters")
        return value

    @field_validator("store_id", mode="before")
    @classmethod
    def _digits(cls, value: Any) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if isinstance(value, str):
            value = value.strip()
            if not value:
                return None
            if not (value.isascii() and value.isdigit()):
                raise ValueError("the store ID must be digits only, e.g. 4870020")
        return value

    @field_validator("api_url", mode="before")
    @classmethod
    def _http_url(cls, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        value = value.strip()
        if not value:
            return None
        parts = urlsplit(value)
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            raise ValueError("the API address must be an http:// or https:// URL with a host")
        if parts.username or parts.password:
            raise ValueError("the API address must not contain a user name or password")
        if parts.query or parts.fragment:
            raise ValueError("the API address must be a base address, without '?…' or '#…'")
        return value.rstrip("/")

    @model_validator(mode="after")
    def _ecwid_needs_store(self) -> Account:
        if self.kind == "ecwid" and self.store_id is None:
            raise ValueError("an Ecwid account needs its store ID (digits, e.g. 4870020)")
        return self

    @property
    def lookup_name(self) -> str:
        """The name as compared for uniqueness (case and width ignored)."""
        return unicodedata.normalize("NFKC", self.name).casefold()


def describe_validation_error(error: ValidationError) -> str:
    """A short, input-free description of every problem pydantic found."""
    lines = []
    for item in error.errors(include_input=False, include_url=False):
        where = ".".join(str(part) for part in item["loc"])
        message = item["msg"].removeprefix("Value error, ")
        lines.append(f"{where}: {message}" if where else message)
    return "; ".join(lines)


def account_dir(account: Account) -> Path:
    """This account's folder in the data directory (created).

    The folder name is a readable slug of the name plus a short hash of what
    identifies the data source (kind, name, store, address), so a different
    store behind a reused name never inherits the old cache."""
    ascii_name = unicodedata.normalize("NFKD", account.name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:40].strip("-") or "account"
    identity = "\0".join(
        [account.kind, account.name, account.store_id or "", account.api_url or ""]
    )
    digest = hashlib.sha256(identity.encode("utf-8")).hexdigest()[:10]
    path = data_dir() / "accounts" / f"{slug}-{digest}"
    path.mkdir(parents=True, exist_ok=True)
    return path


def cache_path(account: Account) -> Path:
    """Where this account's local SQLite cache lives (its folder is created)."""
    return account_dir(account) / CACHE_FILE_NAME


DESK_ENV = "BACKROOM_DESK"


def default_desk_name() -> str:
    """The computer's name, as the desk's name when none is set."""
    import socket

    return clean_desk_name(socket.gethostname() or "") or "This computer"


def clean_desk_name(name: str) -> str:
    """A desk name without control characters, at most 60 characters."""
    text = "".join(ch for ch in name if unicodedata.category(ch) not in ("Cc", "Cs")).strip()
    return text[:60]


def _refuse_secret_document(path: Path, document: dict[str, Any]) -> None:
    """ConfigError when a top-level field of the file looks like a secret
    (the accounts' own fields are checked by their model)."""
    secret_fields = _secret_fields({k: v for k, v in document.items() if k != "accounts"})
    if secret_fields:
        raise ConfigError(
            f"{path}: field {', '.join(repr(f) for f in secret_fields)} looks like a secret; "
            "tokens and keys are kept only in the system keyring, never in the settings file."
        )


class AccountStore:
    """The accounts in ``accounts.json``; every change is saved at once."""

    def __init__(self, path: Path, document: dict[str, Any], accounts: list[Account]) -> None:
        self.path = path
        self._document = document  # the file's other top-level fields, kept as read
        self._accounts = accounts
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"AccountStore({str(self.path)!r}, {len(self._accounts)} accounts)"

    @classmethod
    def load(cls, path: Path | None = None) -> AccountStore:
        """Read the accounts file (a missing file is an empty store)."""
        path = path if path is not None else config_dir() / ACCOUNTS_FILE_NAME
        try:
            document = load_document(path, ACCOUNTS_DOCUMENT)
            if document is None:
                return cls(path, {}, [])
            _refuse_secret_document(path, document)
            return cls._from_document(path, document)
        except DocumentError as error:
            raise ConfigError(str(error)) from None
        except RecursionError:  # nested too deeply for pydantic, though json read it
            raise ConfigError(str(too_deep(path, ACCOUNTS_DOCUMENT))) from None

    @classmethod
    def _from_document(cls, path: Path, document: dict[str, Any]) -> AccountStore:
        accounts: list[Account] = []
        seen: set[str] = set()
        for index, item in enumerate(document.pop("accounts")):
            label = f"account #{index + 1}"
            if isinstance(item, dict) and isinstance(item.get("name"), str):
                label += f" ({item['name'].strip()!r})"
            try:
                account = Account.model_validate(item)
            except ValidationError as error:
                raise ConfigError(f"{path}: {label}: {describe_validation_error(error)}.") from None
            if account.lookup_name in seen:
                raise ConfigError(f"{path}: {label}: the name is used by another account.")
            seen.add(account.lookup_name)
            accounts.append(account)
        return cls(path, document, accounts)

    @property
    def desk_name(self) -> str:
        """This installation's name in the activity log (``BACKROOM_DESK``,
        else the one set, else the computer's name)."""
        from_env = os.environ.get(DESK_ENV, "").strip()
        if from_env:
            return clean_desk_name(from_env)
        with self._lock:
            stored = self._document.get("desk")
        if isinstance(stored, str) and stored.strip():
            return clean_desk_name(stored)
        return default_desk_name()

    def set_desk_name(self, name: str) -> None:
        """Name this installation (blank: the computer's name again)."""
        with self._lock:
            cleaned = name.strip()
            document = dict(self._document)
            if cleaned:
                document["desk"] = clean_desk_name(cleaned)
            else:
                document.pop("desk", None)
            previous, self._document = self._document, document
            try:
                self._commit(list(self._accounts))
            except BaseException:
                self._document = previous
                raise

    def accounts(self) -> list[Account]:
        """All accounts, in the order they were added."""
        with self._lock:
            return list(self._accounts)

    def get(self, name: str) -> Account:
        """The account with this name (case ignored); :class:`UnknownAccountError` if none."""
        with self._lock:
            return self._accounts[self._index(name)]

    def add(self, account: Account) -> None:
        """Add a new account; :class:`DuplicateAccountError` if the name is taken."""
        with self._lock:
            if any(existing.lookup_name == account.lookup_name for existing in self._accounts):
                raise DuplicateAccountError(
                    f"An account named {account.name!r} already exists; choose another name."
                )
            self._commit([*self._accounts, account])

    def update(self, account: Account) -> None:
        """Replace the account that has the same name."""
        with self._lock:
            index = self._index(account.name)
            accounts = list(self._accounts)
            accounts[index] = account
            self._commit(accounts)

    def remove(self, name: str) -> Account:
        """Remove the account with this name and return it."""
        with self._lock:
            index = self._index(name)
            accounts = list(self._accounts)
            removed = accounts.pop(index)
            self._commit(accounts)
            return removed

    def save(self) -> None:
        """Write the file now (every change already does this)."""
        with self._lock:
            self._commit(list(self._accounts))

    def _index(self, name: str) -> int:
        key = unicodedata.normalize("NFKC", name.strip()).casefold()
        for index, account in enumerate(self._accounts):
            if account.lookup_name == key:
                return index
        raise UnknownAccountError(f"There is no account named {name!r}.")

    def _commit(self, accounts: list[Account]) -> None:
        """Save ``accounts``; only once the file is written does the store change."""
        document = {
            **self._document,
            "format": FILE_FORMAT,
            "version": FILE_VERSION,
            "accounts": [account.model_dump(mode="json") for account in accounts],
        }
        write_document(self.path, document, "the accounts", ConfigError)
        self._accounts = accounts
