"""Attachments: checks before upload, the upload queue against the demo store
(order, progress, cancel, retry, errors in words), external URLs and removal."""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.cache import OrderCache
from app.services.attachments.files import (
    OptionRef,
    check_upload,
    option_files,
    refresh_cached_order,
    remove_all_files,
    remove_file,
)
from app.services.attachments.uploads import Upload, UploadQueue, UploadState
from tests.helpers.aio import run
from tests.helpers.sandbox import client_for

MB = 1024 * 1024


def first_option(sandbox: Any, kind: str) -> tuple[str, int, str]:
    """(order key, item id, option name) of the first order with an option of ``kind``."""

    async def find() -> tuple[str, int, str]:
        async with client_for(sandbox) as client:
            async for order in client.iter_orders():
                if order.payment_status == "INCOMPLETE":
                    continue
                for item in order.items or ():
                    for option in item.selected_options or ():
                        if option.type == kind and item.id is not None:
                            return order.key, item.id, option.name
        raise AssertionError(f"the demo store has no {kind} option")

    return run(find())


def server_files(sandbox: Any, ref: OptionRef) -> list[dict[str, Any]]:
    async def read() -> dict[str, Any]:
        async with client_for(sandbox) as client:
            return await client.get_order_raw(ref.order_key)

    return option_files(run(read()), ref)


def downloaded(url: str) -> bytes:
    return httpx.get(url, timeout=30).content


@pytest.fixture
def cache(tmp_path) -> OrderCache:
    with OrderCache.open(tmp_path / "orders.sqlite3") as opened:
        yield opened


@pytest.fixture
def files_option(sandbox, cache) -> OptionRef:
    ref = OptionRef(*first_option(sandbox, "FILES"))

    async def cache_it() -> None:
        async with client_for(sandbox) as client:
            await refresh_cached_order(client, cache, ref.order_key)

    run(cache_it())
    return ref


def upload_all(
    sandbox: Any,
    cache: OrderCache,
    ref: OptionRef,
    paths: list[Path],
    *,
    urls: tuple[str, ...] = (),
    on_change: Any = None,
) -> tuple[UploadQueue, list[dict[str, Any]]]:
    refreshed: list[dict[str, Any]] = []

    async def scenario() -> UploadQueue:
        async with client_for(sandbox) as client:
            queue = UploadQueue(client, cache, ref, on_uploaded=refreshed.append)
            if on_change is not None:
                queue.on_change = lambda upload: on_change(queue, upload)
            assert queue.add_files(paths) == []
            for url in urls:
                queue.add_url(url)
            await queue.run()
            return queue

    return run(scenario()), refreshed


def test_check_upload_names_the_file_and_the_reason(tmp_path):
    good = tmp_path / "logo.png"
    good.write_bytes(b"\x89PNG")
    empty = tmp_path / "empty.txt"
    empty.touch()
    huge = tmp_path / "poster.tif"
    with huge.open("wb") as handle:
        handle.truncate(100 * MB + 1)  # sparse
    exactly = tmp_path / "limit.bin"
    with exactly.open("wb") as handle:
        handle.truncate(100 * MB)

    assert check_upload(good) is None
    assert check_upload(exactly) is None
    (tmp_path / "photos").mkdir()
    assert "“photos” is a folder" in str(check_upload(tmp_path / "photos"))
    assert "“gone.jpg” no longer exists" in str(check_upload(tmp_path / "gone.jpg"))
    assert "“empty.txt” is empty" in str(check_upload(empty))
    too_big = check_upload(huge)
    assert too_big is not None and too_big.path == huge
    assert too_big.reason == "“poster.tif” is larger than Ecwid accepts: files up to 100 MB."


def test_check_upload_refuses_an_unreadable_file(tmp_path):
    secret = tmp_path / "secret.pdf"
    if os.geteuid() != 0:
        secret.write_bytes(b"%PDF")
        secret.chmod(0)
    else:  # root reads any file; a link that points to itself cannot be read by anyone
        secret.symlink_to(secret.name)
    assert "“secret.pdf” cannot be read" in str(check_upload(secret))


def test_files_go_up_in_order_byte_for_byte_with_progress(sandbox, cache, files_option, tmp_path):
    first, second = tmp_path / "front artwork.png", tmp_path / "back.pdf"
    first.write_bytes(os.urandom(3 * MB + 17))
    second.write_bytes(os.urandom(600_000))
    seen: list[tuple[str, UploadState, int, int]] = []
    overall: list[tuple[int, int]] = []

    def record(queue: UploadQueue, upload: Upload) -> None:
        seen.append((upload.name, upload.state, upload.sent, upload.size))
        overall.append(queue.progress)

    queue, refreshed = upload_all(sandbox, cache, files_option, [first, second], on_change=record)

    assert [u.state for u in queue.uploads] == [UploadState.DONE, UploadState.DONE]
    started = [name for name, state, *_ in seen if state == UploadState.UPLOADING]
    assert started[0] == "front artwork.png" and started[-1] == "back.pdf"
    assert seen.index(
        ("front artwork.png", UploadState.DONE, first.stat().st_size, 3 * MB + 17)
    ) < (
        next(i for i, s in enumerate(seen) if s[0] == "back.pdf" and s[1] == UploadState.UPLOADING)
    )
    sent_first = [
        sent for name, state, sent, _ in seen if name == first.name and state == "uploading"
    ]
    assert len(sent_first) >= 10 and sent_first == sorted(sent_first)  # per chunk, not once
    assert overall[-1] == (3 * MB + 17 + 600_000, 3 * MB + 17 + 600_000)
    assert [sent for sent, _ in overall] == sorted(sent for sent, _ in overall)

    stored = {f["id"]: f for f in server_files(sandbox, files_option)}
    for upload, path in zip(queue.uploads, (first, second), strict=True):
        assert stored[upload.file_id]["name"] == path.name
        assert downloaded(stored[upload.file_id]["url"]) == path.read_bytes()
    # the cache was refreshed after each success and now lists both files
    cached = {f["id"] for f in option_files(cache.order_json(files_option.order_key), files_option)}
    assert {u.file_id for u in queue.uploads} <= cached
    assert len(refreshed) == 2


def test_an_external_url_is_attached(sandbox, cache, files_option):
    queue, _ = upload_all(
        sandbox, cache, files_option, [], urls=("https://example.org/proofs/proof%201.pdf",)
    )
    (upload,) = queue.uploads
    assert upload.state == UploadState.DONE and upload.name == "proof 1.pdf"
    stored = {f["id"]: f for f in server_files(sandbox, files_option)}
    assert stored[upload.file_id]["url"] == "https://example.org/proofs/proof%201.pdf"
    with pytest.raises(ValueError, match="not a web address"):
        queue.add_url("file:///etc/passwd")


@pytest.mark.parametrize("when", ["first chunk", "last chunk"])
def test_a_cancelled_upload_leaves_no_file(sandbox, cache, files_option, tmp_path, when):
    big = tmp_path / "big.psd"
    big.write_bytes(os.urandom(24 * MB))
    before = {f["id"] for f in server_files(sandbox, files_option)}

    def cancel(queue: UploadQueue, upload: Upload) -> None:
        at = upload.sent > 0 if when == "first chunk" else upload.sent == upload.size
        if upload.state == UploadState.UPLOADING and at:
            queue.cancel(upload.id)

    queue, refreshed = upload_all(sandbox, cache, files_option, [big], on_change=cancel)

    (upload,) = queue.uploads
    assert upload.state == UploadState.CANCELLED and upload.error is None
    assert {f["id"] for f in server_files(sandbox, files_option)} == before
    parts = Path(sandbox.db_path).parent.glob("*-files/upload-*.part")
    deadline = time.monotonic() + 5  # the store drops its partial copy once it sees the close
    while (left := list(parts)) and time.monotonic() < deadline:
        time.sleep(0.05)
        parts = Path(sandbox.db_path).parent.glob("*-files/upload-*.part")
    assert left == []
    assert queue.progress == (0, 0)


def test_a_queued_file_cancelled_is_never_sent_and_retry_sends_it(
    sandbox, cache, files_option, tmp_path
):
    one, two = tmp_path / "one.txt", tmp_path / "two.txt"
    one.write_bytes(b"one")
    two.write_bytes(b"two")

    async def scenario() -> UploadQueue:
        async with client_for(sandbox) as client:
            queue = UploadQueue(client, cache, files_option)
            queue.add_files([one, two])
            queue.cancel(queue.uploads[1].id)
            await queue.run()
            assert [u.state for u in queue.uploads] == [UploadState.DONE, UploadState.CANCELLED]
            queue.retry(queue.uploads[1].id)
            await queue.run()
            return queue

    queue = run(scenario())
    assert [u.state for u in queue.uploads] == [UploadState.DONE, UploadState.DONE]
    names = [f["name"] for f in server_files(sandbox, files_option)]
    assert names.count("one.txt") == 1 and names.count("two.txt") == 1


def test_a_file_over_100_mb_is_refused_before_any_request(sandbox, cache, files_option, tmp_path):
    huge = tmp_path / "huge.tif"
    with huge.open("wb") as handle:
        handle.truncate(100 * MB + 1)
    posts_before = len([m for m, *_ in sandbox.request_log if m == "POST"])

    async def scenario() -> tuple[list[Any], int, list[Upload]]:
        async with client_for(sandbox) as client:
            queue = UploadQueue(client, cache, files_option)
            problems = queue.add_files([huge])
            await queue.run()
            return problems, client.requests_sent, queue.uploads

    problems, sent, uploads = run(scenario())
    assert [p.path for p in problems] == [huge] and "up to 100 MB" in problems[0].reason
    assert sent == 0 and uploads == []
    assert len([m for m, *_ in sandbox.request_log if m == "POST"]) == posts_before


@pytest.mark.parametrize(
    ("case", "words"),
    [
        ("choice option", "is not a file option"),
        ("missing item", "no longer exists in the store"),
        ("suspended store", "plan does not include file uploads"),
    ],
)
def test_refusals_are_shown_in_words_and_can_be_retried(sandbox, cache, tmp_path, case, words):
    key, item_id, option = first_option(sandbox, "FILES")
    if case == "choice option":
        key, item_id, option = first_option(sandbox, "CHOICE")
    if case == "missing item":
        item_id = 999_999_999
    sandbox.faults.suspended = case == "suspended store"
    ref = OptionRef(key, item_id, option)
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(b"jpeg")

    async def scenario() -> UploadQueue:
        async with client_for(sandbox) as client:
            queue = UploadQueue(client, cache, ref)
            queue.add_files([photo])
            await queue.run()
            failed = queue.uploads[0]
            assert failed.state == UploadState.FAILED and words in (failed.error or "")
            assert "“photo.jpg”" in failed.error
            sandbox.faults.suspended = False
            queue.retry(failed.id)
            assert failed.state == UploadState.QUEUED and failed.error is None
            await queue.run()
            return queue

    queue = run(scenario())
    expected = UploadState.DONE if case == "suspended store" else UploadState.FAILED
    assert queue.uploads[0].state == expected


def test_remove_one_then_all_refreshes_the_cache(sandbox, cache, files_option, tmp_path):
    paths = []
    for name in ("a.txt", "b.txt", "c.txt"):
        paths.append(tmp_path / name)
        paths[-1].write_text(name)
    queue, _ = upload_all(sandbox, cache, files_option, paths)
    first = queue.uploads[0].file_id

    async def remove() -> tuple[Mapping[str, Any] | None, Mapping[str, Any] | None]:
        async with client_for(sandbox) as client:
            after_one = await remove_file(client, cache, files_option, first)
            after_all = await remove_all_files(client, cache, files_option)
            return after_one, after_all

    after_one, after_all = run(remove())
    ids_after_one = {f["id"] for f in option_files(after_one, files_option)}
    assert first not in ids_after_one
    assert {u.file_id for u in queue.uploads[1:]} <= ids_after_one
    assert option_files(after_all, files_option) == []
    assert server_files(sandbox, files_option) == []
    assert option_files(cache.order_json(files_option.order_key), files_option) == []
