"""Benchmark: a 100 MB item-option upload to the demo store on loopback.

    /work/venv/bin/python -m tests.benchmarks.bench_upload [--runs 3] [--mb 100]

The demo store runs in its own process (its CPU does not compete with the
client for the GIL). The upload goes through :class:`UploadQueue` on qasync's
loop, as in the app, while a 10 ms heartbeat ``QTimer`` records the longest
gap between beats. Reported per run and as medians: throughput (target
≥ 150 MB/s), growth of this process's RSS (≤ 20 MB: the file is streamed,
never read whole) and the longest heartbeat gap (≤ 50 ms).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from tests.benchmarks.common import STORE_ID, TOKEN, median, sandbox_process


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


async def _files_option(client) -> tuple[str, int, str]:
    async for order in client.iter_orders():
        for item in order.items or ():
            for option in item.selected_options or ():
                if option.type == "FILES" and item.id is not None:
                    return order.key, item.id, option.name
    raise RuntimeError("the demo store has no FILES option")


async def _one_run(url: str, big: Path, cache_path: Path, app) -> dict[str, float]:
    from PySide6.QtCore import QTimer

    from app.cache import OrderCache
    from app.ecwid import EcwidClient
    from app.services.attachments.files import OptionRef
    from app.services.attachments.uploads import UploadQueue, UploadState

    gaps: list[float] = []
    last = time.perf_counter()

    def beat() -> None:
        nonlocal last
        now = time.perf_counter()
        gaps.append(now - last)
        last = now

    async with EcwidClient(STORE_ID, TOKEN, base_url=url, requests_per_minute=None) as client:
        target = OptionRef(*await _files_option(client))
        with OrderCache.open(cache_path) as cache:
            queue = UploadQueue(client, cache, target)
            queue.add_files([big])
            heartbeat = QTimer(interval=10)
            heartbeat.timeout.connect(beat)
            rss_before = rss_mb()
            last = time.perf_counter()
            heartbeat.start()
            started = time.perf_counter()
            await queue.run()
            elapsed = time.perf_counter() - started
            heartbeat.stop()
            rss_after = rss_mb()
            (upload,) = queue.uploads
            assert upload.state == UploadState.DONE, upload.error
            await client.delete_item_option_file(*vars(target).values(), upload.file_id)
    size_mb = big.stat().st_size / 1024 / 1024
    return {
        "throughput_mb_s": size_mb / elapsed,
        "seconds": elapsed,
        "rss_growth_mb": rss_after - rss_before,
        "longest_gap_ms": max(gaps, default=0.0) * 1000,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--mb", type=int, default=100)
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import qasync
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory(prefix="bench-upload-") as tmp:
        work = Path(tmp)
        big = work / "artwork.psd"
        with big.open("wb") as handle:
            block = os.urandom(1024 * 1024)
            for _ in range(args.mb):
                handle.write(block)
        results = []
        with sandbox_process(work / "sandbox.sqlite3", orders=200) as url:
            for run in range(args.runs):

                async def measured(run: int = run) -> dict[str, float]:
                    return await _one_run(url, big, work / f"cache{run}.sqlite3", app)

                result = qasync.run(measured())
                results.append(result)
                print(json.dumps({"run": run + 1, **{k: round(v, 1) for k, v in result.items()}}))
        summary = {key: round(median([r[key] for r in results]), 1) for key in results[0]}
        print(json.dumps({"median": summary}))


if __name__ == "__main__":
    main()
