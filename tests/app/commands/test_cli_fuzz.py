"""Fuzzing the command line: random text (surrogates from undecodable bytes,
control characters, NULs), huge and negative numbers and odd dates for
`orders`' filters, `order update`'s options and `invoice`'s order references.
Whatever comes in, the command ends with a documented exit status, prints no
traceback and never has to call a problem "unexpected".

Most examples run `app.cli.main` in this process (arguments parsed and the
command run against a synced cache, output captured); a few run the real
command as a subprocess, with the arguments as raw bytes."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

import app.cli
from app.cache import OrderCache
from app.domain.references import ReferenceProblem
from app.services.orders.lookup import find_cached
from tests.helpers.cli import ROOT, backroom, backroom_env, connect_demo
from tests.helpers.sandbox import running_sandbox

DOCUMENTED_EXIT_STATUSES = {0, 1, 2, 3, 4}
IN_PROCESS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

ANY_CHARACTER = st.characters(codec=None, exclude_categories=())  # surrogates and controls too
TEXT = st.text(ANY_CHARACTER, max_size=24)
NUMBERS = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30),
    st.sampled_from([0, -1, 2**63, 2**63 - 1, 2**64, 10**400]),
).map(str)
DATES = st.one_of(
    TEXT,
    NUMBERS,
    st.dates().map(str),
    st.datetimes().map(lambda moment: moment.strftime("%Y-%m-%d %H:%M:%S")),
    st.sampled_from(
        [
            "2025-02-30",
            "0000-00-00",
            "9999-12-31 23:59:59 +9999",
            "2025-03-01 25:61:61",
            "1e309",
            "nan",
            "-1",
            "2025-13-01",
            "１２３４-01-01",
            "2025-03-01T10:00:00Z",
        ]
    ),
)
STATUSES = st.one_of(
    TEXT,
    st.sampled_from(["PAID", "paid", "INCOMPLETE", "incomplete", "PAID,REFUNDED", ",", "SHIPPED"]),
)


@pytest.fixture(scope="module")
def synced(tmp_path_factory):
    """A data folder with a synced demo store, and that store's cache."""
    with running_sandbox(tmp_path_factory.mktemp("store") / "store.sqlite3", orders=60) as store:
        data = tmp_path_factory.mktemp("fuzz") / "data"
        assert connect_demo(data, store).returncode == 0
        assert backroom(data, "sync", token=store.token).returncode == 0
    return data


@pytest.fixture
def in_process(synced, monkeypatch, restore_root_logger):
    """Run ``backroom ARGS`` in this process on the synced data: (status, out, err)."""
    monkeypatch.setenv("BACKROOM_DATA_DIR", str(synced))
    monkeypatch.setattr(app.cli, "tune_garbage_collector", lambda: None)  # not the tests' gc

    def run(*args: str) -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = app.cli.main(list(args))
        return status, out.getvalue(), err.getvalue()

    return run


def _check(status: int, out: str, err: str) -> None:
    shown = f"exit {status}\nstdout:\n{out[:2000]}\nstderr:\n{err[:2000]}"
    assert status in DOCUMENTED_EXIT_STATUSES, shown
    assert "Traceback" not in out + err, shown
    assert "unexpected problem" not in err, shown  # the guard is a net, not the answer


NO_FILTERS = dict.fromkeys(("search", "date_from", "date_to", "limit", "status", "fulfillment"))
NO_FILTERS["output"] = "table"


def _option(name: str, value: str | None) -> list[str]:
    return [] if value is None else [f"{name}={value}"]  # "=": a value may start with "-"


@IN_PROCESS
@given(
    search=st.none() | TEXT,
    date_from=st.none() | DATES,
    date_to=st.none() | DATES,
    limit=st.none() | NUMBERS | TEXT,
    status=st.none() | STATUSES,
    fulfillment=st.none() | STATUSES,
    output=st.sampled_from(["table", "csv", "json"]),
)
@example(**{**NO_FILTERS, "limit": "99999999999999999999999"})  # found by this test
@example(**{**NO_FILTERS, "search": "\udcff\udcfe", "output": "json"})
@example(**{**NO_FILTERS, "date_from": "1e309", "date_to": "2025-02-30", "status": "PAID,"})
def test_orders_filters(in_process, search, date_from, date_to, limit, status, fulfillment, output):
    args = ["orders", f"--format={output}"]
    args += _option("--search", search) + _option("--from", date_from)
    args += _option("--to", date_to) + _option("--limit", limit)
    args += _option("--status", status) + _option("--fulfillment", fulfillment)
    _check(*in_process(*args))


@IN_PROCESS
@given(
    order=st.one_of(TEXT, NUMBERS, st.sampled_from(["1001", "#1001", "DEMO-X"])),
    payment=st.none() | STATUSES,
    fulfillment=st.none() | STATUSES,
    tracking=st.none() | TEXT | st.text(min_size=4000, max_size=4100),
    note=st.none() | TEXT,
)
def test_order_update_options(in_process, order, payment, fulfillment, tracking, note):
    args = ["order", "update", *_option("--payment-status", payment)]
    args += _option("--fulfillment-status", fulfillment) + _option("--tracking", tracking)
    args += _option("--note", note) + ["--", order]
    status, out, err = in_process(*args)
    _check(status, out, err)
    assert status != 0  # no token in this process: nothing can have been sent


@pytest.fixture(scope="module")
def cached_orders(synced):
    [path] = synced.glob("data/accounts/*/cache.sqlite3")
    with OrderCache.open(path) as cache:
        yield cache


def _names_an_order(cache: OrderCache, reference: str) -> bool:
    try:
        reference.encode("utf-8")
    except UnicodeEncodeError:
        return False  # refused before any lookup
    try:
        return find_cached(cache, reference) is not None
    except ReferenceProblem:
        return False  # blank, control characters, several orders: refused with a message


@IN_PROCESS
@given(references=st.lists(st.one_of(TEXT, NUMBERS), min_size=1, max_size=3))
@example(references=["9223372036854775808"])  # beyond SQLite's integers (found by this test)
@example(references=["²"])  # a digit to str.isdigit, not to int() (found by this test)
@example(references=["\udcff"])
def test_invoice_references(in_process, cached_orders, tmp_path, references):
    # A reference that names a cached order would print a real PDF: other tests do that.
    assume(not any(_names_an_order(cached_orders, reference) for reference in references))
    target = tmp_path / "fuzz.pdf"
    status, out, err = in_process("invoice", f"--pdf={target}", "--offline", "--", *references)
    _check(status, out, err)
    assert status != 0 and not target.exists()


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    arguments=st.lists(st.binary(min_size=1, max_size=12), min_size=1, max_size=3),
    command=st.sampled_from(
        [["orders", "--search"], ["orders", "--from"], ["order", "update", "--note"], ["invoice"]]
    ),
)
def test_the_real_command_with_raw_bytes(synced, command, arguments):
    arguments = [argument.replace(b"\0", b"") or b"x" for argument in arguments]  # no NUL in argv
    if command == ["invoice"]:
        arguments += [b"--pdf", os.fsencode(synced / "fuzz.pdf"), b"--offline"]
    result = subprocess.run(
        [sys.executable, "-m", "app.cli", *command, *arguments],
        cwd=ROOT,
        env=backroom_env(synced),
        capture_output=True,
        timeout=120,
    )
    out = result.stdout.decode("utf-8", "backslashreplace")
    err = result.stderr.decode("utf-8", "backslashreplace")
    _check(result.returncode, out, err)
