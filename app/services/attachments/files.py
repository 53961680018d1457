"""Files attached to order items: what may be uploaded, what went wrong in
words, removal, and the cached order kept in step with the store.

An item option of type ``FILES`` holds files the shop owner attaches
(artwork, photos, documents). Uploads themselves are queued and streamed by
:class:`app.services.attachments.uploads.UploadQueue`; this module holds what
the queue and the GUI share:

- :func:`check_upload` says, before any byte is sent, why a path cannot be
  uploaded (missing, a folder, unreadable, empty, over Ecwid's 100 MB).
- :func:`problem_text` turns a failure into a sentence naming the file: 402
  not on the store's plan, 404 order/item/option gone, 409 not a file
  option, 413 too large, 415 type refused.
- :func:`remove_file` / :func:`remove_all_files` delete on the store and
  return the order as it is now, also stored in the cache
  (:func:`refresh_cached_order`: GET, then the upsert off the event loop).
"""

from __future__ import annotations

import asyncio
import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.cache import OrderCache
from app.ecwid.errors import (
    EcwidConflictError,
    EcwidError,
    EcwidFileTooLargeError,
    EcwidNetworkError,
    EcwidNotFoundError,
    EcwidPaymentRequiredError,
    EcwidRateLimitedError,
    EcwidUnauthorizedError,
    EcwidUnsupportedMediaError,
)
from app.ecwid.limits import MAX_UPLOAD_BYTES

if TYPE_CHECKING:
    from app.ecwid import EcwidClient

MAX_UPLOAD_MB = MAX_UPLOAD_BYTES // (1024 * 1024)


@dataclass(frozen=True)
class OptionRef:
    """One FILES option of one item of one order: where files are attached."""

    order_key: str
    item_id: int
    option_name: str


@dataclass(frozen=True)
class UploadProblem:
    """Why ``path`` cannot be uploaded, in words naming the file."""

    path: Path
    reason: str

    def __str__(self) -> str:
        return self.reason


def check_upload(path: str | os.PathLike[str]) -> UploadProblem | None:
    """``None`` when ``path`` is a readable, non-empty file of at most 100 MB;
    otherwise the reason it cannot be uploaded. Reads no content."""
    path = Path(path)
    name = f"“{path.name or path}”"
    try:
        info = path.stat()
    except FileNotFoundError:
        return UploadProblem(path, f"{name} no longer exists.")
    except OSError as error:
        return UploadProblem(path, f"{name} cannot be read ({error.strerror or error}).")
    if stat.S_ISDIR(info.st_mode):
        return UploadProblem(path, f"{name} is a folder; drop the files in it instead.")
    if not stat.S_ISREG(info.st_mode):
        return UploadProblem(path, f"{name} is not a regular file.")
    if info.st_size > MAX_UPLOAD_BYTES:
        return UploadProblem(
            path,
            f"{name} is larger than Ecwid accepts: files up to {MAX_UPLOAD_MB} MB.",
        )
    if info.st_size == 0:
        return UploadProblem(path, f"{name} is empty (0 bytes).")
    try:
        with path.open("rb"):
            pass
    except OSError as error:
        return UploadProblem(path, f"{name} cannot be read ({error.strerror or error}).")
    return None


def problem_text(error: BaseException, what: str, option_name: str) -> str:
    """A sentence for a failed upload or removal of ``what`` (e.g. ``“logo.png”``)."""
    if isinstance(error, EcwidPaymentRequiredError):
        return (
            f"{what} was not accepted: the store's Ecwid plan does not include file "
            "uploads, or the store is suspended."
        )
    if isinstance(error, EcwidNotFoundError):
        return (
            f"{what}: the order, the item or its option “{option_name}” no longer exists "
            "in the store. Reload the order."
        )
    if isinstance(error, EcwidConflictError):
        return (
            f"{what} was not accepted: “{option_name}” is not a file option, so the store "
            "takes no files on it."
        )
    if isinstance(error, EcwidFileTooLargeError):
        return f"{what} is too large: Ecwid accepts files up to {MAX_UPLOAD_MB} MB."
    if isinstance(error, EcwidUnsupportedMediaError):
        return f"{what} was refused: the store does not accept this type of file."
    if isinstance(error, EcwidUnauthorizedError):
        return f"{what} was refused: the store's token may not change orders."
    if isinstance(error, EcwidRateLimitedError):
        return f"{what}: the store is busy (too many requests). Try again in a minute."
    if isinstance(error, EcwidNetworkError):
        return f"{what}: the store could not be reached. Check the connection and retry."
    if isinstance(error, EcwidError):
        return f"{what} failed: {error.message}"
    if isinstance(error, OSError):
        return f"{what} could not be read ({error.strerror or error})."
    return f"{what} failed ({type(error).__name__})."


def option_files(order: Mapping[str, Any] | None, ref: OptionRef) -> list[dict[str, Any]]:
    """The files of ``ref``'s option in ``order`` (raw Ecwid JSON), as listed there."""
    for item in (order or {}).get("items") or ():
        if not isinstance(item, Mapping) or str(item.get("id")) != str(ref.item_id):
            continue
        for option in item.get("selectedOptions") or ():
            if isinstance(option, Mapping) and option.get("name") == ref.option_name:
                return [f for f in option.get("files") or () if isinstance(f, dict)]
    return []


async def refresh_cached_order(
    client: EcwidClient, cache: OrderCache, key: str
) -> dict[str, Any] | None:
    """Read ``key`` from the store, store it in the cache (off the event loop)
    and return it as the cache shows it (pending changes applied)."""
    fresh = await client.get_order_raw(key)
    await asyncio.to_thread(cache.upsert_orders, [fresh])
    return await asyncio.to_thread(cache.order_json, key)


async def remove_file(
    client: EcwidClient, cache: OrderCache, ref: OptionRef, file_id: int
) -> dict[str, Any] | None:
    """Delete one file from the option; returns the refreshed order."""
    await client.delete_item_option_file(ref.order_key, ref.item_id, ref.option_name, file_id)
    return await refresh_cached_order(client, cache, ref.order_key)


async def remove_all_files(
    client: EcwidClient, cache: OrderCache, ref: OptionRef
) -> dict[str, Any] | None:
    """Delete every file of the option; returns the refreshed order."""
    await client.delete_item_option_files(ref.order_key, ref.item_id, ref.option_name)
    return await refresh_cached_order(client, cache, ref.order_key)
