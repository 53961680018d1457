"""The main window with a 100,000-order store: the event loop during the first
full sync, launch to window shown, search keystrokes and filter changes,
header sorts and memory; and a QSortFilterProxyModel over the same rows,
measured in the same run, for comparison.

    .venv/bin/python -m tests.benchmarks.bench_window [--orders N] [--launches L] [--stores S]
        [--no-proxy] [--servers-niceness N]

``--stores 3``: three stores of ``--orders`` each (three demo stores, each in
a process of its own, with their own names, currencies and orders), shown
together as *All stores*: the same phases, every store syncing at once in
the first, the table over every store's cache (merged by SQLite) in the
others, plus the sort by the Store column.

``--servers-niceness 10`` runs the demo stores' servers behind the window
for the processor: on this two-core machine three of them (seeding,
answering pages) compete with the window, as Ecwid's servers, elsewhere,
never do.

Each phase runs in its own process, offscreen, against the demo store in a
process of its own (as a user's window talks to Ecwid over the network):

1. ``sync``: the real window opens the store and runs its first full sync;
   a 10 ms heartbeat timer records how long the event loop was ever blocked.
2. ``launch`` (several times): ``backroom`` as a user starts it, by its own
   path (:mod:`tests.benchmarks.launch_child`: ``app.cli``'s main, nothing of
   the benchmark imported first), from starting the process to the window
   shown, to the first rows painted (the window's ``firstRowsPainted``, on
   the event loop's first turn after that paint) and to the ECDP menu made
   after them, reading the cache filled in phase 1.
3. ``interact``: the orders page over that cache; every timing is the model's
   new query (or sort) plus a synchronous repaint of the visible rows.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from tests.benchmarks.common import ROOT, STORE_ID, TOKEN, sandbox_process

ACCOUNT = "Benchmark store"


def account_name(number: int) -> str:
    return ACCOUNT if number == 0 else f"{ACCOUNT} {number + 1}"


def store_count() -> int:
    return int(os.environ.get("BENCH_STORES", "1"))


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


# -- child processes ----------------------------------------------------------------


def _window() -> Any:
    """The app and its window, set up as ``backroom`` sets them up."""
    from app.config import AccountStore
    from app.platform.runtime import tune_garbage_collector
    from app.secrets import SecretStore
    from ui.common.gc_guard import GuiThreadCollector
    from ui.main import create_application, window_settings
    from ui.window.main_window import MainWindow

    tune_garbage_collector()
    app = create_application(sys.argv)
    GuiThreadCollector(app)
    window = MainWindow(
        accounts=AccountStore.load(), secrets=SecretStore(), settings=window_settings()
    )
    return app, window


def child_sync() -> None:
    import asyncio

    from PySide6.QtCore import QTimer

    from ui.common.event_loop import EventLoop

    app, window = _window()
    window.show()
    window.build()  # as ui/main.py does before its event loop starts
    gaps: list[float] = []
    last = [time.perf_counter()]

    def beat() -> None:
        now = time.perf_counter()
        gaps.append((now - last[0]) * 1000)
        last[0] = now

    heartbeat = QTimer(interval=10)
    heartbeat.timeout.connect(beat)
    collections: dict[int, list[float]] = {0: [], 1: [], 2: []}
    collecting = [0.0]

    def on_gc(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            collecting[0] = time.perf_counter()
        else:
            collections[info["generation"]].append((time.perf_counter() - collecting[0]) * 1000)

    import gc

    gc.callbacks.append(on_gc)

    async def run() -> float:
        heartbeat.start()
        started = time.perf_counter()
        window.start(demo=False)
        stores = store_count()
        while not (
            len(window.store.sessions) == stores
            and all(session.last_sync() is not None for session in window.store.sessions)
            and not window.store.syncing
        ):
            await asyncio.sleep(0.05)
        seconds = time.perf_counter() - started
        heartbeat.stop()
        await window.shutdown()
        return seconds

    with asyncio.Runner(loop_factory=lambda: EventLoop(app)) as runner:
        seconds = runner.run(run())
    ordered = sorted(gaps)
    print(
        json.dumps(
            {
                "sync_s": seconds,
                "beats": len(gaps),
                "max_gap_ms": ordered[-1],
                "p99_gap_ms": ordered[round(0.99 * (len(ordered) - 1))],
                "gaps_over_50ms": sum(1 for gap in gaps if gap > 50),
                "gaps_over_50ms_at_s": [
                    round(sum(gaps[: i + 1]) / 1000, 1) for i, gap in enumerate(gaps) if gap > 50
                ],
                "gc_ms_max": {g: max(t, default=0.0) for g, t in collections.items()},
                "gc_count": {g: len(t) for g, t in collections.items()},
            }
        )
    )


def child_interact() -> None:
    import asyncio

    from PySide6.QtCore import QSortFilterProxyModel, Qt
    from PySide6.QtWidgets import QTableView

    from app.config import AccountStore
    from app.domain.queries import OrderQuery
    from app.services.accounts.account_actions import ecwid_client
    from app.services.inbox import Inbox
    from app.services.orders.saved_views import SavedViewStore
    from app.services.session import StoreSession
    from ui.common.event_loop import EventLoop
    from ui.main import create_application
    from ui.orders.orders_page import OrdersPage

    app = create_application(sys.argv)
    accounts = AccountStore.load()
    sessions = [
        StoreSession.open(account, ecwid_client(account, TOKEN))
        for account in (accounts.get(account_name(n)) for n in range(store_count()))
    ]
    session = sessions[0]
    shown: Any = Inbox(sessions) if len(sessions) > 1 else session
    page = OrdersPage()
    page.resize(1280, 760)
    page.show_session(shown, SavedViewStore(Path(os.environ["BACKROOM_DATA_DIR"]) / "v.json"))
    page.show()
    app.processEvents()
    model, view = page.model, page.table
    total = model.rowCount()

    def timed(change: Any) -> float:
        started = time.perf_counter()
        change()
        view.viewport().repaint()
        return (time.perf_counter() - started) * 1000

    rows = shown.rows.rows(OrderQuery(), 0, 400)
    words = sorted({r.customer.split()[-1].lower() for r in rows if r.customer})[:8]
    words += sorted({r.email.split("@")[0] for r in rows if r.email})[:4]
    keystrokes: list[float] = []
    keyed: list[tuple[float, str]] = []
    counted_after: list[float] = []  # a short search's full count, after its first rows

    async def type_words() -> None:
        # on the app's event loop: a short search counts the rest in the background
        for word in words:
            for end in range(1, len(word) + 1):
                started = time.perf_counter()
                ms = timed(lambda t=word[:end]: model.set_query(OrderQuery(text=t)))
                keystrokes.append(ms)
                keyed.append((ms, word[:end]))
                if model.counting:
                    while model.counting:
                        await asyncio.sleep(0.002)
                    counted_after.append((time.perf_counter() - started) * 1000)

    filters = [
        OrderQuery(payment_status=["PAID"]),
        OrderQuery(payment_status=["AWAITING_PAYMENT", "CANCELLED"]),
        OrderQuery(fulfillment_status=["SHIPPED"]),
        OrderQuery(created_from="2026-06-01", created_to="2026-07-01"),
        OrderQuery(total_from=50, total_to=120),
        OrderQuery(payment_status=["PAID"], fulfillment_status=["DELIVERED"], total_from=100),
        OrderQuery(coupon_code="WELCOME10"),
        OrderQuery(include_incomplete=True, payment_status=["INCOMPLETE"]),
        OrderQuery(),
    ]
    filter_times: list[float] = []
    filter_counted_after: list[float] = []  # a broad filter's full count, after its first rows

    async def change_filters() -> None:
        # on the app's event loop, as in the window: a filter whose count reads
        # many orders shows its first rows at once and counts the rest in the
        # background (outside a running loop the model counts at once instead)
        for query in [q for q in filters for _ in range(3)]:
            started = time.perf_counter()
            filter_times.append(timed(lambda q=query: model.set_query(q)))
            if model.counting:
                while model.counting:
                    await asyncio.sleep(0.002)
                filter_counted_after.append((time.perf_counter() - started) * 1000)

    async def interact() -> None:
        await type_words()
        await change_filters()

    with asyncio.Runner(loop_factory=lambda: EventLoop(app)) as runner:
        runner.run(interact())
    slowest_filters = sorted(
        (
            (ms, repr(q.model_dump(exclude_defaults=True)))
            for ms, q in zip(filter_times, [q for q in filters for _ in range(3)], strict=True)
        ),
        reverse=True,
    )[:3]
    short = [ms for ms, word in keyed if len(word) < 3]
    long = [ms for ms, word in keyed if len(word) >= 3]
    sorts: dict[str, float] = {}
    for column in [*model.SORT_KEYS, *([model.STORE] if len(sessions) > 1 else [])]:
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            ms = timed(lambda c=column, o=order: model.sort(c, o))
            name = model.HEADERS[column]
            sorts[name] = max(sorts.get(name, 0.0), ms)
    model.set_query(OrderQuery())
    view.viewport().repaint()
    rss_table = rss_mb()
    deep = [
        timed(lambda at=at: view.scrollTo(model.index(int(at * (total - 1)), 0)))
        for at in (0.25, 0.5, 0.75, 1.0)
    ]  # a jump of the scroll bar: a page deep in the list
    if len(sessions) > 1 or os.environ.get("BENCH_PROXY") == "0":  # (the proxy: one store)
        print(
            json.dumps(
                {
                    "orders": total,
                    "stores": len(sessions),
                    "keystrokes": keystrokes,
                    "keystrokes_1_2_chars": [ms for ms, word in keyed if len(word) < 3],
                    "short_search_counted_after": counted_after,
                    "keystrokes_3_plus_chars": [ms for ms, word in keyed if len(word) >= 3],
                    "slowest_filters": slowest_filters,
                    "filters": filter_times,
                    "filter_counted_after": filter_counted_after,
                    "sorts": sorts,
                    "deep_pages_ms": deep,
                    "rss_table_mb": rss_table,
                }
            )
        )
        if isinstance(shown, Inbox):
            shown.close()
        for each in sessions:
            each._reader.close()
            each._cache.close()
        return

    # the alternative: every row in memory, filtered and sorted by a proxy
    from tests.benchmarks.proxy_table import InMemoryOrderModel

    started = time.perf_counter()
    everything = session.rows.rows(OrderQuery(), limit=total)
    memory_model = InMemoryOrderModel(everything)
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(memory_model)
    proxy.setFilterKeyColumn(-1)
    proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    plain = QTableView()
    plain.resize(view.size())
    plain.setModel(proxy)
    plain.show()
    plain.viewport().repaint()
    proxy_load = time.perf_counter() - started

    def proxy_timed(change: Any) -> float:
        started = time.perf_counter()
        change()
        plain.viewport().repaint()
        return (time.perf_counter() - started) * 1000

    proxy_keystrokes = []
    for word in words[:4]:
        for end in range(1, len(word) + 1):
            proxy_keystrokes.append(proxy_timed(lambda t=word[:end]: proxy.setFilterFixedString(t)))
    proxy.setFilterFixedString("")
    proxy_sort = proxy_timed(lambda: proxy.sort(1, Qt.SortOrder.AscendingOrder))
    rss_proxy = rss_mb()
    print(
        json.dumps(
            {
                "orders": total,
                "keystrokes": keystrokes,
                "keystrokes_1_2_chars": short,
                "short_search_counted_after": counted_after,
                "keystrokes_3_plus_chars": long,
                "slowest_filters": slowest_filters,
                "filters": filter_times,
                "filter_counted_after": filter_counted_after,
                "sorts": sorts,
                "rss_table_mb": rss_table,
                "deep_pages_ms": deep,
                "proxy_load_s": proxy_load,
                "proxy_keystrokes": proxy_keystrokes,
                "proxy_sort_ms": proxy_sort,
                "rss_proxy_mb": rss_proxy,
            }
        )
    )
    session._reader.close()
    session._cache.close()


CHILDREN = {"sync": child_sync, "interact": child_interact}


def _add_accounts(urls: list[str], env: dict[str, str]) -> None:
    for number, url in enumerate(urls):
        subprocess.run(
            [sys.executable, "-m", "app.cli", "account", "add", account_name(number)]
            + ["--store-id", str(STORE_ID + number), "--api-url", url],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )


def connect_demo_stores(
    stack: ExitStack,
    folder: Path,
    orders: int,
    stores: int,
    env: dict[str, str],
    niceness: int = 0,
) -> None:
    """Start ``stores`` demo stores of ``orders`` each (each in a process of
    its own, kept running by ``stack``, at ``niceness``) and connect them as
    the accounts of ``env``'s data folder."""
    seeding = max(300.0, orders / 200)  # a first start seeds the store
    urls = [
        stack.enter_context(
            sandbox_process(
                folder / f"store-{number}.sqlite3",
                orders,
                startup_timeout=seeding,
                store_number=number,
                niceness=niceness,
            )
        )
        for number in range(stores)
    ]
    _add_accounts(urls, env)


# -- the parent -----------------------------------------------------------------------


def _env(data_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    # as an installed app starts: from compiled bytecode (pip and the bundle
    # ship it), not compiling every module on each launch
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.update(
        BACKROOM_DATA_DIR=str(data_dir),
        BACKROOM_TOKEN=TOKEN,
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
        QT_QPA_PLATFORM="offscreen",
    )
    return env


def _child(phase: str, env: dict[str, str]) -> tuple[dict[str, Any], float]:
    """Run a phase; returns its result and the wall-clock time it started at."""
    started = time.time()
    command = ["-m", "tests.benchmarks.bench_window", "--child", phase]
    if phase == "launch":
        command = ["-m", "tests.benchmarks.launch_child"]
    process = subprocess.Popen(
        [sys.executable, *command],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    out, err = process.communicate(timeout=1800)
    if process.returncode != 0:
        raise RuntimeError(f"{phase} failed:\n{err[-3000:]}")
    return json.loads(out.strip().splitlines()[-1]), started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--launches", type=int, default=5)
    parser.add_argument(
        "--stores", type=int, default=1, help="stores of --orders each, shown as All stores"
    )
    parser.add_argument(
        "--no-proxy",
        action="store_true",
        help="leave out the QSortFilterProxyModel comparison (minutes per keystroke at 1M)",
    )
    parser.add_argument(
        "--servers-niceness",
        type=int,
        default=0,
        help="run the demo stores' servers at this niceness (POSIX): behind the window for "
        "the processor, as Ecwid's servers are on other machines",
    )
    parser.add_argument("--child", choices=sorted(CHILDREN))
    args = parser.parse_args()
    if args.child:
        CHILDREN[args.child]()
        return

    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        data = Path(tmp) / "data"
        env = _env(data)
        env["BENCH_STORES"] = str(args.stores)
        env["BENCH_PROXY"] = "0" if args.no_proxy else "1"
        connect_demo_stores(stack, Path(tmp), args.orders, args.stores, env, args.servers_niceness)
        sync, _ = _child("sync", env)
        print("sync:", sync, flush=True)
        launches = [_child("launch", env) for _ in range(args.launches)]
        print("launches:", launches, flush=True)
        interact, _ = _child("interact", env)

    stores = f" in {args.stores} stores (All stores)" if args.stores > 1 else ""
    print(f"orders: {interact['orders']:,}{stores}")
    print(
        f"first full sync in the window: {sync['sync_s']:.1f} s; event loop: "
        f"{sync['beats']:,} beats, longest gap {sync['max_gap_ms']:.0f} ms, "
        f"p99 {sync['p99_gap_ms']:.0f} ms, {sync['gaps_over_50ms']} gaps over 50 ms"
    )
    shown = [result["shown_at"] - started for result, started in launches]
    painted = [result["rows_at"] - started for result, started in launches]
    menus = [result["menus_at"] - started for result, started in launches]
    print(
        f"launch (from starting the process): window shown median {statistics.median(shown):.2f} s"
        f" (runs {', '.join(f'{s:.2f}' for s in shown)}); first rows painted median "
        f"{statistics.median(painted):.2f} s (runs {', '.join(f'{s:.2f}' for s in painted)}); "
        f"the ECDP menu made after them median {statistics.median(menus):.2f} s"
    )
    keys, filters = interact["keystrokes"], interact["filters"]
    print(
        f"search keystroke: median {statistics.median(keys):.1f} ms, p95 {p95(keys):.1f} ms "
        f"({len(keys)} keystrokes)"
    )
    for label, values in (
        ("1-2 characters", interact["keystrokes_1_2_chars"]),
        ("3+ characters (trigram index)", interact["keystrokes_3_plus_chars"]),
    ):
        print(f"  {label}: median {statistics.median(values):.1f} ms, p95 {p95(values):.1f} ms")
    counted = interact["short_search_counted_after"]
    if counted:
        print(
            f"  a short search's rows all counted (in the background) after: median "
            f"{statistics.median(counted):.0f} ms, p95 {p95(counted):.0f} ms"
        )
    print(
        f"filter change: median {statistics.median(filters):.1f} ms, "
        f"p95 {p95(filters):.1f} ms ({len(filters)} changes)"
    )
    print(f"  slowest: {interact['slowest_filters']}")
    if interact.get("filter_counted_after"):
        filter_counted = interact["filter_counted_after"]
        print(
            f"  a broad filter's rows all counted (in the background) after: median "
            f"{statistics.median(filter_counted):.0f} ms, p95 {p95(filter_counted):.0f} ms "
            f"({len(filter_counted)} of the changes)"
        )
    print(f"  gaps over 50 ms at (s): {sync['gaps_over_50ms_at_s']}; GC max ms {sync['gc_ms_max']}")
    worst = max(interact["sorts"].items(), key=lambda item: item[1])
    print(f"header sort: worst {worst[1]:.1f} ms ({worst[0]}); {interact['sorts']}")
    print(f"RSS with the table shown: {interact['rss_table_mb']:.0f} MB")
    deep = interact["deep_pages_ms"]
    print(
        "a page deep in the list (a jump of the scroll bar to 25/50/75/100 %): "
        + ", ".join(f"{ms:.0f} ms" for ms in deep)
    )
    if "proxy_keystrokes" not in interact:
        return
    proxy = interact["proxy_keystrokes"]
    print(
        f"QSortFilterProxyModel over the same rows: load {interact['proxy_load_s']:.1f} s, "
        f"keystroke median {statistics.median(proxy):.0f} ms, p95 {p95(proxy):.0f} ms, "
        f"sort {interact['proxy_sort_ms']:.0f} ms, RSS {interact['rss_proxy_mb']:.0f} MB"
    )


if __name__ == "__main__":
    main()
