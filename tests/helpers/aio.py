"""Run a coroutine to completion from a plain (non-async) test."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any


def run[T](coro: Coroutine[Any, Any, T], timeout: float = 120.0) -> T:
    """``asyncio.run`` with an upper bound, so a hang fails instead of blocking CI."""

    async def bounded() -> T:
        return await asyncio.wait_for(coro, timeout)

    return asyncio.run(bounded())
