"""Two desks writing the same field of the same order at the same moment,
against the demo store over loopback — and what each desk was told.

A round: both desks sync, then both set the order's tracking number at once
(each through its own session, cache and outbox, as two computers would),
then both sync again (the overwrite watch runs). A desk is *told* when its
write came back as a conflict, or a later sync found it overwritten. A value
is *lost silently* when a desk was told "saved", the store ends with another
value, and that desk was never told.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from app.domain.queries import OrderQuery
from tests.helpers.desks import open_desk
from tests.helpers.sandbox import client_for


@dataclass
class RoundOutcome:
    told: bool
    lost_silently: int
    conflicts: int
    overwritten: int


@dataclass
class RaceFigures:
    latency_ms: int
    rounds: int
    told: int = 0
    lost_silently: int = 0
    write_time_conflicts: int = 0
    found_overwritten: int = 0


async def race(sandbox, latency: float, rounds: int) -> RaceFigures:
    figures = RaceFigures(round(latency * 1000), rounds)
    desks = [open_desk(sandbox, "Desk A"), open_desk(sandbox, "Desk B")]
    try:
        await asyncio.gather(*(desk.sync() for desk in desks))
        keys = [
            row.key
            for row in desks[0].rows.rows(OrderQuery(payment_status=["PAID"]), limit=rounds * 3)
            if not row.key.isdigit()
        ]
        for number in range(rounds):
            outcome = await _round(sandbox, desks, keys[number % len(keys)], number, latency)
            figures.told += outcome.told
            figures.lost_silently += outcome.lost_silently
            figures.write_time_conflicts += outcome.conflicts
            figures.found_overwritten += outcome.overwritten
    finally:
        sandbox.faults.latency = 0.0
        for desk in desks:
            await desk.close()
    return figures


async def _round(sandbox, desks, key: str, number: int, latency: float) -> RoundOutcome:
    sandbox.faults.latency = 0.0
    await asyncio.gather(*(desk.sync_round() for desk in desks))
    for desk in desks:  # a new round starts with nothing pending from the last one
        leftover = [edit.id for edit in desk.outbox.entries()]
        if leftover:
            await desk.discard_entries(leftover)
    values = [f"{name}-{number}" for name in ("A", "B")]
    sandbox.faults.latency = latency
    results = await asyncio.gather(
        *(
            desk.update_order(key, {"trackingNumber": value})
            for desk, value in zip(desks, values, strict=True)
        )
    )
    sandbox.faults.latency = 0.0
    rounds = await asyncio.gather(*(desk.sync_round() for desk in desks))
    async with client_for(sandbox) as client:
        final = (await client.get_order_raw(key)).get("trackingNumber")
    conflicts = sum(1 for result in results if result.state == "conflict")
    overwritten = [
        any(edit.key == key for edit in round_result.overwritten) for round_result in rounds
    ]
    lost = 0
    for result, value, was_overwritten in zip(results, values, overwritten, strict=True):
        if result.state == "saved" and final != value and not was_overwritten:
            lost += 1
    told = conflicts > 0 or any(overwritten)
    return RoundOutcome(told, lost, conflicts, sum(overwritten))
