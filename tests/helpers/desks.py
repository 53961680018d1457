"""Store sessions for tests: one per desk, each with its own account folder
(so its own cache and outbox file), against the demo store over loopback."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.config import Account, AccountSettings
from app.services.session import StoreSession
from tests.helpers.sandbox import client_for


def desk_account(
    sandbox, desk: str = "Front desk", settings: AccountSettings | None = None
) -> Account:
    """The demo store as an account of ``desk`` (a folder of its own per desk)."""
    return Account(
        name=f"Shop at {desk}",
        kind="ecwid",
        store_id=str(sandbox.store_id),
        api_url=sandbox.url,
        settings=settings or AccountSettings(),
    )


def open_desk(
    sandbox,
    desk: str = "Front desk",
    *,
    settings: AccountSettings | None = None,
    **client_options: Any,
) -> StoreSession:
    """A session of ``desk`` on the demo store (not synced yet)."""
    account = desk_account(sandbox, desk, settings)
    return StoreSession.open(account, client_for(sandbox, **client_options), desk=desk)


async def stage(session: StoreSession, key: str, changes: Mapping[str, Any]) -> int:
    """Stage an edit of ``key`` made from the cached store version; its edit id."""
    base = session.rows.order_json(key)
    assert base is not None, f"order {key} is not cached"
    return await session.outbox.stage_update(key, dict(changes), base)


async def stage_delete(session: StoreSession, key: str) -> int:
    [edit_id] = await session.outbox.stage_deletes([key])
    return edit_id
