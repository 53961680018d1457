"""The invoice view with untrusted HTML: the demo store's invoice (whose script
would replace the page with "SCRIPT RAN" and print it) renders with its script
off, a clicked link goes to the system browser and the view stays, other
navigations are refused, remote requests are blocked offline, and zoom works."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QObject, QPoint, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtTest import QTest
from PySide6.QtWebEngineCore import QWebEnginePage, QWebEngineScript
from PySide6.QtWidgets import QMenu

from app.sandbox.invoice import render_invoice
from app.sandbox.seed import seed_orders
from tests.helpers.sandbox import FIXED_NOW
from ui.invoices.view import InvoiceView
from ui.printing.page import InvoicePage, invoice_profile

GIF = bytes.fromhex(
    "47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b"
)


@pytest.fixture(scope="module")
def store_invoice() -> str:
    """The demo store's invoice page, exactly as ``GET /orders/{id}/invoice`` sends it."""
    order = next(o for o in seed_orders(12, 7, FIXED_NOW, 4870020) if o["paymentStatus"] == "PAID")
    return render_invoice(order)


def shown(qtbot, view: InvoiceView, html: str) -> None:
    with qtbot.waitSignal(view.loadFinished, timeout=20_000):
        view.show_html(html)


def page_text(qtbot, page: QWebEnginePage) -> str:
    result: list[str] = []
    page.toPlainText(result.append)
    qtbot.waitUntil(lambda: bool(result), timeout=10_000)
    return result[0]


def evaluate(qtbot, page: QWebEnginePage, script: str) -> Any:
    """Run ``script`` in the isolated application world (the page's own stay off)."""
    result: list[Any] = []
    page.runJavaScript(script, QWebEngineScript.ScriptWorldId.ApplicationWorld, result.append)
    qtbot.waitUntil(lambda: bool(result), timeout=10_000)
    return result[0]


@pytest.fixture
def view() -> Iterator[InvoiceView]:
    view = InvoiceView()
    view.resize(900, 700)
    yield view
    view.close()
    shiboken6.delete(view)  # now, not later: the shared profile must outlive no page


class UrlRecorder(QObject):
    """Stands in for the system browser (Qt's own hook, not our code)."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[QUrl] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(QUrl(url))


@pytest.fixture
def browser() -> Iterator[UrlRecorder]:
    recorder = UrlRecorder()
    for scheme in ("http", "https", "mailto"):
        QDesktopServices.setUrlHandler(scheme, recorder, "open")
    yield recorder
    for scheme in ("http", "https", "mailto"):
        QDesktopServices.unsetUrlHandler(scheme)


class _Counter(BaseHTTPRequestHandler):
    hits: list[str]

    def do_GET(self) -> None:  # noqa: N802
        self.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/gif")
        self.send_header("Content-Length", str(len(GIF)))
        self.end_headers()
        self.wfile.write(GIF)

    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture
def image_server() -> Iterator[tuple[str, list[str]]]:
    """A loopback HTTP server serving a 1-pixel image; yields its URL and the paths asked for."""
    hits: list[str] = []
    handler = type("Handler", (_Counter,), {"hits": hits})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", hits
    finally:
        server.shutdown()
        server.server_close()


def test_the_store_invoice_renders_with_its_script_off(qtbot, view, store_invoice):
    printing: list[bool] = []
    view.page().printRequested.connect(lambda: printing.append(True))
    shown(qtbot, view, store_invoice)

    text = page_text(qtbot, view.page())
    assert "SCRIPT RAN" not in text
    assert "Order #" in text and "Thank you for your order!" in text
    # the DOM is the original: the body still holds the invoice's tables
    assert evaluate(qtbot, view.page(), "document.querySelectorAll('table.items tr').length") >= 2
    assert evaluate(qtbot, view.page(), "document.body.innerHTML.includes('SCRIPT RAN')") is False
    qtbot.wait(100)
    assert printing == []  # <body onload="window.print()"> did not run


def test_the_same_page_with_scripts_allowed_does_run_them(qtbot, store_invoice):
    """The control: this invoice's script really rewrites the page when allowed."""
    page = QWebEnginePage(invoice_profile())
    try:
        with qtbot.waitSignal(page.loadFinished, timeout=20_000):
            page.setHtml(store_invoice, QUrl("about:blank"))
        qtbot.waitUntil(lambda: page_text(qtbot, page).strip() == "SCRIPT RAN", timeout=10_000)
    finally:
        shiboken6.delete(page)


def test_a_clicked_link_opens_in_the_browser_and_the_view_stays(qtbot, view, browser):
    html = (
        '<html><body style="margin:0"><p>Invoice 1042</p>'
        '<a id="shop" href="https://shop.example/track?id=1" '
        'style="display:block;width:300px;height:80px;font-size:40px">Track parcel</a>'
        "</body></html>"
    )
    view.show()
    qtbot.waitExposed(view)
    shown(qtbot, view, html)
    opened: list[QUrl] = []
    view.page().linkOpened.connect(opened.append)
    rect = evaluate(qtbot, view.page(), "JSON.stringify(shop.getBoundingClientRect())")
    assert '"width":300' in rect

    target = view.focusProxy() or view
    QTest.mouseClick(
        target, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(40, 70)
    )

    qtbot.waitUntil(lambda: bool(browser.urls), timeout=10_000)
    assert [url.toString() for url in browser.urls] == ["https://shop.example/track?id=1"]
    assert [url.toString() for url in opened] == ["https://shop.example/track?id=1"]
    qtbot.wait(200)
    assert "Invoice 1042" in page_text(qtbot, view.page())
    assert view.url().scheme() in ("about", "data")


def test_a_meta_refresh_does_not_navigate_the_view_away(qtbot, view, browser):
    refused: list[QUrl] = []
    view.page().navigationRefused.connect(refused.append)
    html = (
        '<html><head><meta http-equiv="refresh" content="0;url=https://evil.example/">'
        "</head><body>Invoice 77</body></html>"
    )
    shown(qtbot, view, html)
    qtbot.waitUntil(lambda: bool(refused), timeout=10_000)
    assert refused[0].host() == "evil.example"
    assert "Invoice 77" in page_text(qtbot, view.page())
    assert browser.urls == []  # refused, not handed to the browser either


def test_a_frame_may_not_load_a_local_file(qtbot, view, tmp_path):
    secret = tmp_path / "secret.html"
    secret.write_text("<p>TOP SECRET</p>")
    refused: list[QUrl] = []
    view.page().navigationRefused.connect(refused.append)
    html = f'<body>Invoice 5<iframe src="{QUrl.fromLocalFile(str(secret)).toString()}"></iframe>'
    shown(qtbot, view, html)
    qtbot.wait(200)
    frame_text = evaluate(
        qtbot,
        view.page(),
        "(() => { try { return frames[0].document.body.innerText }"
        " catch (e) { return 'blocked' } })()",
    )
    assert "TOP SECRET" not in str(frame_text)
    assert [url.toLocalFile() for url in refused] == [str(secret)]


def test_offline_no_remote_request_leaves_the_page(qtbot, view, image_server):
    url, hits = image_server
    html = f'<body>Invoice 9<img id="logo" src="{url}/logo.gif"><img src="{url}/other.gif"></body>'
    assert not view.page().online
    shown(qtbot, view, html)
    qtbot.wait(300)
    assert hits == []
    assert {blocked.path() for blocked in view.page().gate.blocked} == {"/logo.gif", "/other.gif"}
    assert evaluate(qtbot, view.page(), "logo.naturalWidth") == 0


def test_online_the_store_logo_loads(qtbot, view, image_server):
    url, hits = image_server
    view.set_online(True)
    shown(qtbot, view, f'<body>Invoice 9<img id="logo" src="{url}/logo.gif"></body>')
    qtbot.waitUntil(lambda: hits == ["/logo.gif"], timeout=10_000)
    assert evaluate(qtbot, view.page(), "logo.naturalWidth") == 1
    assert view.page().gate.blocked == []


def test_the_gate_lets_only_inline_and_online_remote_requests_through():
    page = InvoicePage()
    try:
        gate = page.gate
        assert gate.allows(QUrl("data:image/png;base64,AAAA"))
        assert not gate.allows(QUrl("https://cdn.example/logo.png"))
        assert not gate.allows(QUrl("file:///etc/passwd"))
        page.set_online(True)
        assert gate.allows(QUrl("https://cdn.example/logo.png"))
        assert not gate.allows(QUrl("file:///etc/passwd"))
        assert not gate.allows(QUrl("qrc:/icons/app.png"))
        assert not gate.allows(QUrl("ftp://files.example/a"))
    finally:
        shiboken6.delete(page)


def test_zoom_steps_reset_and_fit_width(qtbot, view, store_invoice):
    factors: list[float] = []
    view.zoomChanged.connect(factors.append)
    view.show()
    qtbot.waitExposed(view)
    shown(qtbot, view, store_invoice)

    view.zoom_in()
    view.zoom_in()
    assert view.zoomFactor() == pytest.approx(1.25)
    view.zoom_out()
    assert view.zoomFactor() == pytest.approx(1.1)
    view.reset_zoom()
    assert view.zoomFactor() == pytest.approx(1.0)
    assert factors == pytest.approx([1.1, 1.25, 1.1, 1.0])

    # the demo invoice is 190 mm (~718 CSS px) wide: fitting a 900 px view zooms in
    view.fit_width()
    qtbot.waitUntil(lambda: len(factors) == 5, timeout=10_000)
    assert factors[-1] == pytest.approx((900 - 24) / 718.1, rel=0.02)
    view.resize(500, 700)
    view.fit_width()
    qtbot.waitUntil(lambda: len(factors) == 6, timeout=10_000)
    assert factors[-1] == pytest.approx((500 - 24) / 718.1, rel=0.02)


def test_a_link_to_a_new_window_opens_in_the_browser_too(qtbot, view, browser):
    html = (
        '<body style="margin:0"><a href="https://shop.example/terms" target="_blank" '
        'style="display:block;height:80px;font-size:40px">Terms</a><p>Invoice 8</p></body>'
    )
    view.show()
    qtbot.waitExposed(view)
    shown(qtbot, view, html)

    QTest.mouseClick(
        view.focusProxy(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(30, 40)
    )

    qtbot.waitUntil(lambda: bool(browser.urls), timeout=10_000)
    assert [url.toString() for url in browser.urls] == ["https://shop.example/terms"]
    assert "Invoice 8" in page_text(qtbot, view.page())


def test_the_context_menu_offers_copy_and_zoom_only(qtbot, view):
    view.show()
    qtbot.waitExposed(view)
    shown(qtbot, view, "<body><p style='font-size:40px'>Invoice 3</p></body>")

    QTest.mouseClick(
        view.focusProxy(),
        Qt.MouseButton.RightButton,
        Qt.KeyboardModifier.NoModifier,
        QPoint(30, 30),
    )

    def menu() -> QMenu | None:
        return next((m for m in view.findChildren(QMenu) if m.isVisible()), None)

    qtbot.waitUntil(lambda: menu() is not None, timeout=10_000)
    texts = [action.text() for action in menu().actions() if not action.isSeparator()]
    assert texts == ["Copy", "Select all", "Zoom in", "Zoom out", "Actual size", "Fit width"]
    menu().close()
