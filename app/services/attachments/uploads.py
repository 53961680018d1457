"""The upload queue of one FILES option: files go up one after another,
streamed from disk, with progress, cancel and retry per file.

    queue = UploadQueue(client, cache, OptionRef(key, item_id, "Artwork"))
    queue.add_files([path1, path2])       # checked first; problems returned
    await queue.run()                     # until nothing is left queued

- A file is never read whole: the client streams it in chunks and reports
  ``sent``/``total`` after each; :attr:`UploadQueue.progress` is the batch's
  overall progress.
- :meth:`UploadQueue.cancel` stops a file (queued or on its way). A cancelled
  upload leaves no file on the order: if the store got it anyway (the answer
  was on its way), it is deleted again.
- :meth:`UploadQueue.retry` queues a failed or cancelled file again.
- After each success the order is read again and stored in the cache; the
  ``on_uploaded`` callback gets it. ``on_change`` is called with the upload
  whose state or progress changed. Both run on the event loop's thread.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from app.cache import OrderCache
from app.services.attachments.files import (
    OptionRef,
    UploadProblem,
    check_upload,
    option_files,
    problem_text,
    refresh_cached_order,
)

if TYPE_CHECKING:
    from app.ecwid import EcwidClient

log = logging.getLogger(__name__)

_ids = itertools.count(1)
CANCEL_CHECKS = 4  # looks at the order after cancelling a fully sent file
CANCEL_CHECK_DELAY = 0.25  # seconds between them


class UploadState(StrEnum):
    QUEUED = "queued"
    UPLOADING = "uploading"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


@dataclass
class Upload:
    """One file (a local path or an external URL) on its way to the option."""

    name: str
    size: int  # bytes to send; 0 for an external URL
    path: Path | None = None
    url: str | None = None
    state: UploadState = UploadState.QUEUED
    sent: int = 0
    error: str | None = None
    file_id: int | None = None
    id: int = 0

    def __post_init__(self) -> None:
        self.id = self.id or next(_ids)

    @property
    def finished(self) -> bool:
        return self.state in (UploadState.DONE, UploadState.FAILED, UploadState.CANCELLED)


class UploadQueue:
    """Uploads the files given to one option, in the order given."""

    def __init__(
        self,
        client: EcwidClient,
        cache: OrderCache,
        target: OptionRef,
        *,
        on_change: Callable[[Upload], Any] | None = None,
        on_uploaded: Callable[[dict[str, Any]], Any] | None = None,
        on_file_done: Callable[[Upload], Any] | None = None,
    ) -> None:
        self.client = client
        self.cache = cache
        self.target = target
        self.on_change = on_change
        self.on_uploaded = on_uploaded
        self.on_file_done = on_file_done  # each file the store took (a worker thread)
        self.uploads: list[Upload] = []
        self._current: tuple[Upload, asyncio.Task[int]] | None = None
        self._running = False

    # -- adding ----------------------------------------------------------------------

    def add_files(self, paths: Iterable[str | os.PathLike[str]]) -> list[UploadProblem]:
        """Queue the files that can be uploaded; returns why the others cannot."""
        problems: list[UploadProblem] = []
        for raw in paths:
            path = Path(raw)
            problem = check_upload(path)
            if problem is not None:
                problems.append(problem)
                continue
            self._add(Upload(path.name, path.stat().st_size, path=path))
        return problems

    def add_url(self, url: str, file_name: str | None = None) -> Upload:
        """Queue a file the store fetches itself from ``url`` (``externalUrl``)."""
        url = url.strip()
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"“{url}” is not a web address (http:// or https://).")
        name = file_name or unquote(parts.path.rsplit("/", 1)[-1]) or parts.netloc
        return self._add(Upload(name, 0, url=url))

    def _add(self, upload: Upload) -> Upload:
        if all(u.finished for u in self.uploads):
            self.uploads = [u for u in self.uploads if u.state != UploadState.DONE]
        self.uploads.append(upload)
        self._changed(upload)
        return upload

    # -- state -----------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._running

    @property
    def progress(self) -> tuple[int, int]:
        """``(sent, total)`` bytes over the files of this batch not cancelled."""
        counted = [u for u in self.uploads if u.state != UploadState.CANCELLED]
        return sum(u.sent for u in counted), sum(u.size for u in counted)

    def pending(self) -> list[Upload]:
        return [u for u in self.uploads if not u.finished]

    # -- control ---------------------------------------------------------------------

    def cancel(self, upload_id: int) -> None:
        """Stop one file: dropped from the queue, or interrupted on its way."""
        upload = self._find(upload_id)
        if upload is None or upload.finished:
            return
        if self._current is not None and self._current[0] is upload:
            self._current[1].cancel()
            return
        upload.state = UploadState.CANCELLED
        self._changed(upload)

    def cancel_all(self) -> None:
        for upload in self.pending():
            self.cancel(upload.id)

    def retry(self, upload_id: int) -> None:
        """Queue a failed or cancelled file again (run the queue afterwards)."""
        upload = self._find(upload_id)
        if upload is None or upload.state not in (UploadState.FAILED, UploadState.CANCELLED):
            return
        upload.state, upload.sent, upload.error = UploadState.QUEUED, 0, None
        self.uploads.remove(upload)
        self.uploads.append(upload)
        self._changed(upload)

    def forget(self, upload_id: int) -> None:
        """Take a finished upload off the list."""
        upload = self._find(upload_id)
        if upload is not None and upload.finished:
            self.uploads.remove(upload)

    async def run(self) -> None:
        """Upload the queued files one by one until none is left; returns at
        once when the queue is already running."""
        if self._running:
            return
        self._running = True
        try:
            while (upload := self._next()) is not None:
                await self._upload(upload)
        finally:
            self._running = False
            if self._current is not None:
                self._current[1].cancel()
                self._current = None

    # -- one file --------------------------------------------------------------------

    def _next(self) -> Upload | None:
        return next((u for u in self.uploads if u.state == UploadState.QUEUED), None)

    async def _upload(self, upload: Upload) -> None:
        known = await self._known_file_ids()
        upload.state, upload.sent, upload.error = UploadState.UPLOADING, 0, None
        self._changed(upload)
        task = asyncio.get_running_loop().create_task(self._send(upload))
        self._current = (upload, task)
        try:
            upload.file_id = await asyncio.shield(task)
        except asyncio.CancelledError:
            if not task.cancelled():  # the queue itself was cancelled: stop the upload too
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)
                await self._after_cancel(upload, known)
                raise
            await self._after_cancel(upload, known)
            return
        except Exception as error:  # noqa: BLE001 - every failure is shown by its file
            log.info("upload of %s failed: %r", upload.name, error)
            upload.state = UploadState.FAILED
            upload.error = problem_text(error, f"“{upload.name}”", self.target.option_name)
            self._changed(upload)
            return
        finally:
            self._current = None
        upload.sent = upload.size
        if self.on_file_done is not None:
            await asyncio.to_thread(self.on_file_done, upload)
        await self._refresh()
        upload.state = UploadState.DONE
        self._changed(upload)

    async def _send(self, upload: Upload) -> int:
        ref = self.target
        if upload.url is not None:
            return await self.client.upload_item_option_file(
                ref.order_key,
                ref.item_id,
                ref.option_name,
                external_url=upload.url,
                file_name=upload.name,
            )

        def progress(sent: int, total: int) -> None:
            upload.sent, upload.size = sent, total
            self._changed(upload)

        return await self.client.upload_item_option_file(
            ref.order_key, ref.item_id, ref.option_name, upload.path, progress=progress
        )

    async def _known_file_ids(self) -> set[Any]:
        order = await asyncio.to_thread(self.cache.order_json, self.target.order_key)
        return {f.get("id") for f in option_files(order, self.target)}

    async def _after_cancel(self, upload: Upload, known: set[Any]) -> None:
        """Make sure a cancelled file is not left on the order: the store may
        have taken it just before the connection was dropped. When every byte
        had been sent, the store may still be storing it: look a few times."""
        looks = CANCEL_CHECKS if upload.url is not None or upload.sent >= upload.size else 1
        upload.state = UploadState.CANCELLED
        upload.sent = 0
        self._changed(upload)
        ref = self.target
        try:
            for look in range(looks):
                if look:
                    await asyncio.sleep(CANCEL_CHECK_DELAY)
                fresh = await self.client.get_order_raw(ref.order_key)
                arrived = [
                    f
                    for f in option_files(fresh, ref)
                    if f.get("id") not in known
                    and f.get("name") == upload.name
                    and (upload.url is not None or f.get("size") == upload.size)
                ]
                for file in arrived:
                    await self.client.delete_item_option_file(
                        ref.order_key, ref.item_id, ref.option_name, int(file["id"])
                    )
                if arrived:
                    await self._refresh()
                    return
        except Exception as error:  # noqa: BLE001 - the cancel itself has happened
            log.warning("after cancelling %s: could not check the order: %r", upload.name, error)
            what = "Checking the order after the cancel"
            upload.error = problem_text(error, what, ref.option_name)
            self._changed(upload)

    async def _refresh(self) -> None:
        try:
            fresh = await refresh_cached_order(self.client, self.cache, self.target.order_key)
        except Exception as error:  # noqa: BLE001 - the upload is done; the next sync catches up
            log.warning("order %s not refreshed after an upload: %r", self.target.order_key, error)
            return
        if fresh is not None and self.on_uploaded is not None:
            self.on_uploaded(fresh)

    def _find(self, upload_id: int) -> Upload | None:
        return next((u for u in self.uploads if u.id == upload_id), None)

    def _changed(self, upload: Upload) -> None:
        if self.on_change is not None:
            self.on_change(upload)
