"""The real `backroom` command in hostile environments: a read-only data
folder, a file where the data folder should be, a missing or unwritable
home, a full disk, a read-only medium, config files that are not Backroom's,
undecodable arguments, and a problem nobody expected. Each ends with one
line in words and a documented exit status — never a traceback — and the
commands that only read keep working where they can."""

from __future__ import annotations

import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.cli import ROOT, backroom, backroom_command, connect_demo
from tests.helpers.hostile import (
    assert_one_line,
    env_for,
    on_tmpfs,
    run,
    without_root_override,
)
from tests.helpers.sandbox import running_sandbox

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    with running_sandbox(tmp_path_factory.mktemp("store") / "store.sqlite3", orders=40) as server:
        yield server


@pytest.fixture(scope="module")
def synced(store, tmp_path_factory) -> Path:
    """A data folder with the demo store connected and synced (a template: copy it)."""
    data = tmp_path_factory.mktemp("synced") / "data"
    assert connect_demo(data, store).returncode == 0
    result = backroom(data, "sync", token=store.token)
    assert result.returncode == 0, result.stderr
    return data


@pytest.fixture
def data(synced, tmp_path) -> Path:
    """A copy of the synced data folder for this test to spoil."""
    copy = tmp_path / "data"
    shutil.copytree(synced, copy)
    return copy


def _make_read_only(folder: Path) -> None:
    for path in [folder, *folder.rglob("*")]:
        mode = path.stat().st_mode
        path.chmod(mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))


def _make_writable(folder: Path) -> None:
    for path in [folder, *folder.rglob("*")]:
        path.chmod(path.stat().st_mode | stat.S_IWUSR)


def _no_traceback(result) -> None:
    assert "Traceback" not in result.stdout + result.stderr, result.stderr


# -- folders -------------------------------------------------------------------


def test_a_read_only_data_folder_still_lists_and_says_why_it_cannot_sync(data, store):
    _make_read_only(data)
    try:
        env = env_for(data, token=store.token)
        listed = run(without_root_override(backroom_command("account", "list")), env)
        assert listed.returncode == 0 and listed.stdout.startswith("Demo\tecwid"), listed.stderr
        assert listed.stderr == ""  # no word about the log: it falls back to stderr quietly
        orders = run(without_root_override(backroom_command("orders", "--limit", "3")), env)
        assert orders.returncode == 0, orders.stderr
        assert len(orders.stdout.splitlines()) == 4  # the header and three orders
        _no_traceback(orders)
        synced = run(without_root_override(backroom_command("sync")), env)
        assert_one_line(synced, 1, "read-only")
        added = run(
            without_root_override(
                backroom_command(
                    "account",
                    "add",
                    "Other",
                    "--store-id",
                    str(store.store_id),
                    "--api-url",
                    store.url,
                )
            ),
            env,
        )
        assert_one_line(added, 1, "read-only")
    finally:
        _make_writable(data)


def test_certificates_that_cannot_be_read_are_named_and_the_cache_still_reads(data, store):
    """SSL_CERT_FILE naming something that holds no certificate (a hostile or
    broken environment): no client can be made; the sync says so in words,
    naming the variable, and the orders saved here still list."""
    not_certificates = data / "not-certificates.pem"
    not_certificates.write_text("not a certificate\n", encoding="utf-8")
    env = env_for(data, token=store.token, SSL_CERT_FILE=str(not_certificates))
    synced = run(backroom_command("sync"), env)
    line = assert_one_line(synced, 3, "certificates", f"SSL_CERT_FILE={not_certificates}")
    assert "_ssl.c" not in line  # OpenSSL's reason, not its source file
    orders = run(backroom_command("orders", "--limit", "3"), env)
    assert orders.returncode == 0 and len(orders.stdout.splitlines()) == 4, orders.stderr


@pytest.mark.parametrize("command", [["account", "list"], ["orders"], ["sync"], []])
def test_a_file_where_the_data_folder_should_be(tmp_path, command):
    not_a_folder = tmp_path / "data"
    not_a_folder.write_text("I am a file")
    env = env_for(not_a_folder, token="secret_notused123", QT_QPA_PLATFORM="offscreen")
    result = run(backroom_command(*command), env)  # [] is the window: refused before Qt starts
    assert_one_line(result, 1, str(not_a_folder), "a file stands where the folder should be")
    assert not_a_folder.read_text() == "I am a file"


@pytest.mark.parametrize("command", [["account", "list"], []])
def test_a_missing_home_is_named_and_never_created(tmp_path, command):
    home = tmp_path / "no" / "home"
    env = env_for(None, HOME=str(home), QT_QPA_PLATFORM="offscreen")
    result = run(backroom_command(*command), env)
    assert_one_line(result, 1, f"Your home folder {home} does not exist", "--data-dir")
    assert not (tmp_path / "no").exists()


def test_an_unwritable_home_is_named(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    home.chmod(0o555)
    try:
        env = env_for(None, HOME=str(home))
        result = run(without_root_override(backroom_command("account", "list")), env)
        assert_one_line(result, 1, str(home), "not allowed to write there", "--data-dir")
    finally:
        home.chmod(0o755)
    assert list(home.iterdir()) == []


# -- disks -----------------------------------------------------------------------


def test_a_full_disk(synced, store, tmp_path):
    disk = tmp_path / "disk"
    disk.mkdir()
    env = env_for(disk, token=store.token)

    def on_full_disk(*args: str):
        return run(on_tmpfs(disk, backroom_command(*args), copy_from=synced, state="full"), env)

    listed = on_full_disk("orders", "--limit", "2")  # reading still works
    assert listed.returncode == 0 and len(listed.stdout.splitlines()) == 3, listed.stderr
    _no_traceback(listed)
    assert_one_line(on_full_disk("sync", "--full"), 1, "the disk is full")
    added = on_full_disk(
        "account", "add", "Other", "--store-id", str(store.store_id), "--api-url", store.url
    )
    assert_one_line(added, 1, "accounts.json", "the disk is full", "Nothing was changed")

    accounts_only = tmp_path / "accounts-only"  # no cache yet: the sync must create it
    (accounts_only / "config").mkdir(parents=True)
    shutil.copy(synced / "config" / "accounts.json", accounts_only / "config")
    command = on_tmpfs(disk, backroom_command("sync"), copy_from=accounts_only, state="full")
    assert_one_line(run(command, env), 1, "order cache", "the disk is full")


def test_a_data_folder_on_a_read_only_medium(synced, store, tmp_path):
    disk = tmp_path / "medium"
    disk.mkdir()
    env = env_for(disk, token=store.token)

    def on_medium(*args: str):
        command = on_tmpfs(disk, backroom_command(*args), copy_from=synced, state="read-only")
        return run(command, env)

    listed = on_medium("account", "list")
    assert listed.returncode == 0 and listed.stdout.startswith("Demo\tecwid"), listed.stderr
    orders = on_medium("orders", "--format", "csv", "--limit", "5")
    assert orders.returncode == 0 and len(orders.stdout.splitlines()) == 6, orders.stderr
    _no_traceback(orders)
    assert_one_line(on_medium("sync"), 1, "read-only")
    added = on_medium(
        "account", "add", "Other", "--store-id", str(store.store_id), "--api-url", store.url
    )
    assert_one_line(added, 1, "accounts.json", "read-only")


# -- files and arguments -----------------------------------------------------------


DEEP = "[" * 100_000 + "]" * 100_000


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("{accounts: [", "is damaged (invalid JSON"),
        ("[1, 2, 3]", "not a Backroom accounts file (no object at the top)"),
        ('"text"', "not a Backroom accounts file (no object at the top)"),
        (DEEP, "nested too deeply"),
        ('{"accounts": [], "x": ' + DEEP + "}", "nested too deeply"),
        (b"\xff\xfe{}", "not UTF-8 text"),
    ],
    ids=["not-json", "a-list", "a-string", "deep-list", "deep-inside", "not-utf8"],
)
def test_an_accounts_file_that_is_not_backroom_s(tmp_path, content, words):
    data = tmp_path / "data"
    (data / "config").mkdir(parents=True)
    accounts = data / "config" / "accounts.json"
    if isinstance(content, bytes):
        accounts.write_bytes(content)
    else:
        accounts.write_text(content)
    for command in (["account", "list"], ["orders"]):
        result = run(backroom_command(*command), env_for(data))
        assert_one_line(result, 1, str(accounts), words)
    assert accounts.read_bytes() == (content if isinstance(content, bytes) else content.encode())


@pytest.mark.parametrize(
    "arguments",
    [
        [b"orders", b"--search", b"\xff\xfe"],
        [b"orders", b"--from", b"2025-\xe9"],
        [b"order", b"update", b"10\xc3", b"--note", b"x"],
        [b"order", b"update", b"1001", b"--note", b"caf\xe9"],
        [b"invoice", b"\xff", b"--pdf", b"out.pdf"],
        [b"--data-dir", b"/tmp/\xff", b"account", b"list"],
    ],
)
def test_undecodable_bytes_in_arguments(tmp_path, arguments):
    result = run([sys.executable, "-m", "app.cli", *arguments], env_for(tmp_path / "data"))
    line = assert_one_line(result, 2, "holds bytes that are not valid UTF-8 text")
    assert re.search(r"\\x(ff|e9|c3)", line)  # the bad bytes are shown, as escapes


# -- the top-level guard ---------------------------------------------------------------

BOOM = """
import sys
import app.commands.orders as orders

def broken(args):
    raise RuntimeError("nobody expected this, with secret_AbCdEf123456 inside")

orders.run = broken
from app.cli import main
sys.exit(main(["orders"]))
"""


def test_an_unexpected_problem_is_one_line_naming_the_log(tmp_path):
    data = tmp_path / "data"
    result = run([sys.executable, "-c", BOOM], env_for(data))
    log = data / "log" / "backroom.log"
    assert_one_line(result, 1, "Backroom hit an unexpected problem", f"the log: {log}")
    text = log.read_text()
    assert "Traceback" in text and "RuntimeError: nobody expected this" in text
    assert "secret_AbCdEf123456" not in text and "[redacted]" in text


def test_an_unexpected_problem_without_a_log_says_where_the_details_went(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "log").write_text("a file where the log folder should be")
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    result = run([sys.executable, "-c", BOOM], env_for(data, TMPDIR=str(temporary)))
    line = assert_one_line(result, 1, "Backroom hit an unexpected problem", "cannot be written")
    [details] = temporary.glob("backroom-problem-*.txt")
    assert str(details) in line
    text = details.read_text()
    assert "RuntimeError: nobody expected this" in text and "secret_AbCdEf123456" not in text


def test_a_reader_that_leaves_early_gets_no_complaint(synced):
    """`backroom orders --format json | head -1`: the pipe closes under the
    command; it stops quietly (exit 1), with nothing on stderr."""
    reader = subprocess.Popen(
        backroom_command("orders", "--format", "json", "--limit", "40"),
        cwd=ROOT,
        env=env_for(synced),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert reader.stdout.readline() == "[\n"
    reader.stdout.close()
    _, errors = reader.communicate(timeout=120)
    assert reader.returncode == 1 and errors == ""
