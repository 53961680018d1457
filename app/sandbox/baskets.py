"""What a seeded customer bought and how: the bulk of a seeded order's JSON.

A :class:`Basket` holds everything about an order that does not depend on its
identity, statuses or dates: customer, addresses, items with options, money,
shipping choice, payment method, notes and marketing fields. It is kept as a
JSON text template whose only holes are the item ids, so that
:mod:`app.sandbox.seed` can turn it into an order in a few microseconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from app.sandbox import catalog as cat
from app.sandbox import seedparts as parts
from app.sandbox.money import price_order
from app.sandbox.seedparts import Draw, Weighted, dump

VARIANTS_PER_PRODUCT = 16
MAX_CUSTOMERS = 6000

_ITEM_COUNT = Weighted(((1, 55), (2, 28), (3, 12), (4, 5)))
_QUANTITY = Weighted(((1, 72), (2, 18), (3, 7), (5, 3)))
_PAY_METHOD = Weighted((m[:2], m[2]) for m in cat.PAYMENT_METHODS)
_PAY_FIELDS = {
    (method, module): f'"paymentMethod":{dump(method)},"paymentModule":{dump(module)}'
    for method, module in [m[:2] for m in cat.PAYMENT_METHODS] + [cat.CASH_ON_PICKUP]
}
_EXTERNAL = dump(
    {
        "externalFulfillment": False,
        "refererId": None,
        "platformSpecificFields": {},
        "refererChannel": None,
    }
)
_REFERERS = [dump(r) for r in cat.REFERERS]
_COMMENTS = [dump(c) for c in cat.ORDER_COMMENTS]
_NOTES = [dump(n) for n in cat.ADMIN_NOTES]
_UTM = [
    (
        dump({"source": s, "medium": m, "campaign": c, "mcEid": None}),
        cat.PARTNER_REFERER_IDS.get(s),
    )
    for s, m, c in cat.UTM
]
_EXTRA_FIELDS = [
    dump(
        [
            {
                "id": "how_did_you_hear",
                "value": answer,
                "customerInputType": "SELECT",
                "title": "How did you hear about us?",
                "orderDetailsDisplaySection": "order_comments",
                "orderBy": "0",
            }
        ]
    )
    for answer in cat.HEAR_ABOUT
]


class FileIds(Protocol):
    next_file_id: int


@dataclass
class Basket:
    template: list[str]  # JSON object members without braces, split where item ids go
    item_count: int
    total: float
    method: str
    shipping: parts.ShippingChoice | None
    # Case-folded index columns (see app.sandbox.indexing).
    email_key: str
    coupon_key: str
    method_key: str
    shipping_key: str
    customer_text: str
    keywords_tail: str  # keywords after the order number and id


class BasketMaker:
    """Makes baskets from one shared pool of customers and product variants."""

    def __init__(self, draw: Draw, store_id: int, ids: FileIds, order_count: int) -> None:
        self.draw = draw
        self.store_id = store_id
        self.ids = ids
        size = min(MAX_CUSTOMERS, order_count // 3) + 5
        self.customers = [parts.make_customer(draw, i) for i in range(size)]
        self.regulars = self.customers[: max(1, size // 4)]
        self.variants = [
            [parts.make_variant(draw, p) for _ in range(VARIANTS_PER_PRODUCT)] for p in cat.PRODUCTS
        ]
        self.shipping = {c.code: parts.shipping_choices(c) for c in cat.COUNTRIES}
        self.pickup = parts.pickup_choice()

    def make(self, created: int) -> Basket:
        draw = self.draw
        customer = draw.pick(self.regulars if draw.chance(0.45) else self.customers)
        shipping_person = draw.pick(self.customers) if draw.chance(0.1) else customer
        count = _ITEM_COUNT.draw(draw)
        picked: list[int] = []
        while len(picked) < count:
            index = int(draw.random() * len(cat.PRODUCTS))
            if index not in picked:
                picked.append(index)
        lines = [(draw.pick(self.variants[i]), _QUANTITY.draw(draw)) for i in picked]
        shipping = self._shipping(customer, lines)
        pricing = price_order(draw, lines, customer, shipping)
        items = ",".join(
            self._item(variant, quantity, fields, created, customer)
            for (variant, quantity), fields in zip(lines, pricing.item_fields, strict=True)
        )
        method, module = _PAY_METHOD.draw(draw)
        if shipping is not None and shipping.is_pickup and draw.chance(0.5):
            method, module = cat.CASH_ON_PICKUP
        octets = (
            draw.between(11, 220),
            draw.between(0, 255),
            draw.between(0, 255),
            draw.between(1, 254),
        )
        ip = ".".join(map(str, octets))
        members = (
            f"{_PAY_FIELDS[method, module]},{pricing.order_fields},{customer.fields_json},"
            f'"ipAddress":"{ip}","refererUrl":"{cat.STORE_URL}/",'
            f'"globalReferer":{draw.pick(_REFERERS)},'
            f'"items":[{items}],'
            f'"billingPerson":{customer.person_json},'
            f'"shippingPerson":{shipping_person.person_json},'
            f'"shippingOption":{shipping.json if shipping else "null"},'
            f'"additionalInfo":{{}},"externalOrderData":{_EXTERNAL},'
            f'"acceptMarketing":{"true" if draw.chance(0.4) else "false"},'
            f'"disableAllCustomerNotifications":false,"giftCardRedemption":0.0,'
            f'"giftCardDoubleSpending":false,{self._extras(customer, method)}'
        )
        template = members.split("\x00")
        item_texts = []
        for variant, _ in lines:
            item_texts.append(variant.product.name)
            item_texts.append(variant.sku)
        names = [customer.person["name"]]
        if shipping_person.person["name"]:
            names.append(shipping_person.person["name"])
        customer_text = "\n".join(
            [customer.email]
            + [
                str(value)
                for person in (customer.person, shipping_person.person)
                for value in (person["name"], person["companyName"], person["phone"])
                if value
            ]
        ).casefold()
        keywords_tail = "\n".join(item_texts + names + [customer.email]).casefold()
        return Basket(
            template=template,
            item_count=len(lines),
            total=pricing.total,
            method=method,
            shipping=shipping,
            email_key=customer.email.casefold(),
            coupon_key=pricing.coupon_code.casefold(),
            method_key=method.casefold(),
            shipping_key=shipping.name.casefold() if shipping else "",
            customer_text=customer_text,
            keywords_tail=keywords_tail,
        )

    def _shipping(
        self, customer: parts.Customer, lines: list[tuple[parts.ItemVariant, int]]
    ) -> parts.ShippingChoice | None:
        draw = self.draw
        if not any(variant.product.shipping_required for variant, _ in lines):
            return None
        if customer.country.code == "US" and draw.chance(0.1):
            return self.pickup
        choices = self.shipping[customer.country.code]
        choice = draw.pick(choices)
        if choice.rate == 0.0 and sum(v.price * q for v, q in lines) < 150:
            choice = choices[0]
        return choice

    def _item(
        self,
        variant: parts.ItemVariant,
        quantity: int,
        money: str,
        created: int,
        customer: parts.Customer,
    ) -> str:
        # "\x00" marks where the item id goes (Basket.template is split there).
        text = f'{{"id":\x00,{variant.static_json},"quantity":{quantity},{money}'
        subscription = parts.subscription_id(customer, variant.product)
        if subscription is not None:
            text += f',"subscriptionId":{subscription}'
        if variant.options:
            options = []
            for option in variant.options:
                if isinstance(option, str):
                    options.append(option)
                else:
                    option_json, self.ids.next_file_id = parts.dynamic_option(
                        self.draw, option, created, self.store_id, self.ids.next_file_id
                    )
                    options.append(option_json)
            text += f',"selectedOptions":[{",".join(options)}]'
        if variant.product.sku == "WL-PDF":
            files = parts.product_file_json(variant.product, created, self.store_id, self.draw)
            text += f',"files":{files}'
        return text + "}"

    def _extras(self, customer: parts.Customer, method: str) -> str:
        draw = self.draw
        out = []
        if method == "Credit card":
            out.append(
                f'"externalTransactionId":"pi_{draw.hex(24)}",'
                f'"creditCardStatus":{{"avsMessage":"Y","cvvMessage":"M"}}'
            )
        elif method == "PayPal":
            out.append(f'"externalTransactionId":"{draw.hex(17).upper()}"')
        if method == "Purchase order":
            params = {
                "Company name": customer.person["companyName"] or "",
                "PO number": f"PO-{draw.digits(5)}",
                "Buyer's full name": customer.person["name"],
            }
            out.append(f'"paymentParams":{dump(params)}')
        else:
            out.append('"paymentParams":{}')
        if draw.chance(0.2):
            out.append(f'"orderComments":{draw.pick(_COMMENTS)}')
        elif draw.chance(0.3):
            out.append('"orderComments":null')
        if draw.chance(0.15):
            out.append(f'"privateAdminNotes":{draw.pick(_NOTES)}')
        if draw.chance(0.35):
            utm, referer_id = draw.pick(_UTM)
            out.append(f'"utmData":{utm}')
            if referer_id is not None:
                out.append(f'"refererId":{dump(referer_id)}')
        if draw.chance(0.4):
            out.append(f'"orderExtraFields":{draw.pick(_EXTRA_FIELDS)}')
        return ",".join(out)
