"""Static data the seed draws from: the demo shop's products, countries and people.

The demo shop is "Walnut & Linen", a small workshop selling walnut and linen
goods. Products carry options of every Ecwid type (CHOICE, CHOICES, TEXT,
DATE, FILES); countries carry names, addresses, phone formats, tax rules and
shipping options. Nothing here is random: :mod:`app.sandbox.seed` picks from it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

IMAGE_BASE = "https://images.walnut-linen.example/products"
STORE_URL = "https://walnut-linen.example"


@dataclass(frozen=True)
class OptionSpec:
    """One product option: its type, name and the values a customer picks from."""

    type: str  # CHOICE, CHOICES, TEXT, DATE, FILES
    name: str
    choices: tuple[tuple[str, float], ...] = ()  # (value, price markup)


@dataclass(frozen=True)
class Product:
    product_id: int
    category_id: int
    name: str
    sku: str
    price: float
    weight: float
    dims: tuple[float, float, float]  # length, width, height (cm)
    description: str
    options: tuple[OptionSpec, ...] = ()
    digital: bool = False
    shipping_required: bool = True
    subscription: bool = False  # registered customers buy it as a recurring subscription


# fmt: off
SIZE = OptionSpec("CHOICE", "Size", (("Small", 0.0), ("Medium", 8.0), ("Large", 15.0)))
COLOUR = OptionSpec(
    "CHOICE", "Colour", (("Natural", 0.0), ("Sage", 0.0), ("Rust", 2.0), ("Charcoal", 2.0))
)
EXTRAS = OptionSpec(
    "CHOICES", "Extras", (("Gift box", 4.0), ("Greeting card", 2.5), ("Spare insert", 6.0))
)
ENGRAVING = OptionSpec("TEXT", "Engraving")
DELIVERY_DATE = OptionSpec("DATE", "Delivery date")

PRODUCTS: tuple[Product, ...] = (
    Product(71001, 9001, "Walnut cutting board", "WL-CB", 48.0, 1.4, (40, 25, 2.5),
            "Solid American walnut, end grain, oiled by hand.", (SIZE, ENGRAVING)),
    Product(71002, 9002, "Linen tea towel set", "WL-TT", 24.0, 0.3, (30, 20, 3),
            "Three stonewashed linen tea towels.",
            (OptionSpec("CHOICES", "Colours", (("Natural", 0.0), ("Sage", 0.0), ("Rust", 0.0),
                                                ("Charcoal", 0.0))),)),
    Product(71003, 9002, "Linen napkins (set of 4)", "WL-NP", 32.0, 0.35, (25, 25, 4),
            "Four washed linen napkins with mitred corners.", (COLOUR,)),
    Product(71004, 9003, "Custom photo print on linen", "WL-PP", 39.0, 0.5, (50, 40, 2),
            "Your photo printed on natural linen canvas.",
            (OptionSpec("FILES", "Upload your photo"), SIZE)),
    Product(71005, 9002, "Personalised apron", "WL-AP", 45.0, 0.4, (35, 25, 3),
            "Heavy linen apron with your logo embroidered.",
            (OptionSpec("FILES", "Attach your logo"), OptionSpec("TEXT", "Name on apron"),
             COLOUR)),
    Product(71006, 9004, "Gift card", "WL-GC", 50.0, 0.0, (0, 0, 0),
            "A gift card sent by email on the day you choose.",
            (DELIVERY_DATE, OptionSpec("TEXT", "Message")), digital=True,
            shipping_required=False),
    Product(71007, 9001, "Walnut serving tray", "WL-ST", 62.0, 1.8, (45, 30, 4),
            "A serving tray with brass handles.",
            (OptionSpec("CHOICE", "Finish", (("Oiled", 0.0), ("Waxed", 3.0))),)),
    Product(71008, 9005, "Linen bedding set", "WL-BS", 189.0, 3.2, (45, 35, 12),
            "Duvet cover and two pillowcases in washed linen.",
            (OptionSpec("CHOICE", "Bed size", (("Single", 0.0), ("Double", 40.0),
                                               ("King", 70.0))), COLOUR)),
    Product(71009, 9001, "Oak & walnut coasters (set of 6)", "WL-CO", 22.0, 0.4, (11, 11, 6),
            "Six coasters, three of each wood."),
    Product(71010, 9006, 'Hand-thrown mug "Morning" <12 oz>', "WL-MG", 28.0, 0.45, (12, 9, 10),
            "Stoneware mug, each one a little different & dishwasher safe.",
            (OptionSpec("CHOICE", "Glaze", (("Oat", 0.0), ("Moss", 0.0), ("Ink", 0.0))),)),
    Product(71011, 9007, "Beeswax wood balm", "WL-BW", 12.0, 0.15, (7, 7, 4),
            "Beeswax and linseed oil balm for boards and spoons.", subscription=True),
    Product(71012, 9005, "Linen cushion cover", "WL-CC", 35.0, 0.3, (50, 50, 2),
            "Washed linen cushion cover with a hidden zip.", (SIZE, EXTRAS)),
    Product(71013, 9001, "Walnut salad servers", "WL-SS", 34.0, 0.2, (30, 7, 2),
            "A pair of hand-carved salad servers.", (ENGRAVING,)),
    Product(71014, 9003, "Family recipe board", "WL-RB", 85.0, 1.6, (40, 30, 2),
            "Your handwritten recipe laser-engraved on walnut.",
            (OptionSpec("FILES", "Upload the recipe"), OptionSpec("DATE", "Needed by"))),
    Product(71015, 9002, "Linen table runner", "WL-TR", 42.0, 0.5, (40, 30, 3),
            "A runner in heavy linen.",
            (OptionSpec("CHOICE", "Length", (("150 cm", 0.0), ("200 cm", 10.0),
                                             ("250 cm", 18.0))),)),
    Product(71016, 9001, "Walnut wall shelf", "WL-WS", 79.0, 2.9, (80, 20, 5),
            "Floating shelf with hidden brackets.",
            (OptionSpec("CHOICE", "Length", (("60 cm", 0.0), ("90 cm", 25.0))),)),
    Product(71017, 9005, "Linen bathrobe", "WL-BR", 129.0, 1.1, (40, 30, 8),
            "Waffle linen bathrobe.",
            (OptionSpec("CHOICE", "Size", (("S", 0.0), ("M", 0.0), ("L", 0.0), ("XL", 5.0))),
             COLOUR)),
    Product(71018, 9006, "Candle in walnut holder", "WL-CA", 26.0, 0.6, (10, 10, 9),
            "Soy wax candle in a turned walnut holder.",
            (OptionSpec("CHOICE", "Scent", (("Fig", 0.0), ("Cedar", 0.0), ("Unscented", 0.0))),)),
    Product(71019, 9001, "Walnut phone stand", "WL-PS", 19.0, 0.25, (10, 8, 8),
            "A phone stand cut from offcuts."),
    Product(71020, 9008, "Woodworking workshop ticket", "WL-WT", 95.0, 0.0, (0, 0, 0),
            "A Saturday spoon-carving workshop in Brooklyn.",
            (OptionSpec("DATE", "Workshop date"),), shipping_required=False),
    Product(71021, 9008, "Linen tote sewing pattern (PDF)", "WL-PDF", 9.0, 0.0, (0, 0, 0),
            "A printable sewing pattern with step-by-step photos.", digital=True,
            shipping_required=False),
    Product(71022, 9002, "Linen tote bag", "WL-TB", 29.0, 0.25, (40, 35, 2),
            "A sturdy tote in natural linen.", (COLOUR,)),
    Product(71023, 9007, "Walnut & brass bottle opener", "WL-BO", 24.0, 0.2, (15, 4, 2),
            "Brass insert, walnut handle."),
    Product(71024, 9005, "Embroidered linen pillowcase", "WL-EP", 38.0, 0.3, (50, 75, 1),
            "A pillowcase with your initials embroidered.",
            (OptionSpec("TEXT", "Initials"),
             OptionSpec("CHOICE", "Thread colour", (("White", 0.0), ("Navy", 0.0),
                                                    ("Gold", 3.0))))),
    Product(71025, 9001, "Cheese board with slate insert", "WL-CH", 55.0, 1.7, (35, 22, 2),
            "Walnut board with a natural slate insert."),
    Product(71026, 9002, "Linen bread bag", "WL-BB", 18.0, 0.12, (30, 20, 1),
            "Keeps bread fresh without plastic."),
)

ENGRAVING_TEXTS = ("For Anna & Tom", "Est. 2019", "Happy 10th!", "Grandma's kitchen",
                   "The Okafors", "À table !", "Prost", "Love, M.", "<3", "2024")
MESSAGES = ("Happy birthday!", "Congratulations on the new home", "With love",
            "Thank you for everything", "Merry Christmas & a happy new year")
INITIALS = ("AO", "JK", "M.L.", "SB", "EvdB", "HT")

# fmt: on


@dataclass(frozen=True)
class City:
    name: str
    state_code: str
    state_name: str
    postal: str  # pattern: # = digit, A = letter


@dataclass(frozen=True)
class Country:
    code: str
    name: str
    lang: str
    phone: str  # pattern: # = digit
    tax_name: str
    tax_rate: float  # percent
    prices_include_tax: bool
    cities: tuple[City, ...]
    streets: tuple[str, ...]
    first_names: tuple[str, ...]
    last_names: tuple[str, ...]
    mail_domains: tuple[str, ...] = ("example.com", "example.org", "mail.example.net")
    weight: int = 1
    carriers: tuple[tuple[str, str, float, str], ...] = field(default=())


# fmt: off
INTERNATIONAL = (
    ("DHL", "DHL Express Worldwide", 29.0, "3-6"),
    ("", "Standard international", 18.0, "7-14"),
)

COUNTRIES: tuple[Country, ...] = (
    Country("US", "United States", "en", "+1 (###) ###-####", "Sales tax", 8.875, False,
            (City("New York", "NY", "New York", "100##"), City("Portland", "OR", "Oregon", "972##"),
             City("Austin", "TX", "Texas", "787##"), City("Chicago", "IL", "Illinois", "606##"),
             City("San Diego", "CA", "California", "921##"),
             City("Burlington", "VT", "Vermont", "05401")),
            ("W 3rd St", "Maple Ave", "Kent Ave", "Elm St", "Sunset Blvd", "Cedar Ln"),
            ("Ada", "James", "Olivia", "Liam", "Emma", "Noah", "Mia", "Ethan", "Zoë", "DeShawn"),
            ("Okafor", "Smith", "Johnson", "Garcia", "Nguyen", "O'Brien", "Miller", "Lee"),
            weight=10,
            carriers=(("USPS", "USPS Priority Mail", 8.95, "2-3"),
                      ("UPS", "UPS Ground", 12.5, "3-5"),
                      ("", "Free shipping over $150", 0.0, "4-7"))),
    Country("CA", "Canada", "en", "+1 (###) ###-####", "HST", 13.0, False,
            (City("Toronto", "ON", "Ontario", "A#A #A#"),
             City("Montréal", "QC", "Quebec", "A#A #A#"),
             City("Vancouver", "BC", "British Columbia", "A#A #A#")),
            ("Queen St W", "Rue Saint-Denis", "Main St", "Granville St"),
            ("Chloé", "Liam", "Amélie", "Noah", "Olivia", "Étienne"),
            ("Tremblay", "Roy", "MacDonald", "Wong", "Singh"), weight=2,
            carriers=(("Canada Post", "Canada Post Expedited", 16.0, "3-6"),)),
    Country("GB", "United Kingdom", "en", "+44 7### ######", "VAT", 20.0, True,
            (City("London", "", "", "AA# #AA"), City("Manchester", "", "", "A# #AA"),
             City("Edinburgh", "", "", "AA# #AA")),
            ("High Street", "Church Road", "Victoria Road", "Mill Lane"),
            ("Oliver", "Amelia", "Harry", "Isla", "George", "Siobhan"),
            ("Jones", "Taylor", "Brown", "Wilson", "Evans", "Ó Súilleabháin"), weight=3),
    Country("DE", "Germany", "de", "+49 179 #######", "MwSt.", 19.0, True,
            (City("Berlin", "BE", "Berlin", "10###"), City("München", "BY", "Bayern", "80###"),
             City("Köln", "NW", "Nordrhein-Westfalen", "50###")),
            ("Hauptstraße", "Schillerstraße", "Gartenweg", "Bahnhofstraße"),
            ("Jürgen", "Anna", "Lukas", "Lea", "Maximilian", "Sophie"),
            ("Müller", "Schmidt", "Schneider", "Fischer", "Weiß"), weight=3),
    Country("FR", "France", "fr", "+33 6 ## ## ## ##", "TVA", 20.0, True,
            (City("Paris", "", "", "750##"), City("Lyon", "", "", "690##"),
             City("Bordeaux", "", "", "330##")),
            ("Rue de Rivoli", "Avenue Jean Jaurès", "Rue des Lilas", "Quai de la Loire"),
            ("François", "Camille", "Léa", "Hugo", "Chloé", "Théo"),
            ("Martin", "Bernard", "Dubois", "Lefèvre", "Moreau"), weight=2),
    Country("NL", "Netherlands", "nl", "+31 6 ########", "BTW", 21.0, True,
            (City("Amsterdam", "", "", "10## AA"), City("Utrecht", "", "", "35## AA"),
             City("Rotterdam", "", "", "30## AA")),
            ("Prinsengracht", "Oudegracht", "Kerkstraat", "Dorpsstraat"),
            ("Sjoerd", "Femke", "Daan", "Sanne", "Bram", "Eva"),
            ("de Vries", "van den Berg", "Jansen", "Bakker", "Visser"), weight=2),
    Country("AU", "Australia", "en", "+61 4## ### ###", "GST", 10.0, True,
            (City("Sydney", "NSW", "New South Wales", "20##"),
             City("Melbourne", "VIC", "Victoria", "30##"),
             City("Hobart", "TAS", "Tasmania", "70##")),
            ("George St", "Collins St", "Beach Rd", "Wattle Ave"),
            ("Charlotte", "Jack", "Matilda", "Lachlan", "Ruby"),
            ("Williams", "Kelly", "Nguyen", "Murphy", "Walker"), weight=2),
    Country("JP", "Japan", "ja", "+81 90-####-####", "消費税", 10.0, True,
            (City("東京都", "13", "Tokyo", "###-####"), City("Kyoto", "26", "Kyoto", "###-####"),
             City("Osaka", "27", "Osaka", "###-####")),
            ("1-2-3 Jingumae", "4-5 Gion-machi", "2-8 Umeda", "渋谷1-1-1"),
            ("Yuki", "Haruto", "Sakura", "Ren", "Aoi", "陽菜"),
            ("Tanaka", "Suzuki", "Sato", "Yamada", "高橋"), weight=1),
)

PAYMENT_METHODS = (
    # (paymentMethod, paymentModule, weight)
    ("Credit card", "Stripe", 55),
    ("PayPal", "PayPalStandard", 25),
    ("Bank transfer", "CUSTOM_PAYMENT_METHOD", 10),
    ("Purchase order", "CUSTOM_PAYMENT_METHOD", 5),
)
CASH_ON_PICKUP = ("Cash on pickup", "CUSTOM_PAYMENT_METHOD")
PICKUP = ("Pickup at the Brooklyn workshop",
          "Mon–Fri 10:00–18:00. Ring the bell at 42 Kent Ave & ask for Sam.")
COUPONS = (
    # code, name, discountType, discount
    ("WELCOME10", "Welcome 10%", "PERCENT", 10.0),
    ("FIVEOFF", "Five dollars off", "ABS", 5.0),
    ("FREESHIP", "Free shipping weekend", "SHIPPING", 0.0),
    ("SPRING15", "Spring sale", "PERCENT", 15.0),
)
CUSTOMER_GROUPS = ((0, "General", 0.0), (31, "Gold", 5.0), (32, "Trade", 10.0))
REFERERS = ("", "https://www.google.com/", "https://www.instagram.com/",
            "https://www.pinterest.com/", "https://duckduckgo.com/")
UTM = (("instagram", "social", "spring_sale"), ("newsletter", "email", "weekly_digest"),
       ("google", "cpc", "brand"), ("pinterest", "social", "boards"))
# refererId of orders that came through a partner's link (by UTM source)
PARTNER_REFERER_IDS = {"instagram": "1207", "pinterest": "1315"}
HEAR_ABOUT = ("Instagram", "A friend", "Google", "Market stall", "Podcast", None)
ORDER_COMMENTS = ("Please leave at the back door.", "Gift — no prices on the slip please.",
                  "Can you deliver before Friday?", "Ring twice & wait, I'm upstairs.",
                  "Is the walnut from sustainable sources?")
ADMIN_NOTES = ("Repeat customer — add a thank-you card.", "Called to confirm engraving text.",
               "Wood batch #42.", "Ship together with order placed yesterday.",
               "Customer asked for <b>extra</b> padding.")
REFUND_REASONS = ("Customer changed their mind", "Damaged in transit", "Wrong colour sent",
                  "Duplicate order")
FILE_NAMES = ("photo.jpg", "IMG_2024.HEIC", "logo.png", "recipe scan.pdf", "family portrait.jpg",
              "logo_final_v3.svg", "grandmas-recipe.png")
# fmt: on
