"""Who the demo store is: its store id, the token it accepts (public: it
serves only the built-in demo data on loopback) and its default size. Kept
apart from the server so that naming the demo store imports nothing else."""

DEMO_STORE_ID = 4870020
DEMO_TOKEN = "secret_demo_backroom"
DEMO_ECDP_KEY = "ecdp_demo_backroom_key"  # the x-api-key its ECDP endpoints accept
DEFAULT_DEMO_ORDERS = 3000
MAX_DEMO_STORES = 12  # --demo-stores: each demo store is a server of its own on loopback
