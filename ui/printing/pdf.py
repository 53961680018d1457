"""Invoices to PDF without a window: one hidden page, reused document after document.

* :class:`PdfRenderer` loads HTML into an :class:`~ui.printing.page.InvoicePage`
  (scripts off, requests gated) and prints it to a PDF file; one job at a time.
  The page is replaced every few dozen documents: Chromium's renderer keeps
  about 1 MB per printed page and never gives it back.
* :class:`PdfBook` collects such parts in a temporary folder and merges them
  into the target file at the end (off the event loop). Each part starts on a
  new page; a cancelled book leaves no target file. Memory stays flat however
  many documents go in: one page at a time, parts on disk.
* :func:`render_pdf` (async) prints one document; :func:`render_pdf_documents`
  is the synchronous entry point for the command line: it creates an offscreen
  ``QApplication`` when there is none and runs Qt's event loop itself.

Page size and margins come from :func:`page_layout` (A4 or Letter); CSS
``@page`` margins of the document win over ours.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

import shiboken6
from PySide6.QtCore import QCoreApplication, QEventLoop, QMarginsF, QObject, Qt, QTimer
from PySide6.QtGui import QPageLayout, QPageSize
from PySide6.QtWebEngineCore import QWebEnginePage, QWebEngineProfile
from PySide6.QtWidgets import QApplication

from app.platform.environment_secrets import take_environment_secrets
from app.services.invoices.merge import merge_pdfs
from ui.printing.page import InvoicePage

PAPER_SIZES = {"A4": QPageSize.PageSizeId.A4, "Letter": QPageSize.PageSizeId.Letter}
MARGINS_MM = QMarginsF(10, 12, 10, 12)  # left, top, right, bottom
LOAD_TIMEOUT_MS = 15_000  # a remote image that never answers: print what has loaded
JOB_TIMEOUT_MS = 60_000  # a job that never ends fails instead of hanging
DOCUMENTS_PER_PAGE = 25  # then a fresh page (and renderer process): memory stays bounded

Progress = Callable[[int, int], None]  # (done, total)
Done = Callable[[BaseException | None], None]


class HasHtml(Protocol):
    @property
    def html(self) -> str: ...


class RenderError(RuntimeError):
    """A document could not be printed to PDF."""


def page_layout(paper: str = "A4") -> QPageLayout:
    """Portrait ``paper`` ("A4" or "Letter", any case) with Backroom's margins."""
    size = PAPER_SIZES.get(_paper_name(paper), QPageSize.PageSizeId.A4)
    return QPageLayout(
        QPageSize(size), QPageLayout.Orientation.Portrait, MARGINS_MM, QPageLayout.Unit.Millimeter
    )


def _paper_name(paper: str) -> str:
    return {"a4": "A4", "letter": "Letter"}.get(paper.strip().lower(), paper)


class PdfRenderer(QObject):
    """HTML in, one PDF file out, through one hidden page reused job after job."""

    def __init__(
        self,
        *,
        online: bool = False,
        profile: QWebEngineProfile | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._online = online
        self._profile = profile
        self.page: InvoicePage | None = None
        self._documents_on_page = 0
        self._new_page()
        self._load_timer = _single_shot(self, LOAD_TIMEOUT_MS, self._on_load_timeout)
        self._job_timer = _single_shot(self, JOB_TIMEOUT_MS, self._on_job_timeout)
        self._job: tuple[Path, QPageLayout, Done] | None = None
        self._printing = False

    def _new_page(self) -> None:
        """A fresh page (and with it a fresh Chromium renderer process): a renderer
        grows by about 1 MB per printed document and gives nothing back, so the
        page is replaced every :data:`DOCUMENTS_PER_PAGE` documents."""
        old, self.page = self.page, InvoicePage(self._profile, online=self._online)
        self.page.loadFinished.connect(self._on_load_finished)
        self.page.pdfPrintingFinished.connect(self._on_pdf_printing_finished)
        self._documents_on_page = 0
        if old is not None:
            shiboken6.delete(old)  # (never called from one of the old page's signals)

    def start(self, html: str, target: Path, *, paper: str = "A4", done: Done) -> None:
        """Print ``html`` to ``target``; ``done(None)`` after, ``done(error)`` on failure."""
        if self.page is None:
            raise RenderError("The PDF renderer is closed.")
        if self._job is not None:
            raise RenderError("The PDF renderer is busy with another document.")
        if self._documents_on_page >= DOCUMENTS_PER_PAGE:
            self._new_page()
        self._documents_on_page += 1
        self._job = (Path(target), page_layout(paper), done)
        self._printing = False
        self._job_timer.start()
        self._load_timer.start()
        self.page.show_html(html)

    async def render(self, html: str, target: Path, *, paper: str = "A4") -> None:
        """:meth:`start` as a coroutine; cancelling it abandons the job."""
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()

        def done(error: BaseException | None) -> None:
            if future.done():
                return
            if error is None:
                future.set_result(None)
            else:
                future.set_exception(error)

        self.start(html, target, paper=paper, done=done)
        try:
            await future
        except asyncio.CancelledError:
            self.abort()
            raise

    def abort(self) -> None:
        """Forget the running job (its callback is not called); the next job gets
        a fresh page, so nothing late from this one can reach it."""
        if self._job is not None:
            self._documents_on_page = DOCUMENTS_PER_PAGE
        self._job = None
        self._load_timer.stop()
        self._job_timer.stop()
        if self.page is not None and not self._printing:
            self.page.triggerAction(QWebEnginePage.WebAction.Stop)

    def close(self) -> None:
        """Release the page (before the profile goes: Qt warns otherwise)."""
        self.abort()
        if self.page is not None:
            page, self.page = self.page, None
            shiboken6.delete(page)  # now: the application may end right after

    # -- the job's steps ----------------------------------------------------------

    def _on_load_finished(self, _ok: bool) -> None:
        # Not ok means a resource failed (blocked offline, say): print what is there.
        if self._job is None or self._printing or self.page is None:
            return
        self._load_timer.stop()
        self._printing = True
        target, layout, _done = self._job
        self.page.printToPdf(str(target), layout)

    def _on_load_timeout(self) -> None:
        if self._job is not None and not self._printing and self.page is not None:
            self.page.triggerAction(QWebEnginePage.WebAction.Stop)  # loadFinished follows

    def _on_pdf_printing_finished(self, path: str, ok: bool) -> None:
        if self._job is None or Path(path) != self._job[0]:
            return
        _target, _layout, done = self._job
        self._finish(done, None if ok else RenderError(f"Could not write {path}."))

    def _on_job_timeout(self) -> None:
        if self._job is not None:
            done = self._job[2]
            self.abort()
            done(RenderError("Rendering the document took too long."))

    def _finish(self, done: Done, error: BaseException | None) -> None:
        self._job = None
        self._printing = False
        self._job_timer.stop()
        self._load_timer.stop()
        done(error)


def _single_shot(parent: QObject, interval_ms: int, slot: Callable[[], None]) -> QTimer:
    timer = QTimer(parent)
    timer.setSingleShot(True)
    timer.setInterval(interval_ms)
    timer.timeout.connect(slot)
    return timer


class PdfBook:
    """Documents rendered one by one into parts, then merged into one PDF.

    Use it as a context manager: the temporary folder goes with it."""

    def __init__(self, renderer: PdfRenderer, *, paper: str = "A4") -> None:
        self.renderer = renderer
        self.paper = paper
        self._folder = tempfile.TemporaryDirectory(prefix="backroom-pdf-")
        self._count = 0

    def __enter__(self) -> PdfBook:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _next_part(self) -> Path:
        self._count += 1
        return Path(self._folder.name) / f"part-{self._count:05d}.pdf"

    async def add(self, html: str) -> Path:
        """Render ``html`` into a new part; returns the part's file."""
        part = self._next_part()
        await self.renderer.render(html, part, paper=self.paper)
        return part

    def add_blocking(self, html: str) -> Path:
        """:meth:`add` without asyncio: runs Qt's event loop until the part is written."""
        part = self._next_part()
        loop = QEventLoop()
        outcome: list[BaseException | None] = []

        def done(error: BaseException | None) -> None:
            outcome.append(error)
            loop.quit()

        self.renderer.start(html, part, paper=self.paper, done=done)
        if not outcome:
            loop.exec()
        if outcome[0] is not None:
            raise outcome[0]
        return part

    async def write(self, parts: Sequence[Path], target: Path) -> int:
        """Merge ``parts`` (in this order) into ``target`` off the event loop; returns
        its page count. Cancelled, it waits for the merge and removes ``target``."""
        work = asyncio.ensure_future(asyncio.to_thread(merge_pdfs, list(parts), Path(target)))
        try:
            return await asyncio.shield(work)
        except asyncio.CancelledError:
            with contextlib.suppress(BaseException):
                await work
            Path(target).unlink(missing_ok=True)
            raise

    def close(self) -> None:
        self._folder.cleanup()


def arrange[T](invoices: Sequence[T], slips: Sequence[T] | None, *, interleave: bool) -> list[T]:
    """Invoices and their packing slips in print order: each invoice followed by
    its slip (``interleave``), or all invoices and then all slips."""
    if not slips:
        return list(invoices)
    if not interleave:
        return [*invoices, *slips]
    ordered: list[T] = []
    for index, invoice in enumerate(invoices):
        ordered.append(invoice)
        if index < len(slips):
            ordered.append(slips[index])
    ordered.extend(slips[len(invoices) :])
    return ordered


async def render_pdf(html: str, target: Path, *, paper: str = "A4", online: bool = False) -> None:
    """Print one document to ``target`` (needs a running Qt-driven asyncio loop)."""
    renderer = PdfRenderer(online=online)
    try:
        await renderer.render(html, Path(target), paper=paper)
    finally:
        renderer.close()


def render_pdf_documents(
    documents: Sequence[HasHtml | str],
    target: Path,
    *,
    packing_slips: list[str] | None = None,
    interleave: bool = True,
    paper: str = "A4",
    progress: Progress | None = None,
    should_stop: Callable[[], bool] | None = None,
    online: bool = False,
) -> int:
    """Print ``documents`` (invoices, or HTML) and their ``packing_slips`` into one
    PDF at ``target``; returns its page count, or 0 when ``should_stop`` said
    stop (then nothing is written). Synchronous, for the command line: runs
    Qt's event loop itself, creating an offscreen application if need be.
    ``online`` lets the documents load remote images (off by default)."""
    if not documents:
        raise ValueError("There are no documents to print.")
    ensure_application()
    htmls = [document if isinstance(document, str) else document.html for document in documents]
    ordered = arrange(htmls, packing_slips, interleave=interleave)
    renderer = PdfRenderer(online=online)
    try:
        with PdfBook(renderer, paper=paper) as book:
            parts = []
            for done, html in enumerate(ordered):
                if should_stop is not None and should_stop():
                    return 0
                parts.append(book.add_blocking(html))
                if progress is not None:
                    progress(done + 1, len(ordered))
            if should_stop is not None and should_stop():
                return 0
            return merge_pdfs(parts, Path(target))
    finally:
        renderer.close()


class WebEnginePdfPrinter:
    """The PDF printer the services' :class:`~app.services.invoices.printing.PdfPrinter`
    asks for: QtWebEngine, offscreen (the command line's way to print)."""

    def print_pdf(
        self,
        documents: Sequence[HasHtml | str],
        target: Path,
        *,
        packing_slips: list[str] | None = None,
        paper: str = "A4",
    ) -> int:
        return render_pdf_documents(documents, target, packing_slips=packing_slips, paper=paper)


def ensure_application() -> QApplication:
    """The running ``QApplication``, or a new offscreen one (QtWebEngine set up
    for it: shared OpenGL contexts, and no Chromium sandbox when run as root)."""
    app = QCoreApplication.instance()
    if isinstance(app, QApplication):
        return app
    if app is not None:
        raise RuntimeError("Rendering invoices needs a QApplication, not a QCoreApplication.")
    take_environment_secrets()  # render processes read untrusted HTML: no token or key for them
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        flags = os.environ.get("QTWEBENGINE_CHROMIUM_FLAGS", "")
        if "--no-sandbox" not in flags.split():
            os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] = f"{flags} --no-sandbox".strip()
    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
    name = sys.argv[0] if sys.argv and sys.argv[0] else "backroom"
    return QApplication([name, "-platform", "offscreen"])
