"""Saved views in views.json: a query survives the round trip, names are checked,
damaged files are set aside (never overwritten) and writes are atomic."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from pydantic import ValidationError

from app.config import Account, account_dir
from app.domain.outbox import OutboxState
from app.domain.queries import OrderQuery, SortKey
from app.services.orders.saved_views import (
    VIEWS_FILE_NAME,
    DuplicateViewError,
    InvalidViewNameError,
    SavedView,
    SavedViewError,
    SavedViewStore,
    UnknownViewError,
)

COLUMNS = {"order": ["number", "created", "total"], "widths": {"number": 80}, "hidden": []}


def busy_query() -> OrderQuery:
    return OrderQuery(
        text="okafor",
        payment_status=["PAID", "REFUNDED"],
        fulfillment_status=["SHIPPED"],
        total_from=Decimal("50.25"),
        total_to="200",
        created_from=datetime(2025, 3, 1, tzinfo=timezone(timedelta(hours=2))),
        created_to=datetime(2025, 3, 31, 23, 59, 59, tzinfo=UTC),
        coupon_code="SPRING",
        customer="Ada Okafor",
        outbox_states=[OutboxState.FAILED],
        sort=SortKey.TOTAL,
        descending=False,
    )


def views_path(tmp_path):
    account = Account(name="Walnut & Linen", kind="ecwid", store_id="4870020")
    return account_dir(account) / VIEWS_FILE_NAME


def loaded(path) -> SavedViewStore:
    store = SavedViewStore(path)
    assert store.load() is None
    return store


def leftovers(directory) -> list[str]:
    return sorted(name for name in os.listdir(directory) if name.endswith(".tmp"))


def test_a_query_survives_view_file_and_load(tmp_path):
    query = busy_query()
    view = SavedView.from_query("  Refunds to check  ", query, COLUMNS)
    assert view.name == "Refunds to check"
    assert "sort" not in view.filters and "descending" not in view.filters
    assert view.sort is SortKey.TOTAL and view.descending is False

    path = views_path(tmp_path)
    store = loaded(path)
    store.save(view)

    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["format"] == "backroom-views"
    assert document["views"][0]["filters"]["total_from"] == "50.25"
    assert document["views"][0]["sort"] == "total"

    again = loaded(path).get("refunds TO CHECK")
    assert again == view
    assert again.query() == query
    assert again.columns == COLUMNS


def test_filters_are_checked_and_sort_fields_kept_apart():
    with pytest.raises(ValidationError, match="total_from"):
        SavedView(name="Bad", filters={"total_from": "lots"})
    with pytest.raises(ValidationError, match="sort order"):
        SavedView(name="Bad", filters={"sort": "total"})
    with pytest.raises(ValidationError, match="no_such_filter"):
        SavedView(name="Bad", filters={"no_such_filter": 1})
    # normalised: equal queries give equal views
    a = SavedView(name="A", filters={"payment_status": "paid, refunded"})
    b = SavedView.from_query("A", OrderQuery(payment_status=["PAID", "REFUNDED"]), {})
    assert a == b


def test_names_are_required_short_and_unique_ignoring_case(tmp_path):
    store = loaded(tmp_path / VIEWS_FILE_NAME)
    for bad in ("", "   ", "x" * 81, "tab\there"):
        with pytest.raises(ValidationError):
            SavedView(name=bad)
    assert SavedView(name="x" * 80).name == "x" * 80

    store.save(SavedView(name="Paid"))
    store.save(SavedView(name="Shipped"))
    store.save(SavedView.from_query("PAID", OrderQuery(payment_status=["PAID"]), {}))
    assert store.names() == ["PAID", "Shipped"]  # replaced in place, by name
    assert store.get("paid").filters == {"payment_status": ["PAID"]}


def test_rename_and_delete_report_plain_errors(tmp_path):
    path = tmp_path / VIEWS_FILE_NAME
    store = loaded(path)
    store.save(SavedView(name="Paid"))
    store.save(SavedView(name="Shipped"))

    with pytest.raises(UnknownViewError, match="no saved view named 'Nope'"):
        store.rename("Nope", "Other")
    with pytest.raises(DuplicateViewError, match="'Shipped' already exists"):
        store.rename("Paid", " shipped ")
    with pytest.raises(InvalidViewNameError, match="must not be empty"):
        store.rename("Paid", "  ")
    with pytest.raises(InvalidViewNameError, match="at most 80"):
        store.rename("Paid", "y" * 81)
    assert loaded(path).names() == ["Paid", "Shipped"]  # nothing changed on disk

    assert store.rename("paid", "Paid today").name == "Paid today"
    assert store.rename("Paid today", "PAID TODAY").name == "PAID TODAY"  # same view, new case
    assert loaded(path).names() == ["PAID TODAY", "Shipped"]

    assert store.delete("shipped").name == "Shipped"
    with pytest.raises(UnknownViewError):
        store.delete("Shipped")
    assert loaded(path).names() == ["PAID TODAY"]


def test_missing_file_is_no_views(tmp_path):
    store = SavedViewStore(tmp_path / "nowhere" / VIEWS_FILE_NAME)
    assert store.load() is None
    assert store.views() == []
    store.save(SavedView(name="First"))  # the folder is created
    assert loaded(store.path).names() == ["First"]


@pytest.mark.parametrize(
    "content",
    [b"{ not json", b"\xff\xfe garbage", b"[]", b'{"format": "other", "views": []}', b""],
)
def test_a_damaged_file_is_set_aside_and_the_store_starts_empty(tmp_path, content):
    path = tmp_path / VIEWS_FILE_NAME
    path.write_bytes(content)
    store = SavedViewStore(path)
    message = store.load()
    assert message is not None and str(path) in message and "views.json.bad" in message
    assert store.views() == []
    assert (tmp_path / "views.json.bad").read_bytes() == content  # kept as it was
    assert not path.exists()

    store.save(SavedView(name="Fresh"))
    assert loaded(path).names() == ["Fresh"]
    # a second damaged file does not replace the first one set aside
    path.write_bytes(b"{ broken again")
    assert "views.json.2.bad" in SavedViewStore(path).load()
    assert (tmp_path / "views.json.bad").read_bytes() == content


def test_unreadable_views_are_set_aside_and_readable_ones_kept(tmp_path):
    path = tmp_path / VIEWS_FILE_NAME
    good = SavedView.from_query("Good", OrderQuery(email="a@example.com"), COLUMNS)
    document = {
        "format": "backroom-views",
        "version": 1,
        "views": [
            good.model_dump(mode="json"),
            {"name": "Broken", "filters": {"total_from": "lots"}},
            {"name": "GOOD"},
        ],
    }
    raw = json.dumps(document).encode()
    path.write_bytes(raw)
    store = SavedViewStore(path)
    message = store.load()
    assert "view #2 ('Broken')" in message and "view #3 ('GOOD')" in message
    assert "1 readable views are kept" in message
    assert store.views() == [good]
    assert (tmp_path / "views.json.bad").read_bytes() == raw
    assert loaded(path).views() == [good]  # written anew, so they survive a restart


def test_a_newer_file_is_left_alone_and_changes_are_refused(tmp_path):
    path = tmp_path / VIEWS_FILE_NAME
    raw = json.dumps({"format": "backroom-views", "version": 99, "views": []}).encode()
    path.write_bytes(raw)
    store = SavedViewStore(path)
    assert "newer Backroom" in store.load()
    with pytest.raises(SavedViewError, match="newer Backroom"):
        store.save(SavedView(name="Mine"))
    assert path.read_bytes() == raw
    assert not list(tmp_path.glob("*.bad"))


def test_writes_are_atomic_and_leave_no_temporary_files(tmp_path):
    path = tmp_path / VIEWS_FILE_NAME
    store = loaded(path)
    for number in range(5):
        store.save(SavedView(name=f"View {number}", columns={"n": number}))
    store.rename("View 0", "Zero")
    store.delete("View 1")
    assert leftovers(tmp_path) == []
    assert loaded(path).names() == ["Zero", "View 2", "View 3", "View 4"]


def test_a_failed_write_changes_nothing(tmp_path):
    path = tmp_path / VIEWS_FILE_NAME
    store = loaded(path)
    store.save(SavedView(name="Kept"))
    path.unlink()
    path.mkdir()  # a folder where the file should be: the rename onto it fails
    (path / "inside").write_text("x")
    with pytest.raises(SavedViewError, match="Could not save the views"):
        store.save(SavedView(name="Lost"))
    assert store.names() == ["Kept"]
    assert leftovers(tmp_path) == []


def current_filters_query() -> OrderQuery:
    """Every filter of Ecwid's current documentation, plus the older ones."""
    return OrderQuery(
        ids=["DEMO-X8UYE", "390000019"],
        customer_id=50000028,
        product_id=[71011, 71020],
        pickup_time_from=datetime(2026, 1, 1, tzinfo=timezone(timedelta(hours=-5))),
        pickup_time_to=datetime(2026, 1, 31, 23, 59, 59, tzinfo=UTC),
        payment_module="Stripe",
        accept_marketing=False,
        contains_preorder_items=True,
        subscription_id=260011,
        referer_id="1207",
        order_number=[1021],
        vendor_order_number="V-7",
        customer="Ada",
        total_from=Decimal("29.44"),
    )


def test_views_keep_the_current_filters_and_say_so_in_the_file_version(tmp_path):
    path = views_path(tmp_path)
    store = loaded(path)
    store.save(SavedView.from_query("Older filters only", busy_query(), COLUMNS))
    assert json.loads(path.read_text(encoding="utf-8"))["version"] == 1  # older Backrooms read it

    query = current_filters_query()
    store.save(SavedView.from_query("Pre-orders to pick up", query, {}))
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["version"] == 2  # an older Backroom leaves it alone
    filters = document["views"][1]["filters"]
    assert filters["accept_marketing"] is False  # "No" is a filter, kept
    assert filters["product_id"] == [71011, 71020]

    again = loaded(path)
    assert again.get("pre-orders to pick up").query() == query
    assert again.get("Older filters only").query() == busy_query()
    again.delete("Pre-orders to pick up")
    assert json.loads(path.read_text(encoding="utf-8"))["version"] == 1
