"""What the Ecwid API takes in one request: orders per page, bytes per
uploaded file. Apart from the client so that the services can size their
requests without loading it (httpx, the models)."""

from __future__ import annotations

PAGE_LIMIT = 100  # orders in one page of a search (Ecwid's maximum)
MAX_UPLOAD_BYTES = 100 * 1024 * 1024  # one file attached to an order item
