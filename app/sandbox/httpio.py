"""Request bodies and responses of the sandbox's HTTP layer.

:class:`RequestBody` reads a body with ``Content-Length`` or chunked transfer
encoding, either whole (JSON, with a size cap) or streamed to a file in
256 KiB chunks (uploads: a 100 MB file never sits in memory). Whatever a
handler leaves unread is drained before the next request on the connection,
or the connection is closed when that would be too much.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from email.message import Message
from io import BufferedIOBase
from pathlib import Path
from typing import Any

from app.sandbox.errors import ApiError

CHUNK = 256 * 1024
JSON_TYPE = "application/json; charset=utf-8"
MAX_JSON_BODY = 10 * 1024 * 1024


class BodyTooLarge(Exception):
    pass


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    content_type: str = JSON_TYPE
    headers: dict[str, str] = field(default_factory=dict)
    close: bool = False
    file: Path | None = None  # sent in chunks instead of ``body``


def json_response(data: Any, status: int = 200) -> Response:
    return Response(status, json.dumps(data, separators=(",", ":")).encode())


def error_response(error: ApiError) -> Response:
    response = json_response(error.body(), error.status)
    response.headers.update(error.headers)
    response.close = error.close
    return response


class RequestBody:
    """The body of one request, read at most once."""

    def __init__(self, rfile: BufferedIOBase, headers: Message) -> None:
        self._rfile = rfile
        self.chunked = "chunked" in (headers.get("Transfer-Encoding") or "").lower()
        raw_length = headers.get("Content-Length")
        self.declared_length: int | None = None
        self.malformed = False
        if raw_length is not None and not self.chunked:
            try:
                self.declared_length = int(raw_length)
                self.malformed = self.declared_length < 0
            except ValueError:
                self.malformed = True
        self.consumed = not self.chunked and not self.declared_length

    @property
    def present(self) -> bool:
        return self.chunked or bool(self.declared_length)

    def chunks(self, limit: int):
        """Yield the body in pieces of at most 256 KiB; raise BodyTooLarge past ``limit``."""
        if self.consumed:
            return
        self.consumed = True
        if self.chunked:
            yield from self._chunked_pieces(limit)
            return
        remaining = self.declared_length or 0
        if remaining > limit:
            raise BodyTooLarge
        while remaining > 0:
            piece = self._rfile.read(min(CHUNK, remaining))
            if not piece:
                raise ConnectionError("client closed the connection mid-body")
            remaining -= len(piece)
            yield piece

    def _chunked_pieces(self, limit: int):
        total = 0
        while True:
            line = self._rfile.readline(1024)
            if not line:
                raise ConnectionError("client closed the connection mid-body")
            size = int(line.split(b";")[0].strip() or b"0", 16)
            if size == 0:
                while self._rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                    pass  # trailers
                return
            total += size
            if total > limit:
                raise BodyTooLarge
            while size > 0:
                piece = self._rfile.read(min(CHUNK, size))
                if not piece:
                    raise ConnectionError("client closed the connection mid-body")
                size -= len(piece)
                yield piece
            self._rfile.readline(16)  # CRLF after the chunk

    def read_json(self) -> Any:
        """The body parsed as JSON (400 if it is not JSON, 413 past 10 MB)."""
        try:
            data = b"".join(self.chunks(MAX_JSON_BODY))
        except BodyTooLarge:
            raise ApiError(
                413, "REQUEST_TOO_LARGE", "Request body is too large", close=True
            ) from None
        try:
            return json.loads(data)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ApiError(400, "INVALID_JSON", f"Request body is not valid JSON: {exc}") from None

    def drain(self, limit: int) -> bool:
        """Read and discard what is left; False if more than ``limit`` (close instead)."""
        if self.consumed:
            return True
        if not self.chunked and (self.declared_length or 0) > limit:
            return False
        try:
            for _ in self.chunks(limit):
                pass
        except (BodyTooLarge, ConnectionError, ValueError):
            return False
        return True


@dataclass
class Request:
    """What a handler sees of a request to ``/api/v3/{storeId}/…``."""

    method: str
    params: dict[str, list[str]]
    headers: Message
    body: RequestBody

    def content_type(self) -> str:
        return (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
