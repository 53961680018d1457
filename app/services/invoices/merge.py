"""One PDF from many: :func:`merge_pdfs` joins per-invoice PDFs for bulk
printing, each part starting on a new page, as they come.

The parts are read one at a time (each file is closed before the next is
opened) and the result is written to a temporary file beside the target,
then moved into place: a crash or an error never leaves half a PDF under
the target's name, and an existing target stays until the new one is whole.
The target's folder must exist; it is never created.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError


class PdfMergeError(Exception):
    """A part could not be read or the result written; ``str()`` says which, in plain words."""


def merge_pdfs(parts: list[Path], target: Path) -> int:
    """Write the pages of ``parts``, in order, to ``target`` (replaced whole,
    atomically); return the number of pages written. Raises
    :class:`PdfMergeError` for a missing or unreadable part or an unwritable target."""
    if not parts:
        raise PdfMergeError("There is nothing to put into the PDF.")
    target = Path(target)
    writer = PdfWriter()
    pages = 0
    for part in map(Path, parts):
        try:
            with part.open("rb") as stream:
                reader = PdfReader(stream)
                for page in reader.pages:
                    writer.add_page(page)  # a copy: the part's file can close
                    pages += 1
        except OSError as exc:
            raise PdfMergeError(f"The PDF part {part} cannot be read: {exc.strerror}.") from exc
        except PyPdfError as exc:
            raise PdfMergeError(f"The PDF part {part} is damaged: {exc}") from exc
    _write_atomically(writer, target)
    return pages


def _write_atomically(writer: PdfWriter, target: Path) -> None:
    if not target.parent.is_dir():  # never made up: a typo must not create folders
        raise PdfMergeError(f"The PDF cannot be written to {target}: its folder does not exist.")
    try:
        handle, temp_name = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".part", dir=target.parent
        )
    except OSError as exc:
        raise PdfMergeError(f"The PDF cannot be written to {target}: {exc.strerror}.") from exc
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "wb") as stream:
            writer.write(stream)
            stream.flush()
            os.fsync(stream.fileno())
        temp.replace(target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise PdfMergeError(f"The PDF cannot be written to {target}: {exc.strerror}.") from exc
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
