"""The error every sandbox handler raises to answer with an Ecwid-style error body.

Ecwid answers errors as JSON ``{"errorMessage": "...", "errorCode": "..."}``
with ``Content-Type: application/json; charset=utf-8``; the server turns an
:class:`ApiError` into exactly that.
"""

from __future__ import annotations


class ApiError(Exception):
    """An HTTP error answer: status, Ecwid error code and message."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        headers: dict[str, str] | None = None,
        close: bool = False,
    ) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}
        self.close = close

    def body(self) -> dict[str, str]:
        return {"errorMessage": self.message, "errorCode": self.code}


def bad_request(message: str, code: str = "INVALID_REQUEST") -> ApiError:
    return ApiError(400, code, message)


def not_found(message: str = "Order not found", code: str = "ORDER_NOT_FOUND") -> ApiError:
    return ApiError(404, code, message)
