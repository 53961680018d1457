"""Handlers of item option files: upload, delete one, delete all; and file downloads.

Upload (``POST /orders/{id}/items/{itemId}/options/{optionName}``): the body
is the raw file with ``Content-Type: application/octet-stream`` (415
otherwise), streamed to disk in 256 KiB chunks; a ``Content-Length`` over
100 MB answers 413 before any of the body is read and closes the
connection. With ``externalUrl=`` the file is recorded with that URL and any
body is ignored. The order, item and option must exist (404) and the option
must be of type FILES (409). The option name in the path is percent-encoded:
``+`` and ``%20`` both mean a space, ``%2B`` a plus.

Stored files are served without a token at ``/orderfile/{storeId}/{fileId}/…``
(the URL the API returns), like the real service's file links.
"""

from __future__ import annotations

import os
import re
import tempfile
import urllib.parse
from pathlib import Path
from urllib.parse import quote

from app.sandbox import mutations
from app.sandbox.dates import now_ts
from app.sandbox.errors import ApiError, bad_request, not_found
from app.sandbox.httpio import BodyTooLarge, Request, Response, json_response
from app.sandbox.orders_api import order_or_404, remove_files
from app.sandbox.storage import OrderStore

MAX_FILE_SIZE = 100 * 1024 * 1024
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def too_large() -> ApiError:
    return ApiError(
        413,
        "FILE_TOO_LARGE",
        "The file is too large. Maximum allowed file size is 100Mb.",
        close=True,
    )


class FilesApi:
    """Item option files of one store, kept in ``files_dir``."""

    def __init__(self, store: OrderStore, store_id: int, files_dir: Path, origin: str) -> None:
        self.store = store
        self.store_id = store_id
        self.files_dir = files_dir
        self.origin = origin  # e.g. http://127.0.0.1:8080, for the file URLs

    def upload(self, request: Request, ref: str, item_ref: str, option_name: str) -> Response:
        if (request.body.declared_length or 0) > MAX_FILE_SIZE:
            raise too_large()
        external_url = (request.params.get("externalUrl") or [""])[-1].strip()
        file_name = (request.params.get("fileName") or [""])[-1].strip()
        if not file_name and external_url:
            file_name = urllib.parse.unquote(
                urllib.parse.urlsplit(external_url).path.rsplit("/", 1)[-1]
            )
        if not file_name:
            raise bad_request("Parameter fileName is absent")
        with self.store.read() as conn:  # fail fast, before reading the body
            _, order = order_or_404(conn, ref)
            mutations.find_files_option(order, item_ref, option_name)
        temp_path: Path | None = None
        size = 0
        if not external_url:
            if request.content_type() != "application/octet-stream":
                raise ApiError(
                    415,
                    "UNSUPPORTED_MEDIA_TYPE",
                    "Unsupported content-type: expected application/octet-stream",
                )
            temp_path, size = self._receive(request)
        try:
            file_id = self._attach(
                ref, item_ref, option_name, file_name, size, temp_path, external_url
            )
        except BaseException:
            if temp_path is not None:
                temp_path.unlink(missing_ok=True)
            raise
        return json_response({"id": file_id})

    def _receive(self, request: Request) -> tuple[Path, int]:
        self.files_dir.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix="upload-", suffix=".part", dir=self.files_dir)
        size = 0
        try:
            with os.fdopen(handle, "wb") as out:
                for piece in request.body.chunks(MAX_FILE_SIZE):
                    out.write(piece)
                    size += len(piece)
        except BodyTooLarge:
            Path(name).unlink(missing_ok=True)
            raise too_large() from None
        except BaseException:
            Path(name).unlink(missing_ok=True)
            raise
        return Path(name), size

    def _attach(
        self,
        ref: str,
        item_ref: str,
        option_name: str,
        file_name: str,
        size: int,
        temp_path: Path | None,
        external_url: str,
    ) -> int:
        with self.store.transaction() as conn:
            internal_id, order = order_or_404(conn, ref)
            option = mutations.find_files_option(order, item_ref, option_name)
            file_id = OrderStore.next_id(conn, "file_id")
            stored: Path | None = None
            if temp_path is not None:
                stored = self.files_dir / f"{file_id}-{_UNSAFE.sub('_', file_name)[:80]}"
                os.replace(temp_path, stored)
                url = (
                    f"{self.origin}/orderfile/{self.store_id}/{file_id}/{size}/"
                    f"{urllib.parse.quote(file_name)}"
                )
            else:
                url = external_url
            option["files"].append({"id": file_id, "name": file_name, "size": size, "url": url})
            mutations.touch(order, now_ts())
            OrderStore.save(conn, order, internal_id)
            OrderStore.add_file(
                conn,
                file_id=file_id,
                internal_id=internal_id,
                item_id=int(item_ref) if item_ref.isdigit() else 0,
                option_name=option_name,
                name=file_name,
                size=size,
                path=str(stored) if stored else None,
                external_url=external_url or None,
                created_ts=now_ts(),
            )
        return file_id

    def delete_file(
        self, request: Request, ref: str, item_ref: str, option_name: str, file_ref: str
    ) -> Response:
        return self._delete(ref, item_ref, option_name, file_ref)

    def delete_all(self, request: Request, ref: str, item_ref: str, option_name: str) -> Response:
        return self._delete(ref, item_ref, option_name, None)

    def _delete(self, ref: str, item_ref: str, option_name: str, file_ref: str | None) -> Response:
        with self.store.transaction() as conn:
            internal_id, order = order_or_404(conn, ref)
            option = mutations.find_files_option(order, item_ref, option_name)
            files = option["files"]
            if file_ref is None:
                removed = [f for f in files if isinstance(f, dict)]
            else:
                removed = [f for f in files if isinstance(f, dict) and str(f.get("id")) == file_ref]
                if not removed:
                    raise not_found(f"File {file_ref} is not found", "FILE_NOT_FOUND")
            option["files"] = [f for f in files if f not in removed]
            if removed:
                mutations.touch(order, now_ts())
                OrderStore.save(conn, order, internal_id)
            ids = [f["id"] for f in removed if isinstance(f.get("id"), int)]
            paths = OrderStore.forget_files(conn, ids)
        remove_files(paths)
        return json_response({"deleteCount": len(removed)})

    def download(self, file_ref: str) -> Response:
        """``GET /orderfile/{storeId}/{fileId}/…``: the stored bytes, streamed."""
        found = self.store.file_path(int(file_ref)) if file_ref.isdigit() else None
        if found is None or not found[1] or not Path(found[1]).exists():
            raise not_found("File not found", "FILE_NOT_FOUND")
        path = Path(found[1])
        return Response(
            file=path,
            content_type="application/octet-stream",
            headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(found[0])}"},
        )
