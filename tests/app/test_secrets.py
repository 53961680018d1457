"""Tokens in the OS keyring only: a secure backend stores them; no keyring, a
plain-text one or a failing one keeps them for this session and says so; the
environment override wins; no token ever reaches a file, a log or a message."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail, null
from keyring.errors import KeyringError, KeyringLocked

from app.config import Account, AccountStore
from app.platform.environment_secrets import (
    environment_secret,
    forget_environment_secrets,
    take_environment_secrets,
)
from app.platform.logs import MASK, configure_logging, redact
from app.platform.paths import cache_dir, config_dir, data_dir, log_dir
from app.secrets import (
    SERVICE_NAME,
    SESSION_ONLY_MESSAGE,
    SecretStore,
    SecretStoreError,
    is_secure_backend,
)

TOKEN = "secret_Hq3VbN8zLw5Ty1Pc"


class PlaintextFileKeyring(KeyringBackend):
    """Like keyrings.alt's file keyring: low priority, writes tokens to disk."""

    priority = 0.5  # type: ignore[assignment]

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path

    def get_password(self, service: str, username: str) -> str | None:
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        self.path.write_text(f"{service} {username} {password}")

    def delete_password(self, service: str, username: str) -> None:
        pass


class PlaintextLookalikeKeyring(PlaintextFileKeyring):
    """Claims a recommended priority, but its name says plain text."""

    priority = 5  # type: ignore[assignment]


class LockedKeyring(KeyringBackend):
    """A secure-looking keyring that fails every call, token in the error text."""

    priority = 1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        raise KeyringLocked("locked")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise KeyringError(f"cannot store {password}")

    def delete_password(self, service: str, username: str) -> None:
        raise KeyringError("cannot delete")


pytestmark = pytest.mark.usefixtures("restore_root_logger")


def files_containing(root: Path, text: str) -> list[Path]:
    needle = text.encode()
    return [p for p in root.rglob("*") if p.is_file() and needle in p.read_bytes()]


# --- the secure path ----------------------------------------------------------


def test_a_secure_keyring_stores_reads_and_deletes(memory_keyring):
    store = SecretStore()
    assert store.is_persistent
    assert "MemoryKeyring" in store.backend_name

    saved = store.set_token("ecwid", "Walnut & Linen", f"  {TOKEN}\n")
    assert saved.persisted and "system keyring" in saved.message
    assert memory_keyring.secrets == {(SERVICE_NAME, "ecwid:Walnut & Linen"): TOKEN}
    assert store.get_token("ecwid", "Walnut & Linen") == TOKEN
    assert SecretStore().get_token("ecwid", "Walnut & Linen") == TOKEN  # next session
    assert store.get_token("ecdp", "Walnut & Linen") is None

    assert store.delete_token("ecwid", "Walnut & Linen") is True
    assert memory_keyring.secrets == {}
    assert store.get_token("ecwid", "Walnut & Linen") is None
    assert store.delete_token("ecwid", "Walnut & Linen") is False  # missing is fine


def test_the_backend_is_probed_once_when_first_needed(memory_keyring, monkeypatch):
    """Making a store probes nothing (the window makes one before its first
    rows; a Secret Service may have to be reached or unlocked); the first
    token asked for probes the backend, once."""
    probes = []

    def get_keyring():
        probes.append(True)
        return memory_keyring

    monkeypatch.setattr(keyring, "get_keyring", get_keyring)
    store = SecretStore()
    assert probes == []
    assert store.get_token("ecwid", "Shop") is None
    assert probes == [True]
    monkeypatch.setattr(keyring, "get_keyring", lambda: fail.Keyring())
    assert store.is_persistent  # still the backend probed first
    assert store.set_token("ecwid", "Shop", TOKEN).persisted
    assert memory_keyring.secrets[(SERVICE_NAME, "ecwid:Shop")] == TOKEN
    assert probes == [True]


def test_tokens_are_registered_for_redaction():
    SecretStore().set_token("ecwid", "Shop", TOKEN)
    assert redact(f"oops {TOKEN}") == f"oops {MASK}"


def test_an_empty_token_or_account_is_refused():
    store = SecretStore()
    with pytest.raises(ValueError, match="empty"):
        store.set_token("ecwid", "Shop", "   ")
    with pytest.raises(ValueError, match="both needed"):
        store.get_token("ecwid", "")


# --- no secure keyring --------------------------------------------------------


@pytest.mark.parametrize(
    "backend",
    [
        fail.Keyring(),
        null.Keyring(),
        PlaintextFileKeyring(Path("unused")),
        PlaintextLookalikeKeyring(Path("unused")),
    ],
    ids=["fail", "null", "low-priority", "plaintext-name"],
)
def test_insecure_backends_are_recognised(backend):
    assert not is_secure_backend(backend)


def test_a_chainer_is_as_secure_as_its_first_backend(monkeypatch, memory_keyring):
    monkeypatch.setattr(chainer.ChainerBackend, "backends", [])
    assert not is_secure_backend(chainer.ChainerBackend())
    monkeypatch.setattr(chainer.ChainerBackend, "backends", [memory_keyring])
    assert is_secure_backend(chainer.ChainerBackend())
    monkeypatch.setattr(chainer.ChainerBackend, "backends", [PlaintextFileKeyring(Path("x"))])
    assert not is_secure_backend(chainer.ChainerBackend())


def test_without_a_keyring_the_token_lasts_this_session_only():
    keyring.set_keyring(fail.Keyring())
    store = SecretStore()
    assert not store.is_persistent
    saved = store.set_token("ecwid", "Shop", TOKEN)
    assert saved.persisted is False
    assert saved.message == SESSION_ONLY_MESSAGE
    assert store.get_token("ecwid", "Shop") == TOKEN
    assert SecretStore().get_token("ecwid", "Shop") is None  # asked again next time
    assert store.delete_token("ecwid", "Shop") is True
    assert store.get_token("ecwid", "Shop") is None


def test_a_plaintext_keyring_is_never_written(tmp_path):
    target = data_dir() / "keyring_pass.cfg"
    keyring.set_keyring(PlaintextFileKeyring(target))
    store = SecretStore()
    saved = store.set_token("ecdp", "CDP", TOKEN)
    assert (saved.persisted, saved.message) == (False, SESSION_ONLY_MESSAGE)
    assert not target.exists()
    assert store.get_token("ecdp", "CDP") == TOKEN


def test_a_broken_keyring_configuration_counts_as_none(monkeypatch):
    def broken():
        raise RuntimeError("bad keyringrc.cfg")

    monkeypatch.setattr(keyring, "get_keyring", broken)
    store = SecretStore()
    assert not store.is_persistent and store.backend_name == "none"
    assert store.set_token("ecwid", "Shop", TOKEN).persisted is False


def test_a_failing_keyring_falls_back_to_the_session_and_logs_no_secret(caplog):
    keyring.set_keyring(LockedKeyring())
    store = SecretStore()
    assert store.is_persistent  # it looks secure until it is used
    with caplog.at_level(logging.DEBUG):
        saved = store.set_token("ecwid", "Shop", TOKEN)
        assert saved.persisted is False
        assert "could not store the token" in saved.message
        assert "this session only" in saved.message
        assert store.get_token("ecwid", "Shop") == TOKEN  # from the session
        assert store.get_token("ecwid", "Other") is None  # keyring locked: None + warning
        with pytest.raises(SecretStoreError) as caught:
            store.delete_token("ecwid", "Shop")
    assert TOKEN not in str(caught.value)
    assert "KeyringError" in caplog.text and "KeyringLocked" in caplog.text
    assert TOKEN not in caplog.text
    assert all(TOKEN not in str(r.args) for r in caplog.records)


# --- the environment override -------------------------------------------------


def test_backroom_token_wins_and_is_never_stored(monkeypatch, memory_keyring):
    store = SecretStore()
    store.set_token("ecwid", "Shop", "secret_StoredInKeyring1")
    monkeypatch.setenv("BACKROOM_TOKEN", TOKEN)
    assert store.get_token("ecwid", "Shop") == TOKEN
    # an Ecwid token is never handed to ECDP: its key comes from the keyring
    store.set_token("ecdp", "Unit", "ecdp-key-in-keyring")
    assert store.get_token("ecdp", "Unit") == "ecdp-key-in-keyring"
    assert TOKEN not in memory_keyring.secrets.values()
    assert redact(TOKEN) == MASK
    forget_environment_secrets()
    assert store.get_token("ecwid", "Shop") == "secret_StoredInKeyring1"


def test_secret_variables_leave_the_environment_and_stay_in_memory(monkeypatch):
    monkeypatch.setenv("BACKROOM_TOKEN", f" {TOKEN} ")
    monkeypatch.setenv("BACKROOM_ECDP_KEY", "ecdp-key-from-the-environment")
    take_environment_secrets()
    # gone from the environment every child process inherits…
    assert "BACKROOM_TOKEN" not in os.environ and "BACKROOM_ECDP_KEY" not in os.environ
    child = subprocess.run(
        [
            sys.executable,
            "-c",
            "import os; print(sorted(k for k in os.environ if 'BACKROOM' in k))",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "BACKROOM_TOKEN" not in child.stdout and "BACKROOM_ECDP_KEY" not in child.stdout
    # …and still what the token readers get
    assert SecretStore().get_token("ecwid", "Shop") == TOKEN
    assert environment_secret("BACKROOM_ECDP_KEY") == "ecdp-key-from-the-environment"
    assert redact("key ecdp-key-from-the-environment") == f"key {MASK}"
    # set again later (a library caller): the new value is taken, and removed too
    monkeypatch.setenv("BACKROOM_TOKEN", "secret_SetLater0042")
    assert SecretStore().get_token("ecwid", "Shop") == "secret_SetLater0042"
    assert "BACKROOM_TOKEN" not in os.environ


# --- nowhere else -------------------------------------------------------------


@pytest.mark.parametrize("mode", ["secure", "no-keyring", "plaintext", "failing"])
def test_the_token_reaches_no_file_no_log_and_no_repr(mode, tmp_path, monkeypatch):
    if mode == "no-keyring":
        keyring.set_keyring(fail.Keyring())
    elif mode == "plaintext":
        keyring.set_keyring(PlaintextFileKeyring(data_dir() / "keyring_pass.cfg"))
    elif mode == "failing":
        keyring.set_keyring(LockedKeyring())
    configure_logging(level=logging.DEBUG)
    accounts = AccountStore.load()
    accounts.add(Account(name="Shop", kind="ecwid", store_id="4870020"))

    store = SecretStore()
    saved = store.set_token("ecwid", "Shop", TOKEN)
    assert store.get_token("ecwid", "Shop") == TOKEN
    logging.getLogger("backroom.test").warning("token was %s", TOKEN)
    for handler in logging.getLogger().handlers:
        handler.flush()

    assert saved.persisted is (mode == "secure")
    assert TOKEN not in repr(store) and TOKEN not in repr(saved) and TOKEN not in saved.message
    roots = {tmp_path, data_dir(), config_dir(), cache_dir(), log_dir()}
    assert (log_dir() / "backroom.log").read_text().count(MASK) >= 1
    assert all(files_containing(root, TOKEN) == [] for root in roots)
