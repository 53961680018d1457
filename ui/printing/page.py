"""The page untrusted invoice HTML (the store's own invoice page) is rendered
in, for the preview and for printing to PDF: :class:`InvoicePage`.

The page is rendered the way a careful mail client renders a message:

* JavaScript is off (the store's invoice has an ``onload`` that calls
  ``window.print()``; it must never run), and so are plugins, local storage,
  hyperlink auditing and navigating to a dropped file;
* the HTML is set with a base URL (``about:blank``) that grants nothing: the
  document has an opaque origin, relative links resolve to nothing and local
  content may not read files or reach the network;
* a request gate on the page lets ``data:`` resources through, ``http(s)``
  only while online (the store's logo), and blocks everything else: files,
  ``qrc:``, other schemes, and every remote request when offline;
* a clicked link opens in the system browser; the page itself never
  navigates away from the invoice (redirects, form posts, meta refreshes and
  new windows are refused).

All pages share one private (off-the-record) profile: nothing is written to
disk, and Chromium starts once per process. The preview
(:class:`ui.invoices.view.InvoiceView`) shows this page; the PDF printer
(:mod:`ui.printing.pdf`) prints it offscreen.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWebEngineCore import (
    QWebEnginePage,
    QWebEngineProfile,
    QWebEngineScript,
    QWebEngineSettings,
    QWebEngineUrlRequestInfo,
    QWebEngineUrlRequestInterceptor,
)
from PySide6.QtWidgets import QWidget

BLANK_BASE = QUrl("about:blank")  # the base URL of every invoice: it grants nothing
EXTERNAL_SCHEMES = frozenset({"http", "https", "mailto"})  # links the system browser may open
ALWAYS_ALLOWED = frozenset({"data", "about"})  # inline resources, the page itself
REMOTE_SCHEMES = frozenset({"http", "https"})
# The width of the laid-out invoice in CSS pixels: its body (often a fixed paper
# width, centred), or the whole document when it is wider than the view.
_CONTENT_WIDTH_JS = """(() => {
  const body = document.body, root = document.documentElement;
  if (!body) return 0;
  const own = body.getBoundingClientRect().width;
  return root.scrollWidth > window.innerWidth ? Math.max(own, root.scrollWidth) : own;
})()"""

_profile: QWebEngineProfile | None = None


def invoice_profile() -> QWebEngineProfile:
    """The one private profile every invoice page uses (created on first use,
    owned by the application so it outlives every page)."""
    global _profile
    if _profile is None:
        profile = QWebEngineProfile(QCoreApplication.instance())  # no name: off the record
        profile.setHttpCacheType(QWebEngineProfile.HttpCacheType.MemoryHttpCache)
        profile.setPersistentCookiesPolicy(
            QWebEngineProfile.PersistentCookiesPolicy.NoPersistentCookies
        )
        profile.setSpellCheckEnabled(False)
        _profile = profile
    return _profile


class RequestGate(QWebEngineUrlRequestInterceptor):
    """Decides every request an invoice page makes; counts what it blocked."""

    def __init__(self, online: bool = False, parent: QWebEnginePage | None = None) -> None:
        super().__init__(parent)
        self.online = online
        self.blocked: list[QUrl] = []

    def allows(self, url: QUrl) -> bool:
        scheme = url.scheme().lower()
        return scheme in ALWAYS_ALLOWED or (self.online and scheme in REMOTE_SCHEMES)

    def interceptRequest(self, info: QWebEngineUrlRequestInfo) -> None:  # noqa: N802
        url = info.requestUrl()
        if not self.allows(url):
            self.blocked.append(url)
            info.block(True)


class InvoicePage(QWebEnginePage):
    """A page that shows one invoice and goes nowhere else.

    ``linkOpened`` is emitted with a link the user clicked (handed to the
    system browser); ``navigationRefused`` with any other navigation away."""

    linkOpened = Signal(QUrl)
    navigationRefused = Signal(QUrl)

    def __init__(
        self,
        profile: QWebEngineProfile | None = None,
        *,
        online: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(profile or invoice_profile(), parent)
        self._own_loads = 0  # setHtml calls whose navigation is still to come
        self.gate = RequestGate(online, self)
        self.setUrlRequestInterceptor(self.gate)
        self._lock_down(online)

    def _lock_down(self, online: bool) -> None:
        attribute = QWebEngineSettings.WebAttribute
        settings = self.settings()
        for name, on in (
            (attribute.JavascriptEnabled, False),
            (attribute.JavascriptCanOpenWindows, False),
            (attribute.JavascriptCanAccessClipboard, False),
            (attribute.LocalContentCanAccessFileUrls, False),
            (attribute.LocalContentCanAccessRemoteUrls, online),
            (attribute.LocalStorageEnabled, False),
            (attribute.PluginsEnabled, False),
            (attribute.PdfViewerEnabled, False),
            (attribute.HyperlinkAuditingEnabled, False),
            (attribute.DnsPrefetchEnabled, False),
            (attribute.NavigateOnDropEnabled, False),
            (attribute.ErrorPageEnabled, False),
            (attribute.WebGLEnabled, False),
            (attribute.AutoLoadIconsForPage, False),
            (attribute.PreferCSSMarginsForPrinting, True),  # the invoice's @page wins
            (attribute.PrintElementBackgrounds, True),
        ):
            settings.setAttribute(name, on)

    @property
    def online(self) -> bool:
        return self.gate.online

    def set_online(self, online: bool) -> None:
        """Whether remote resources (the store's logo…) may load from now on."""
        self.gate.online = online
        self.settings().setAttribute(
            QWebEngineSettings.WebAttribute.LocalContentCanAccessRemoteUrls, online
        )

    def show_html(self, html: str) -> None:
        """Show ``html`` (untrusted). ``loadFinished`` follows."""
        self._own_loads += 1
        self.setHtml(html, BLANK_BASE)

    def content_width(self, callback: Callable[[float], None]) -> None:
        """Call ``callback`` with the laid-out content width in CSS pixels (0 when
        empty). Runs in the isolated application world: the page's own scripts
        stay off."""
        self.runJavaScript(
            _CONTENT_WIDTH_JS,
            QWebEngineScript.ScriptWorldId.ApplicationWorld,
            lambda value: callback(float(value or 0)),
        )

    def acceptNavigationRequest(  # noqa: N802
        self, url: QUrl | str, kind: QWebEnginePage.NavigationType, is_main_frame: bool
    ) -> bool:
        url = QUrl(url)
        types = QWebEnginePage.NavigationType
        if is_main_frame and kind == types.NavigationTypeTyped and self._own_loads:
            if url.scheme() == "data":  # what setHtml loads
                self._own_loads -= 1
                return True
        if kind == types.NavigationTypeLinkClicked:
            if _same_document(url, self.url()):
                return True  # an anchor within the invoice
            self.open_externally(url)
            return False
        self.navigationRefused.emit(url)
        return False

    def open_externally(self, url: QUrl) -> None:
        """Hand a clicked link to the system (http, https and mailto only)."""
        if url.scheme().lower() in EXTERNAL_SCHEMES:
            self.linkOpened.emit(url)
            QDesktopServices.openUrl(url)
        else:
            self.navigationRefused.emit(url)

    def createWindow(self, _kind: QWebEnginePage.WebWindowType) -> QWebEnginePage:  # noqa: N802
        """A link with ``target=_blank``: catch its URL, open it outside, show nothing."""
        return _LinkCatcher(self)


class _LinkCatcher(QWebEnginePage):
    """A throwaway page standing in for a new window: it hands the first URL
    it is asked to load to the invoice page's :meth:`InvoicePage.open_externally`."""

    def __init__(self, invoice: InvoicePage) -> None:
        super().__init__(invoice.profile(), invoice)
        self._invoice = invoice
        self.setUrlRequestInterceptor(RequestGate(False, self))
        self.settings().setAttribute(QWebEngineSettings.WebAttribute.JavascriptEnabled, False)

    def acceptNavigationRequest(  # noqa: N802
        self, url: QUrl | str, _kind: QWebEnginePage.NavigationType, _is_main_frame: bool
    ) -> bool:
        self._invoice.open_externally(QUrl(url))
        self.deleteLater()
        return False


def _same_document(url: QUrl, current: QUrl) -> bool:
    option = QUrl.UrlFormattingOption.RemoveFragment
    return url.hasFragment() and url.adjusted(option) == current.adjusted(option)
