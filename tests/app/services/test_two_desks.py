"""Two desks on one store (README: "Two desks, one store"): Ecwid has no
conditional write, so two desks can always race — but nobody may lose a
value without being told. 20 rounds at each store latency."""

from __future__ import annotations

import pytest

from app.domain.queries import OrderQuery
from tests.helpers.aio import run
from tests.helpers.desks import open_desk
from tests.helpers.race import race
from tests.helpers.sandbox import client_for


@pytest.mark.slow
@pytest.mark.parametrize("latency", [0.0, 0.15, 0.3], ids=["0ms", "150ms", "300ms"])
def test_a_race_on_one_field_always_tells_someone_and_loses_nothing_silently(sandbox, latency):
    figures = run(race(sandbox, latency, rounds=20), timeout=600)
    assert figures.rounds == 20
    assert figures.told == figures.rounds  # every round: a conflict or an overwrite reported
    assert figures.lost_silently == 0


def test_sequential_edits_of_two_desks_never_lose_a_value(sandbox):
    """A then B, B not synced in between: B is told (a conflict) and A's value
    stays. A then B after B synced: B saw A's value and writes over it on
    purpose — and A is told at its next sync."""

    async def scenario():
        a, b = open_desk(sandbox, "Desk A"), open_desk(sandbox, "Desk B")
        try:
            await a.sync()
            await b.sync()
            key = next(
                row.key for row in a.rows.rows(OrderQuery(), limit=20) if not row.key.isdigit()
            )
            first = await a.update_order(key, {"trackingNumber": "A-1"})
            stale = await b.update_order(key, {"trackingNumber": "B-1"})
            assert (first.state, stale.state) == ("saved", "conflict")
            assert await _tracking(sandbox, key) == "A-1"
            await b.discard_entries([stale.edit_id])
            await b.sync_round()
            informed = await b.update_order(key, {"trackingNumber": "B-2"})
            assert informed.state == "saved"
            told = await a.sync_round()
            assert [edit.key for edit in told.overwritten] == [key]
            assert "B-2" in told.overwritten[0].reason
        finally:
            await a.close()
            await b.close()

    run(scenario())


async def _tracking(sandbox, key: str) -> str | None:
    async with client_for(sandbox) as client:
        return (await client.get_order_raw(key)).get("trackingNumber")
