"""Accounts and settings in accounts.json: validation, atomic saves, damaged or
foreign files reported (never overwritten), unknown fields kept, no secrets."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest
from pydantic import ValidationError

from app.config import (
    Account,
    AccountSettings,
    AccountStore,
    ConfigError,
    DuplicateAccountError,
    UnknownAccountError,
    account_dir,
    cache_path,
)
from app.platform.paths import config_dir, data_dir

TOKEN = "secret_Zq8LmN4pWx7Rt2Kv"


def ecwid(name: str = "Walnut & Linen", store_id: str = "4870020", **extra) -> Account:
    return Account(name=name, kind="ecwid", store_id=store_id, **extra)


def write_json(path: Path, document) -> bytes:
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = json.dumps(document).encode()
    path.write_bytes(raw)
    return raw


def leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp"))


# --- the models ---------------------------------------------------------------


def test_defaults_and_accepted_values():
    account = ecwid(api_url="http://127.0.0.1:8123/api/v3/")
    assert account.settings == AccountSettings()
    assert account.settings.sync_interval_minutes == 15
    assert account.settings.notify_new_orders is True
    assert account.settings.notification_sound is False
    assert account.settings.time_zone is None
    assert account.settings.invoice_paper == "A4"
    assert account.settings.prefetch_invoices_days == 14
    assert account.settings.ecdp_website_id is None
    assert account.settings.auto_push_to_ecdp is False
    assert account.api_url == "http://127.0.0.1:8123/api/v3"
    assert Account(name="  CDP  ", kind="ecdp").name == "CDP"
    assert Account(name="n", kind="ecwid", store_id=4870020).store_id == "4870020"
    settings = AccountSettings(
        time_zone="Europe/Berlin",
        invoice_paper="letter",
        prefetch_invoices_days=0,
        sync_interval_minutes=1440,
        ecdp_website_id=7,
    )
    assert (settings.time_zone, settings.invoice_paper) == ("Europe/Berlin", "Letter")
    assert AccountSettings(time_zone="  ").time_zone is None


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"name": "   ", "kind": "ecwid", "store_id": "1"}, "must not be empty"),
        ({"name": "a\nb", "kind": "ecwid", "store_id": "1"}, "control characters"),
        ({"name": "Shop", "kind": "ecwid"}, "needs its store ID"),
        ({"name": "Shop", "kind": "ecwid", "store_id": "48-70"}, "digits only"),
        ({"name": "Shop", "kind": "shopify"}, "kind"),
        ({"name": "Shop", "kind": "ecdp", "api_url": "ftp://x.org"}, "http:// or https://"),
        ({"name": "Shop", "kind": "ecdp", "api_url": "https://u:p@x.org"}, "user name or password"),
        ({"name": "Shop", "kind": "ecdp", "api_url": "https://x.org/?a=1"}, "base address"),
    ],
)
def test_account_validation_messages(fields, words):
    with pytest.raises(ValidationError) as caught:
        Account(**fields)
    assert words in str(caught.value)


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"sync_interval_minutes": 0}, "greater than or equal to 1"),
        ({"sync_interval_minutes": 1441}, "less than or equal to 1440"),
        ({"sync_interval_minutes": "15"}, "valid integer"),
        ({"prefetch_invoices_days": -1}, "greater than or equal to 0"),
        ({"time_zone": "Mars/Olympus"}, "unknown time zone 'Mars/Olympus'"),
        ({"invoice_paper": "A5"}, "'A4' or 'Letter'"),
        ({"notify_new_orders": "yes"}, "valid boolean"),
        ({"ecdp_website_id": 0}, "greater than or equal to 1"),
    ],
)
def test_settings_validation_messages(fields, words):
    with pytest.raises(ValidationError) as caught:
        AccountSettings(**fields)
    assert words in str(caught.value)


def test_models_are_frozen_values():
    account = ecwid()
    with pytest.raises(ValidationError):
        account.name = "other"  # type: ignore[misc]


@pytest.mark.parametrize("field", ["token", "apiKey", "x-api-key", "password", "client_secret"])
def test_secret_named_fields_are_refused_without_echoing_the_value(field):
    with pytest.raises(ValidationError) as caught:
        Account(name="Shop", kind="ecwid", store_id="1", **{field: TOKEN})
    text = str(caught.value)
    assert "looks like a secret" in text and "keyring" in text
    assert TOKEN not in text
    with pytest.raises(ValidationError) as caught:
        AccountSettings(**{field: TOKEN})
    assert TOKEN not in str(caught.value)


def test_harmless_names_that_contain_key_letters_are_allowed():
    account = ecwid(keyboard_layout="de", monkey_business=True)
    assert account.model_dump()["keyboard_layout"] == "de"


# --- the store ----------------------------------------------------------------


def test_store_lives_in_the_config_dir_and_round_trips():
    store = AccountStore.load()
    assert store.path == config_dir() / "accounts.json"
    assert str(store.path).startswith(os.environ["BACKROOM_DATA_DIR"])
    assert store.accounts() == [] and not store.path.exists()

    shop = ecwid(settings=AccountSettings(time_zone="America/New_York", invoice_paper="Letter"))
    cdp = Account(
        name="CDP", kind="ecdp", api_url="https://api.ecdp.app", settings={"ecdp_website_id": 3}
    )
    store.add(shop)
    store.add(cdp)
    document = json.loads(store.path.read_text(encoding="utf-8"))
    assert document["format"] == "backroom-accounts" and document["version"] == 1
    assert [a["name"] for a in document["accounts"]] == ["Walnut & Linen", "CDP"]

    again = AccountStore.load()
    assert again.accounts() == [shop, cdp]
    assert again.get("walnut & LINEN") == shop
    assert leftovers(store.path.parent) == []


def test_update_and_remove_are_saved_at_once():
    store = AccountStore.load()
    store.add(ecwid())
    changed = ecwid(settings=AccountSettings(sync_interval_minutes=5, notification_sound=True))
    store.update(changed)
    assert AccountStore.load().get("Walnut & Linen").settings.sync_interval_minutes == 5

    removed = store.remove("Walnut & Linen")
    assert removed == changed
    assert AccountStore.load().accounts() == []


def test_unknown_names_raise_a_clear_key_error():
    store = AccountStore.load()
    with pytest.raises(UnknownAccountError) as caught:
        store.get("Nope")
    assert isinstance(caught.value, KeyError) and isinstance(caught.value, ConfigError)
    assert str(caught.value) == "There is no account named 'Nope'."
    with pytest.raises(UnknownAccountError):
        store.update(ecwid(name="Nope"))
    with pytest.raises(UnknownAccountError):
        store.remove("Nope")


def test_duplicate_names_are_refused_in_the_store_and_in_the_file():
    store = AccountStore.load()
    store.add(ecwid())
    with pytest.raises(DuplicateAccountError, match="already exists"):
        store.add(Account(name="WALNUT & linen", kind="ecdp"))
    assert len(AccountStore.load().accounts()) == 1

    path = config_dir() / "accounts.json"
    twice = {"accounts": [{"name": "A", "kind": "ecdp"}, {"name": "a", "kind": "ecdp"}]}
    write_json(path, twice)
    with pytest.raises(ConfigError, match=r"account #2 \('a'\): the name is used"):
        AccountStore.load()


def test_unknown_fields_are_kept_when_the_file_is_rewritten():
    path = config_dir() / "accounts.json"
    write_json(
        path,
        {
            "format": "backroom-accounts",
            "version": 1,
            "window": {"width": 1200},
            "accounts": [
                {
                    "name": "Shop",
                    "kind": "ecwid",
                    "store_id": "42",
                    "color": "teal",
                    "settings": {"future_option": [1, 2], "sync_interval_minutes": 30},
                }
            ],
        },
    )
    store = AccountStore.load()
    store.add(Account(name="CDP", kind="ecdp"))
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["window"] == {"width": 1200}
    shop = document["accounts"][0]
    assert shop["color"] == "teal"
    assert shop["settings"]["future_option"] == [1, 2]
    assert shop["settings"]["sync_interval_minutes"] == 30


@pytest.mark.parametrize(
    "where",
    [
        lambda doc: doc["accounts"][0].update(token=TOKEN),
        lambda doc: doc["accounts"][0]["settings"].update(apiKey=TOKEN),
        lambda doc: doc.update(extras={"ecdp_password": TOKEN}),
    ],
    ids=["account", "settings", "top-level"],
)
def test_a_file_with_a_secret_field_is_refused_and_left_alone(where):
    path = config_dir() / "accounts.json"
    document = {"accounts": [{"name": "Shop", "kind": "ecwid", "store_id": "1", "settings": {}}]}
    where(document)
    raw = write_json(path, document)
    with pytest.raises(ConfigError) as caught:
        AccountStore.load()
    text = str(caught.value)
    assert str(path) in text and "looks like a secret" in text
    assert TOKEN not in text
    assert path.read_bytes() == raw


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b'{"accounts": [', "damaged (invalid JSON at line 1"),
        (b"", "is empty"),
        (b"\xff\xfe\x00garbage", "not UTF-8"),
        (b"[1, 2, 3]", "not a Backroom accounts file"),
        (b'{"format": "someone-else", "accounts": []}', "format is not"),
        (b'{"servers": ["a"]}', "no 'accounts' list"),
        (b'{"version": 9, "accounts": []}', "newer Backroom (format version 9)"),
        (
            b'{"accounts": [{"name": "S", "kind": "ecwid"}]}',
            "account #1 ('S'): an Ecwid account needs",
        ),
        (
            b'{"accounts": [{"name": "S", "kind": "ecdp", "settings": {"time_zone": "X/Y"}}]}',
            "settings.time_zone: unknown time zone",
        ),
    ],
)
def test_damaged_or_foreign_files_are_reported_and_never_overwritten(content, words):
    path = config_dir() / "accounts.json"
    path.write_bytes(content)
    with pytest.raises(ConfigError) as caught:
        AccountStore.load()
    assert str(path) in str(caught.value)
    assert words in str(caught.value)
    assert path.read_bytes() == content


def test_an_unreadable_path_is_reported(tmp_path):
    path = config_dir() / "accounts.json"
    path.mkdir()
    with pytest.raises(ConfigError, match="Cannot read"):
        AccountStore.load()
    (tmp_path / "file").write_text("x")
    with pytest.raises(ConfigError, match="a file stands where the folder should be"):
        AccountStore.load(tmp_path / "file" / "accounts.json")


def test_save_into_an_impossible_folder_fails_plainly_and_changes_nothing(tmp_path):
    # Root can write into read-only folders, so block the save another way:
    # after loading, a file takes the place of the folder the file goes in.
    blocker = tmp_path / "not-a-folder"
    store = AccountStore.load(blocker / "accounts.json")
    blocker.write_text("I am a file")
    with pytest.raises(ConfigError) as caught:
        store.add(ecwid())
    text = str(caught.value)
    assert "Could not save the accounts" in text and "Nothing was changed" in text
    assert "a file stands where the folder should be" in text
    assert store.accounts() == []
    assert blocker.read_text() == "I am a file"


@pytest.mark.parametrize("failing", ["fsync", "replace"])
def test_a_failed_write_leaves_the_old_file_whole_and_no_temp_file(monkeypatch, failing):
    store = AccountStore.load()
    store.add(ecwid())
    before = store.path.read_bytes()

    def disk_full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    with monkeypatch.context() as patch, pytest.raises(ConfigError, match="the disk is full"):
        patch.setattr(os, failing, disk_full)
        store.add(Account(name="CDP", kind="ecdp"))

    assert store.path.read_bytes() == before
    assert leftovers(store.path.parent) == []
    assert [a.name for a in store.accounts()] == ["Walnut & Linen"]
    assert [a.name for a in AccountStore.load().accounts()] == ["Walnut & Linen"]


def test_a_read_only_folder_is_reported_plainly(monkeypatch):
    store = AccountStore.load()

    def refused(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr("tempfile.mkstemp", refused)
    with pytest.raises(ConfigError, match="read-only or you are not allowed to write there"):
        store.add(ecwid())
    assert not store.path.exists()


# --- per-account folders ------------------------------------------------------


def test_cache_path_is_a_readable_slug_plus_hash_under_the_data_dir():
    account = ecwid(name="Walnut & Linen / Köln")
    path = cache_path(account)
    assert path.name == "cache.sqlite3"
    assert path.parent == account_dir(account)
    assert path.parent.is_dir()
    assert path.parent.parent == data_dir() / "accounts"
    slug, _, digest = path.parent.name.rpartition("-")
    assert slug == "walnut-linen-koln" and len(digest) == 10
    assert cache_path(account) == path  # stable


def test_distinct_accounts_never_share_a_folder():
    folders = {
        account_dir(account)
        for account in [
            ecwid(name="A/B"),
            ecwid(name="A B"),
            ecwid(name="A B", store_id="999"),
            Account(name="A B", kind="ecdp"),
            Account(name="日本の店", kind="ecdp"),
            Account(name="..", kind="ecdp"),
        ]
    }
    assert len(folders) == 6
    for folder in folders:
        assert folder.parent == data_dir() / "accounts"
        assert folder.name.isascii() and not folder.name.startswith(".")


def test_the_desk_is_named_once_per_installation(tmp_path, monkeypatch):
    import socket

    from app.config import DESK_ENV, AccountStore

    monkeypatch.delenv(DESK_ENV, raising=False)
    path = tmp_path / "accounts.json"
    store = AccountStore.load(path)
    assert store.desk_name == (socket.gethostname() or "This computer")
    store.set_desk_name("  Till 2\x1b[31m ")
    assert AccountStore.load(path).desk_name == "Till 2[31m"  # no control characters
    monkeypatch.setenv(DESK_ENV, "For one run")
    assert AccountStore.load(path).desk_name == "For one run"
    monkeypatch.delenv(DESK_ENV)
    store.set_desk_name("")
    assert AccountStore.load(path).desk_name == (socket.gethostname() or "This computer")
