"""Two desks racing on one field (README: "Two desks, one store"): rounds,
how often a desk was told (a conflict at write time, or an overwrite found by
the next sync) and values lost silently, at store latencies of 0, 150 and
300 ms.

    python -m tests.benchmarks.bench_race [--rounds 20]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
from pathlib import Path

from tests.helpers.race import race
from tests.helpers.sandbox import running_sandbox


async def main(rounds: int) -> None:
    print("latency | rounds | told | at write time | found overwritten | lost silently")
    print("---|---|---|---|---|---")
    for latency in (0.0, 0.15, 0.3):
        with tempfile.TemporaryDirectory() as folder:
            os.environ["BACKROOM_DATA_DIR"] = str(Path(folder) / "data")
            with running_sandbox(Path(folder) / "store.sqlite3", orders=250) as server:
                f = await race(server, latency, rounds)
        print(
            f"{f.latency_ms} ms | {f.rounds} | {f.told} | {f.write_time_conflicts} | "
            f"{f.found_overwritten} | {f.lost_silently}"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=20)
    asyncio.run(main(parser.parse_args().rounds))
