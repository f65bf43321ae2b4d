"""National-scale benchmarks: ``make bench`` (or ``python -m bench``).

Prints each figure with its ratio to a baseline measured in the same run, because the machines are
shared and absolute times drift: start-up against a bare PySide6 window with a table view; search
against the limit in the issue (20 ms median); memory against 300 MB.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.national import PRODUCERS, PRODUCTS, national_store

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ("sen", "quyt hong", "thap muoi", "mat ong", "hoa", "dong thap", "nem lai vung", "xa tan", "gao",
           "kho ca", "tra", "banh phong", "huong", "cong ty", "hop tac xa", "nguyen", "82-30037", "lua", "ca cao",
           "bonsai")


def probe(*args: str) -> dict[str, float]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run([sys.executable, "-m", "bench.startup_probe", *args], capture_output=True, text=True,
                         env=env, cwd=ROOT, check=True, timeout=300)
    line = [ln for ln in out.stdout.splitlines() if ln.startswith("{")][-1]
    result: dict[str, float] = json.loads(line)
    return result


def bench_startup(store: Path, rounds: int = 5) -> dict[str, float]:
    bare, app, floor = [], [], []
    last: dict[str, float] = {}
    for _ in range(rounds):  # interleaved so that load on the machine hits both alike
        bare.append(probe("bare")["ready_s"])
        floor.append(probe("floor")["ready_s"])
        last = probe("app", str(store))
        app.append(last["ready_s"])
    return {"bare_s": statistics.median(bare), "app_s": statistics.median(app), "floor_s": statistics.median(floor),
            **{k: v for k, v in last.items() if k != "ready_s"}}


def bench_search(store: Path) -> dict[str, float]:
    from ocop_desktop.records.listing import ListRequest
    from ocop_desktop.registry.products import product_count, product_rows
    from ocop_desktop.store.context import open_context

    ctx = open_context(store)
    times = []
    for _ in range(3):
        for text in QUERIES:
            t = time.perf_counter()
            req = ListRequest(search=text)
            product_count(ctx, req)
            product_rows(ctx, req, 0, 256)
            times.append((time.perf_counter() - t) * 1000)
    ctx.close()
    return {"median_ms": statistics.median(times), "p90_ms": sorted(times)[int(len(times) * 0.9)]}


def main() -> int:
    which = set(sys.argv[1:]) or {"national", "scoring", "printing", "sync", "sync-import"}
    ok = True
    if "sync-import" in which:
        from bench.sync_import import report as import_report

        ok = import_report() and ok
    if "sync" in which:
        from bench.sync import report as sync_report

        ok = sync_report() and ok
    if "printing" in which:
        from bench.printing import report as printing_report

        ok = printing_report() and ok
    if "scoring" in which:
        from bench.scoring import report

        ok = report() and ok
    if "national" in which:
        ok = national() and ok
    print("all within limits" if ok else "SOME FIGURES ARE OVER THEIR LIMITS")
    return 0 if ok else 1


def national() -> bool:
    t = time.perf_counter()
    store = national_store()
    print(f"national store: {PRODUCERS:,} producers, {PRODUCTS:,} products ({time.perf_counter() - t:.1f} s to prepare)")
    s = bench_startup(store)
    print(f"start-up to interactive window: app {s['app_s']:.2f} s, bare PySide6 table window {s['bare_s']:.2f} s, "
          f"ratio {s['app_s'] / s['bare_s']:.2f} (limit 2.00)")
    print(f"  of which the stack's own imports (PySide6 widgets + SQLModel/SQLAlchemy/pydantic + qtawesome, no window): "
          f"{s['floor_s']:.2f} s, ratio {s['floor_s'] / s['bare_s']:.2f} to the bare window")
    print(f"product list: {int(s['rows']):,} rows in the view, {int(s['cached_rows_at_start'])} of them turned into "
          f"Python tuples to paint the first screen")
    print(f"peak memory after start-up, 7 searches and a jump to the last row: {s['peak_mb']:.0f} MB, "
          f"ratio to limit {s['peak_mb'] / 300:.2f} (limit 300 MB)")
    q = bench_search(store)
    print(f"accent-insensitive search over 100,000 products (count + first page, {len(QUERIES)} queries x3): "
          f"median {q['median_ms']:.1f} ms, p90 {q['p90_ms']:.1f} ms, ratio to limit {q['median_ms'] / 20:.2f} (limit 20 ms)")
    from bench.dashboard import report as dashboard_report

    dashboard_ok = dashboard_report(store)
    return bool(s["app_s"] / s["bare_s"] <= 2 and q["median_ms"] <= 20 and s["peak_mb"] <= 300 and dashboard_ok)


if __name__ == "__main__":
    sys.exit(main())
