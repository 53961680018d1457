"""Item option files: streamed uploads with progress, external URLs, removal."""

from __future__ import annotations

import os
import tracemalloc

import pytest

from app.ecwid import EcwidConflictError, EcwidFileTooLargeError, EcwidNotFoundError, OptionType
from tests.helpers.aio import run
from tests.helpers.sandbox import client_for

OPTION_WITH_SYMBOLS = "Your photo & notes (1/2) +extra #1"


async def _order_with_files_option(client):
    async for order in client.iter_orders():
        for item in order.items or ():
            for option in item.selected_options or ():
                if option.type == OptionType.FILES:
                    return order, item, option
    raise AssertionError("the demo store has no order with a FILES option")


async def _order_with_text_option(client):
    async for order in client.iter_orders():
        for item in order.items or ():
            for option in item.selected_options or ():
                if option.type == OptionType.TEXT:
                    return order, item, option
    raise AssertionError("the demo store has no order with a TEXT option")


async def _rename_option(client, order, item, option, new_name):
    """Give the option a name full of symbols (sent back whole: items replace)."""
    items = [i.to_api() for i in order.items]
    for raw in items:
        if raw["id"] == item.id:
            for raw_option in raw["selectedOptions"]:
                if raw_option["name"] == option.name:
                    raw_option["name"] = new_name
    await client.update_order(order.key, {"items": items})


def test_upload_bytes_and_path_with_progress_then_delete(sandbox, tmp_path):
    artwork = tmp_path / "artwork final.png"
    artwork.write_bytes(os.urandom(700_000))
    reports: list[tuple[int, int]] = []

    async def scenario():
        async with client_for(sandbox) as client:
            order, item, option = await _order_with_files_option(client)
            await _rename_option(client, order, item, option, OPTION_WITH_SYMBOLS)
            before = len(option.files or [])
            from_path = await client.upload_item_option_file(
                order.key,
                item.id,
                OPTION_WITH_SYMBOLS,
                artwork,
                progress=lambda sent, total: reports.append((sent, total)),
            )
            from_bytes = await client.upload_item_option_file(
                order.key, item.id, OPTION_WITH_SYMBOLS, b"hello", file_name="note.txt"
            )
            from_url = await client.upload_item_option_file(
                order.key,
                item.id,
                OPTION_WITH_SYMBOLS,
                external_url="https://example.org/proof.pdf",
                file_name="proof.pdf",
            )
            after_upload = await client.get_order(order.key)
            one = await client.delete_item_option_file(
                order.key, item.id, OPTION_WITH_SYMBOLS, from_path
            )
            rest = await client.delete_item_option_files(order.key, item.id, OPTION_WITH_SYMBOLS)
            after_delete = await client.get_order(order.key)
            return (
                before,
                (from_path, from_bytes, from_url),
                after_upload,
                one,
                rest,
                after_delete,
                item.id,
            )

    before, ids, after_upload, one, rest, after_delete, item_id = run(scenario())

    def files_of(order):
        item = next(i for i in order.items if i.id == item_id)
        option = next(o for o in item.selected_options if o.name == OPTION_WITH_SYMBOLS)
        return option.files or []

    uploaded = {f.id: f for f in files_of(after_upload)}
    assert set(ids) <= set(uploaded)
    assert uploaded[ids[0]].name == "artwork final.png"
    assert uploaded[ids[0]].size == 700_000
    assert uploaded[ids[1]].name == "note.txt" and uploaded[ids[1]].size == 5
    assert len(uploaded) == before + 3
    assert one == 1
    assert rest == before + 2
    assert files_of(after_delete) == []
    assert reports[-1] == (700_000, 700_000)
    assert [sent for sent, _ in reports] == sorted(sent for sent, _ in reports)
    assert len(reports) >= 3  # reported per chunk, not once at the end


def test_upload_over_100_mb_is_refused_before_sending(sandbox, tmp_path):
    huge = tmp_path / "huge.tif"
    with huge.open("wb") as handle:  # sparse: no 100 MB written to disk
        handle.truncate(100 * 1024 * 1024 + 1)

    async def scenario():
        async with client_for(sandbox) as client:
            await client.upload_item_option_file("ANY", 1, "Photo", huge)

    with pytest.raises(EcwidFileTooLargeError, match="100 MB"):
        run(scenario())
    assert not [m for m, p, _ in sandbox.request_log if m == "POST"]


def test_upload_to_a_non_files_option_is_a_conflict(sandbox):
    async def scenario():
        async with client_for(sandbox) as client:
            order, item, option = await _order_with_text_option(client)
            await client.upload_item_option_file(order.key, item.id, option.name, b"x")

    with pytest.raises(EcwidConflictError) as caught:
        run(scenario())
    assert caught.value.status == 409
    assert caught.value.code == "OPTIONS_IS_NOT_FILES_TYPE"


def test_upload_to_a_missing_item_is_not_found(sandbox):
    async def scenario():
        async with client_for(sandbox) as client:
            order, _item, option = await _order_with_files_option(client)
            await client.upload_item_option_file(order.key, 999_999_999, option.name, b"x")

    with pytest.raises(EcwidNotFoundError):
        run(scenario())


@pytest.mark.slow
def test_a_50_mb_upload_streams_with_flat_memory(sandbox, tmp_path):
    size = 50 * 1024 * 1024
    big = tmp_path / "big-artwork.psd"
    with big.open("wb") as handle:
        block = os.urandom(1024 * 1024)
        for _ in range(size // len(block)):
            handle.write(block)

    async def scenario():
        async with client_for(sandbox) as client:
            order, item, option = await _order_with_files_option(client)
            tracemalloc.start()
            try:
                file_id = await client.upload_item_option_file(order.key, item.id, option.name, big)
                _, peak = tracemalloc.get_traced_memory()
            finally:
                tracemalloc.stop()
            stored = await client.get_order(order.key)
            return file_id, peak, stored, item.id, option.name

    file_id, peak, stored, item_id, option_name = run(scenario(), timeout=300)
    item = next(i for i in stored.items if i.id == item_id)
    option = next(o for o in item.selected_options if o.name == option_name)
    assert any(f.id == file_id and f.size == size for f in option.files)
    # client and server both stream: peak Python memory stays far below the file size
    assert peak < size / 5, f"peak traced memory {peak / 1e6:.1f} MB for a 50 MB upload"
