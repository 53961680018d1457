"""Several demo stores side by side (``--demo-stores``): each its own server,
store id, account, profile (name, company, tax id, currency), orders and
ECDP side; the first is the demo store ``--demo`` shows alone."""

from __future__ import annotations

import httpx

from app.sandbox import DEMO_STORE_ID, DEMO_TOKEN
from app.sandbox.profile import DEMO_PROFILES, demo_profile
from app.services.accounts.demo_store import (
    DEMO_ACCOUNT_NAME,
    DemoStore,
    demo_account,
    is_demo_account,
)


def _profile(store: DemoStore) -> dict:
    answer = httpx.get(
        f"{store.url}/{store.store_id}/profile",
        headers={"Authorization": f"Bearer {DEMO_TOKEN}"},
    )
    answer.raise_for_status()
    return answer.json()


def test_three_demo_stores_are_three_shops(tmp_path):
    stores = [
        DemoStore.start(40, tmp_path / f"demo-{number}.sqlite3", number=number)
        for number in range(3)
    ]
    try:
        assert [store.store_id for store in stores] == [DEMO_STORE_ID + n for n in range(3)]
        assert [store.account.name for store in stores] == [
            DEMO_ACCOUNT_NAME,
            f"{DEMO_ACCOUNT_NAME} 2",
            f"{DEMO_ACCOUNT_NAME} 3",
        ]
        assert all(is_demo_account(store.account.name) for store in stores)
        assert not is_demo_account("My shop 2")
        profiles = [_profile(store) for store in stores]
        names = [p["settings"]["storeName"] for p in profiles]
        currencies = [p["formatsAndUnits"]["currency"] for p in profiles]
        assert len(set(names)) == 3 and currencies == ["USD", "EUR", "GBP"]
        assert len({p["businessRegistrationID"]["value"] for p in profiles}) == 3
        assert len({store.ecdp_account().name for store in stores}) == 3
        assert len({store.server.ecdp_url for store in stores}) == 3
    finally:
        for store in stores:
            store.stop()


def test_the_demo_store_alone_is_as_before():
    assert demo_account().name == DEMO_ACCOUNT_NAME
    assert demo_account().store_id == str(DEMO_STORE_ID)
    assert demo_profile(0) is DEMO_PROFILES[0]
    assert demo_profile(0).money(1234.5) == "$1,234.50"
    assert demo_profile(1).money(-1234.5) == "-1.234,50 €"
    assert demo_profile(2).money(3) == "£3.00"
    fourth = demo_profile(3)  # more stores than profiles: named apart
    assert fourth.store_name != DEMO_PROFILES[0].store_name and fourth.currency == "USD"
