"""The order detail pane: every field shown, hostile text escaped, formats,
empty state, links, palettes."""

from __future__ import annotations

import copy
import re
from datetime import UTC, datetime
from typing import Any

import pytest
from PySide6.QtCore import QDateTime, QLocale, QObject, Qt, QUrl, Slot
from PySide6.QtGui import QColor, QDesktopServices, QPalette, QTextCursor

from app.domain.dates import parse_ecwid_datetime
from app.sandbox.seed import seed_orders
from ui.common.dates import display_locale, medium_date_format
from ui.common.sizes import data_size
from ui.detail.pane import OrderDetailPane
from ui.detail.technical import TOGGLE_URL

NOW = datetime(2025, 6, 1, tzinfo=UTC)
SHORTEST = QLocale.FloatingPointPrecisionOption.FloatingPointShortest
STATUS_NAMES = {
    "PAID": "Paid",
    "PARTIALLY_REFUNDED": "Partly refunded",
    "REFUNDED": "Refunded",
    "DELIVERED": "Delivered",
    "CUSTOM_PAYMENT_STATUS_1": "Awaiting bank check",
}
ECWID_DATE = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4}\Z")
# Leaves the pane shows in another form (checked by their own tests) or, by
# design, not at all: display settings of extra fields and surcharges, the
# token-carrying adminUrl, timestamps beside their dates, selection titles
# that repeat the option's value, ids of uploaded files.
NOT_LITERAL = re.compile(
    r"""\.(createTimestamp|updateTimestamp|paymentStatus|fulfillmentStatus|b2b_b2c|lang
    |orderExtraFields\[\]\.(id|customerInputType|orderDetailsDisplaySection|orderBy)
    |customSurcharges\[\]\.(id|type|value|totalWithoutTax|description)
    |selections\[\]\.\w+|type|discountType|status|usesLimit|base|fulfillmentType
    |selectedOptions\[\]\.files\[\]\.id|customerGroupId|customerTaxIdValid|adminUrl|countryCode|stateOrProvinceCode
    |firstName|lastName|estimatedTransitTime)$""",
    re.VERBOSE,
)


@pytest.fixture(scope="module")
def seeded() -> list[dict[str, Any]]:
    return seed_orders(200, 7, NOW, 4870020)


def _first(orders: list[dict[str, Any]], test) -> Any:
    found = next((value for order in orders if (value := test(order))), None)
    assert found, "the demo seed no longer has what this test needs"
    return found


@pytest.fixture(scope="module")
def rich_order(seeded) -> dict[str, Any]:
    """A seeded order with refunds and a coupon, given what other seeded
    orders have (uploaded files, extra fields, notes…) and a few fields the
    seed never writes."""
    order = copy.deepcopy(_first(seeded, lambda o: o if o.get("refunds") else None))
    for key in (
        "discountCoupon",
        "discountInfo",
        "orderExtraFields",
        "orderComments",
        "privateAdminNotes",
        "paymentParams",
        "customSurcharges",
        "utmData",
        "invoices",
    ):
        order[key] = copy.deepcopy(_first(seeded, lambda o, key=key: o.get(key)))
    order["handlingFee"] = copy.deepcopy(
        _first(seeded, lambda o: o["handlingFee"] if o["handlingFee"]["value"] else None)
    )
    upload = _first(
        seeded,
        lambda o: next(
            (
                i
                for i in o.get("items", [])
                for op in i.get("selectedOptions", [])
                if op.get("files")
            ),
            None,
        ),
    )
    digital = _first(
        seeded, lambda o: next((i for i in o.get("items", []) if i.get("files")), None)
    )
    order["items"] = order["items"] + [copy.deepcopy(upload), copy.deepcopy(digital)]
    order["userAgent"] = "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"
    order["paymentReference"] = "REF-77812"
    order["affiliateId"] = "partner-42"
    order["extraFields"] = {"giftWrapColour": "Forest green"}
    order["shippingOption"]["futureCarrierField"] = "Depot 7"
    order["items"][0]["warehouseBin"] = "B-14"
    order["ticket"] = 88123
    order["brandNewThing"] = {"channel": "Pop-up market", "tags": ["gift", "rush"]}
    return order


@pytest.fixture
def pane(qtbot) -> OrderDetailPane:
    widget = OrderDetailPane()
    qtbot.addWidget(widget)
    return widget


def _leaves(value: Any, path: str = "") -> list[tuple[str, Any]]:
    if isinstance(value, dict):
        return [leaf for key, item in value.items() for leaf in _leaves(item, f"{path}.{key}")]
    if isinstance(value, list):
        return [leaf for item in value for leaf in _leaves(item, f"{path}[]")]
    return [(path, value)]


def _spaces(text: str) -> str:
    """As toPlainText() writes it: no-break spaces become plain ones."""
    return text.replace("\u202f", " ").replace("\xa0", " ")


def _medium_date(value: Any) -> str:
    """The one form of dates in the pane: "Jun 6, 2023 7:22 PM" (en-US), local time."""
    moment = QDateTime.fromSecsSinceEpoch(int(parse_ecwid_datetime(value).timestamp()))
    locale = display_locale()
    day = locale.toString(moment.date(), medium_date_format(locale.name()))
    time = locale.toString(moment.time(), QLocale.FormatType.ShortFormat)
    return _spaces(f"{day} {time}")


def _forms(value: Any) -> set[str]:
    """The ways a leaf may read in the pane."""
    locale = display_locale()
    if isinstance(value, int | float):
        forms = {
            str(value),
            _spaces(locale.toString(float(value), "f", SHORTEST)),
            _spaces(locale.toCurrencyString(float(value), "$", 2)),
        }
        return forms | ({data_size(value)} if isinstance(value, int) else set())
    if ECWID_DATE.match(value):
        return {_medium_date(value)}
    return {value}


def test_every_field_of_a_rich_order_is_shown(pane, rich_order):
    pane.show_order(rich_order, currency="USD", status_names=STATUS_NAMES)
    pane.set_technical_expanded(True)  # (developer data: one click away)
    plain = pane.browser.toPlainText()
    checked = 0
    for path, value in _leaves(rich_order):
        if value in (None, "", 0, False) or value is True or NOT_LITERAL.search(path):
            continue
        if isinstance(value, str) and value.startswith("https://"):
            continue  # links: see the next tests
        lines = value.splitlines() if isinstance(value, str) else [value]
        for line in lines:
            assert any(form in plain for form in _forms(line)), f"{path} = {line!r} is not shown"
            checked += 1
    assert checked > 150
    for heading in (
        "Summary",
        "Totals",
        "Customer comments",
        "Private admin notes",
        "Customer",
        "Billing address",
        "Shipping address",
        "Items",
        "Shipping",
        "Payment",
        "Discounts",
        "Refunds",
        "Extra fields",
        "Referrer & UTM",
        "▾ Technical details",
    ):
        assert f"\n{heading}\n" in f"\n{plain}", heading


def test_fields_shown_in_another_form(pane, rich_order):
    pane.show_order(rich_order, currency="USD", status_names=STATUS_NAMES)
    pane.set_technical_expanded(True)
    plain = pane.browser.toPlainText()
    assert f"Payment\n{STATUS_NAMES[rich_order['paymentStatus']]}\n" in plain
    assert f"Fulfillment\n{STATUS_NAMES[rich_order['fulfillmentStatus']]}\n" in plain
    language = QLocale.languageToString(QLocale(rich_order["lang"]).language())
    assert f"Language\n{language} ({rich_order['lang']})\n" in plain
    billing = rich_order["billingPerson"]
    assert f"Country\n{billing['countryName']} ({billing['countryCode']})\n" in plain
    for field in rich_order["orderExtraFields"]:
        assert f"{field['title']}\n{field['value']}\n" in plain
    for surcharge in rich_order["customSurcharges"]:
        assert f"{surcharge['description']}\n${surcharge['total']:,.2f}\n" in plain
    option_types = {
        option["type"].lower()
        for item in rich_order["items"]
        for option in item.get("selectedOptions", [])
    }
    technical = plain[plain.index("\n▾ Technical details\n") :]
    assert "Option types: " in technical
    assert option_types and all(f": {kind}" in technical for kind in option_types - {"choices"})
    transit = rich_order["shippingOption"]["estimatedTransitTime"]
    assert f"Estimated transit\n{transit} days\n" in plain
    other = technical
    assert "Ticket\n88123\n" in other
    assert "Brand new thing › Channel\nPop-up market\n" in other
    assert "Brand new thing › Tags\ngift, rush\n" in other
    assert "Future carrier field\nDepot 7\n" in plain
    assert "Warehouse bin: B-14" in plain


def test_links_are_real_links_and_the_admin_url_is_never_shown(pane, rich_order):
    pane.show_order(rich_order, currency="USD")
    pane.set_technical_expanded(True)
    html = pane.browser.toHtml()
    urls = [v for _, v in _leaves(rich_order) if isinstance(v, str) and v.startswith("https://")]
    admin = {v for p, v in _leaves(rich_order) if p.endswith(".adminUrl")}
    assert admin, "the rich order should carry a product file with an adminUrl"
    for url in urls:
        if url in admin:
            assert url not in html and url not in pane.browser.toPlainText()
        else:
            assert f'href="{url}"' in html, url


def test_every_seeded_order_renders(pane, seeded):
    for order in seeded:
        pane.show_order(order, currency="USD", status_names=STATUS_NAMES)
        plain = pane.browser.toPlainText()
        assert f"Order number\n{order['orderNumber']}\n" in plain
        assert "None" not in plain


HOSTILE = '<script>alert("x")</script><b>bold</b><img src=x onerror=alert(1)>'


def test_hostile_text_is_escaped(pane):
    order = {
        "orderNumber": 7,
        "email": HOSTILE,
        "orderComments": HOSTILE,
        "privateAdminNotes": f"line one\n{HOSTILE}",
        "billingPerson": {"name": HOSTILE, "street": HOSTILE},
        "items": [
            {
                "name": HOSTILE,
                "sku": HOSTILE,
                "selectedOptions": [
                    {"name": HOSTILE, "type": "TEXT", "value": HOSTILE},
                    {
                        "name": "Upload",
                        "type": "FILES",
                        "files": [{"name": HOSTILE, "size": 10, "url": 'https://x.example/"a>'}],
                    },
                ],
            }
        ],
        "orderExtraFields": [{"title": HOSTILE, "value": HOSTILE}],
        "refererUrl": "javascript:alert(1)",
        HOSTILE: HOSTILE,
    }
    pane.show_order(order, currency=HOSTILE, status_names={"PAID": HOSTILE})
    html = pane.browser.toHtml()
    assert "<script" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html
    assert 'href="javascript' not in html
    assert 'href="https://x.example/&quot;a&gt;"' in html
    plain = pane.browser.toPlainText()
    assert plain.count(HOSTILE) >= 10
    assert "javascript:alert(1)" in plain


def test_none_shows_the_empty_state(pane, rich_order):
    pane.show_order(rich_order)
    assert not pane.is_empty()
    pane.show_order(None)
    assert pane.is_empty()
    assert pane.empty_label.text() == "Select an order to see it here"
    assert pane.empty_label.isVisibleTo(pane) and not pane.browser.isVisibleTo(pane)
    assert pane.browser.toPlainText() == ""
    pane.show_order(rich_order)
    assert pane.browser.isVisibleTo(pane) and not pane.empty_label.isVisibleTo(pane)


def test_money_and_dates_are_formatted_for_the_user(pane):
    locale = display_locale()
    order = {
        "orderNumber": 12,
        "total": 1234.5,
        "subtotal": 1200,
        "tax": 0,
        "hidden": False,
        "acceptMarketing": True,
        "createDate": "2023-06-06 11:22:21 -0800",
        "refunds": [{"date": "2024-01-02 03:04:05 +0000", "amount": 10}],
        "email": None,
        "trackingNumber": "",
        "ipAddress": None,
    }
    pane.show_order(order, currency="EUR")
    plain = pane.browser.toPlainText()
    assert f"Total\n{_spaces(locale.toCurrencyString(1234.5, '€', 2))}\n" in plain
    assert f"Subtotal\n{_spaces(locale.toCurrencyString(1200.0, '€', 2))}\n" in plain
    assert f"Tax\n{_spaces(locale.toCurrencyString(0.0, '€', 2))}\n" in plain
    assert f"Created\n{_medium_date('2023-06-06 19:22:21 +0000')}\n" in plain
    assert "2023" in _medium_date("2023-06-06 19:22:21 +0000")  # read in local time
    assert "Tuesday" not in plain  # one form: no weekday, the month by name
    assert f"{_medium_date('2024-01-02 03:04:05 +0000')}\n" in plain
    assert "Hidden\nNo\n" in plain and "Accepts marketing\nYes\n" in plain
    assert "None" not in plain and "Email" not in plain and "Tracking" not in plain

    pane.show_order(order, currency=None)
    assert f"Total\n{_spaces(locale.toString(1234.5, 'f', 2))}\n" in pane.browser.toPlainText()
    pane.show_order(order, currency="kr")
    kroner = _spaces(locale.toCurrencyString(1234.5, "kr", 2))
    assert f"Total\n{kroner}\n" in pane.browser.toPlainText()


def test_statuses_read_by_the_store_names_and_unknown_ones_as_they_came(pane):
    order = {"paymentStatus": "CUSTOM_PAYMENT_STATUS_1", "fulfillmentStatus": "TELEPORTED"}
    pane.show_order(order, status_names=STATUS_NAMES)
    plain = pane.browser.toPlainText()
    assert "Payment\nAwaiting bank check\n" in plain
    assert "Fulfillment\nTELEPORTED\n" in plain
    # a known status nobody named: in words, never the API's code
    pane.show_order({"fulfillmentStatus": "AWAITING_PROCESSING"})
    assert "Fulfillment\nAwaiting processing\n" in pane.browser.toPlainText()


def test_developer_data_is_folded_into_technical_details(qtbot, pane, rich_order):
    """Ids, product and category ids, image addresses and option types are not
    in the way: under "Technical details", last and folded; one click opens it,
    and it stays open for the next order."""
    pane.show_order(rich_order, currency="USD", status_names=STATUS_NAMES)
    plain = pane.browser.toPlainText()
    assert plain.rstrip().splitlines()[-1].startswith("▸ Technical details")
    item = rich_order["items"][0]
    hidden = [rich_order["id"], str(rich_order["internalId"]), str(item["productId"])]
    hidden += ["Product ID", "Category ID", "Order ID", "Internal ID", "Option types"]
    images = [item["imageUrl"], item["smallThumbnailUrl"]]
    for text in hidden + images:
        assert text not in plain and text not in pane.browser.toHtml(), text
    assert "· choice" not in plain and "· files" not in plain
    number = rich_order.get("vendorOrderNumber") or rich_order["orderNumber"]
    assert f"Order number\n{number}\n" in plain  # what the shop knows it by stays

    pane.browser.anchorClicked.emit(QUrl(TOGGLE_URL))  # a click on the heading
    assert pane.technical_open
    opened = pane.browser.toPlainText()
    technical = opened[opened.index("▾ Technical details") :]
    for text in hidden:
        assert text in technical, text
    for url in images:
        assert f'href="{url}"' in pane.browser.toHtml(), url
    pane.show_order(dict(rich_order, id="OTHER-1"), currency="USD")
    assert "▾ Technical details" in pane.browser.toPlainText()
    pane.browser.anchorClicked.emit(QUrl(TOGGLE_URL))
    assert "▸ Technical details" in pane.browser.toPlainText()


class _UrlCatcher(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    @Slot(QUrl)
    def catch(self, url: QUrl) -> None:
        self.urls.append(url.toString())


@pytest.fixture
def opened_urls():
    catcher = _UrlCatcher()
    for scheme in ("http", "https", "file"):
        QDesktopServices.setUrlHandler(scheme, catcher, "catch")
    yield catcher.urls
    for scheme in ("http", "https", "file"):
        QDesktopServices.unsetUrlHandler(scheme)


def _click_text(qtbot, pane: OrderDetailPane, text: str) -> None:
    cursor = pane.browser.document().find(text)
    assert not cursor.isNull(), text
    cursor.setPosition(cursor.selectionStart() + 1, QTextCursor.MoveMode.MoveAnchor)
    pane.browser.ensureCursorVisible()
    pane.browser.setTextCursor(cursor)
    pane.browser.ensureCursorVisible()
    point = pane.browser.cursorRect(cursor).center()
    qtbot.mouseClick(pane.browser.viewport(), Qt.MouseButton.LeftButton, pos=point)


def test_clicking_a_link_opens_it_in_the_browser(qtbot, pane, opened_urls):
    url = "https://files.example/orderfile/1/photo.jpg"
    order = {
        "orderNumber": 3,
        "items": [
            {
                "name": "Print",
                "selectedOptions": [
                    {"name": "Photo", "type": "FILES", "files": [{"name": "photo.jpg", "url": url}]}
                ],
            }
        ],
    }
    pane.resize(500, 400)
    pane.show()
    qtbot.waitExposed(pane)
    pane.show_order(order)
    _click_text(qtbot, pane, "photo.jpg")
    qtbot.waitUntil(lambda: opened_urls == [url])
    assert pane.browser.toPlainText().startswith("Summary")  # the pane did not navigate away


def test_only_web_links_are_opened(qtbot, pane, opened_urls):
    pane.browser.anchorClicked.emit(QUrl("file:///etc/passwd"))
    pane.browser.anchorClicked.emit(QUrl("https://shop.example/"))
    assert opened_urls == ["https://shop.example/"]


def test_showing_the_same_order_again_keeps_the_scroll_position(qtbot, pane, rich_order):
    pane.resize(420, 300)
    pane.show()
    qtbot.waitExposed(pane)
    pane.show_order(rich_order)
    bar = pane.browser.verticalScrollBar()
    assert bar.maximum() > 200
    bar.setValue(200)
    pane.show_order(copy.deepcopy(rich_order))
    assert bar.value() == 200
    other = dict(rich_order, id="DEMO-OTHER")
    pane.show_order(other)
    assert bar.value() == 0


def _dark_palette() -> QPalette:
    palette = QPalette()
    for role, colour in (
        (QPalette.ColorRole.Window, "#2b2b2b"),
        (QPalette.ColorRole.WindowText, "#e6e6e6"),
        (QPalette.ColorRole.Base, "#1e1e1e"),
        (QPalette.ColorRole.Text, "#e6e6e6"),
        (QPalette.ColorRole.Link, "#6cb4ff"),
    ):
        palette.setColor(role, QColor(colour))
    return palette


def test_renders_in_a_dark_palette(qtbot, pane, rich_order, tmp_path):
    pane.show_order(rich_order, currency="USD")
    pane.setPalette(_dark_palette())
    css = pane.browser.document().defaultStyleSheet()
    assert "#e6e6e6" in css and "#6cb4ff" in css
    assert "background" not in css and "#ffffff" not in css and "#000000" not in css
    assert "Summary" in pane.browser.toPlainText()
    pane.resize(460, 900)
    pane.show()
    qtbot.waitExposed(pane)
    path = tmp_path / "dark.png"
    assert pane.grab().save(str(path))
    assert path.stat().st_size > 1000
    pane.show_order(None)
    assert pane.grab().save(str(tmp_path / "dark-empty.png"))


def test_an_open_edit_is_marked_above_the_store_values_and_leads_to_the_outbox(
    qtbot, pane, rich_order
):
    from app.domain.outbox import OutboxState
    from ui.detail.edit_marker import EditNote

    pane.show_order(rich_order)
    assert pane.marker.isHidden()
    notes = [
        EditNote(7, OutboxState.WAITING, "Private notes: (empty) → call first", None),
        EditNote(9, OutboxState.CONFLICT, "Tracking number: A → B", "the store has C"),
    ]
    activity = [("7 Dec 2026 10:42", "Front desk", "Tracking number: A → B", "conflict")]
    pane.show_desk_notes(notes, activity)
    assert not pane.marker.isHidden()
    assert pane.marker.message.text() == (
        "⚠ Conflict: Tracking number: A → B. The store's values are shown. (and 1 more edit)"
    )
    assert pane.marker.message.toolTip() == "the store has C"
    with qtbot.waitSignal(pane.outboxRequested) as asked:
        pane.marker.action.click()
    assert asked.args == [9]
    text = pane.browser.toPlainText()
    assert "WRITTEN FROM BACKROOM" in text.upper() and "Front desk" in text
    pane.show_order(dict(rich_order, id="ANOTHER"))  # another order: neither is carried over
    assert pane.marker.isHidden() and "Front desk" not in pane.browser.toPlainText()
