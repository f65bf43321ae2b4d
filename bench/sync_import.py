"""Import benchmark (issue 6): 12 commune packages holding 100,000 products with their sheets, into a
province, against inserting the same rows with ``sqlite3.executemany`` in the same run; and the
importer's peak memory at three package sizes (it streams, so the peak should not grow with size).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.sync import OUT, PASS, province_for, store
from database.migrate import DB_FILENAME
from ocop_desktop.store.context import open_context
from ocop_desktop.sync.exchange.export import export_package
from ocop_desktop.sync.exchange.importer import import_package, preview_import
from ocop_desktop.sync.package.format import TABLES_BY_KIND
from ocop_desktop.sync.package.record_codec import COLUMNS, sql_values

COMMUNES = ("28249", "28261", "28270", "28273", "28285", "28297", "28306", "28315", "28321", "28327", "28336",
            "28345")
TOTAL = 100_000
MEMORY_SIZES = (2_000, 8_000, 25_000)
ROOT = Path(__file__).resolve().parent.parent


def packages(products_each: int, units: tuple[str, ...], work: Path) -> tuple[list[Path], list[Path]]:
    """One full package per commune (built once, cached with its store)."""
    paths, folders = [], []
    for unit in units:
        folder = store(products_each, unit)
        folders.append(folder)
        package = folder / "package.ocsync"  # rebuilt with its store
        if not package.exists():
            copy = work / f"export-{unit}"
            shutil.rmtree(copy, ignore_errors=True)
            shutil.copytree(folder, copy)
            ctx = open_context(copy, full_check=False)
            export_package(ctx, PASS, "82", package, full=True)
            ctx.close()
        paths.append(package)
    return paths, folders


def _records(path: Path) -> dict[str, list[dict[str, Any]]]:
    import io

    from ocop_desktop.sync.package.container import read_entries, read_member

    data = path.read_bytes()
    fh = io.BytesIO(data)
    found = {}
    for entry in read_entries(fh, len(data)):
        if entry.name.startswith("records/"):
            lines = b"".join(read_member(fh, entry)).splitlines()
            found[entry.name.removeprefix("records/").removesuffix(".jsonl")] = [json.loads(x) for x in lines]
    return found


def baseline(paths: list[Path], db: Path) -> float:
    """The same rows, already decoded, inserted with sqlite3.executemany; only the inserts are timed."""
    import sqlite3

    from ocop_desktop.records.search_keys import producer_key, product_key
    from ocop_desktop.reference.units import load_province

    units = load_province("82")
    batches = []
    for path in paths:
        records = _records(path)
        producers: dict[str, Any] = {str(r["id"]): r for r in records.get("producer", [])}

        def product_search_key(r: dict[str, Any], p: dict[str, Any] = producers) -> str:
            return product_key(r["name"], r["code"], p[r["producer_id"]]["name"],
                               units.unit_name(p[r["producer_id"]]["commune_code"]))

        # the same rows: with the search keys the importer computes (untimed here)
        keys: dict[str, Callable[[dict[str, Any]], str]] = {
            "producer": lambda r: producer_key(r, units), "product": product_search_key}
        for table in TABLES_BY_KIND["upward-export"]:
            rows = records.get(table, [])
            if rows:
                names = [c.name for c in COLUMNS[table]]
                key = keys.get(table)
                batches.append((table, names + ["search_key"] * (key is not None),
                                [sql_values(table, r) + ([key(r)] if key else []) for r in rows]))
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA foreign_keys = ON")
    start = time.perf_counter()
    for table, names, values in batches:
        marks = ", ".join("?" for _ in names)
        conn.executemany(f'INSERT INTO "{table}" ({", ".join(names)}) VALUES ({marks})', values)
    conn.commit()
    took = time.perf_counter() - start
    conn.close()
    return took


def memory_probe(package: Path, province: Path) -> tuple[float, float]:
    """Peak memory (MB) of a fresh process importing one package."""
    code = "\n".join([
        f"import sys; from pathlib import Path; sys.path.insert(0, {str(ROOT)!r})",
        "from ocop_desktop.store.context import open_context",
        "from ocop_desktop.sync.exchange.importer import import_package",
        f"ctx = open_context(Path({str(province)!r}), full_check=False)",
        "peak = lambda: [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0].split()[1]",
        "before = peak()",
        f"import_package(ctx, Path({str(package)!r}))",
        "print(before, peak())"])
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=900)
    before, after = (int(v) for v in out.stdout.split()[-2:])
    return after / 1024, before / 1024


def report() -> bool:
    work = OUT / "sync-import-work"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    t = time.perf_counter()
    paths, folders = packages(-(-TOTAL // len(COMMUNES)), COMMUNES, work)
    print(f"sync import: {len(paths)} packages prepared in {time.perf_counter() - t:.0f} s "
          f"({sum(p.stat().st_size for p in paths) / 1e6:.1f} MB)")
    empty = province_for(work / "province-empty", *folders)
    base_times: list[float] = []

    def run_baseline() -> None:  # before and after ours: the machine's load drifts during the run
        base_db = work / f"baseline-{len(base_times)}"
        shutil.copytree(empty, base_db)
        base_times.append(baseline(paths, base_db / DB_FILENAME))

    run_baseline()
    ours_dir = work / "province"
    shutil.copytree(empty, ours_dir)
    ctx = open_context(ours_dir, full_check=False)
    preview_time = import_time = 0.0
    rows = 0
    for path in paths:
        start = time.perf_counter()
        preview = preview_import(ctx, path)
        preview_time += time.perf_counter() - start
        start = time.perf_counter()
        result = import_package(ctx, path, preview=preview)
        import_time += time.perf_counter() - start
        rows += sum(sum(c.values()) for c in result.tables.values())
    ctx.close()
    run_baseline()
    base = sum(base_times) / len(base_times)
    ratio = base / import_time
    print(f"sync import of {rows:,} records ({TOTAL:,} products with their sheets): import {import_time:.1f} s "
          f"(+ dry runs {preview_time:.1f} s), sqlite3.executemany of the same rows {base:.1f} s "
          f"(mean of {base_times[0]:.1f} s before and {base_times[1]:.1f} s after); "
          f"rate ratio {ratio:.2f} without the dry run, {base / (import_time + preview_time):.2f} with it "
          f"(limit >= 0.50)")
    peaks = []
    for size in MEMORY_SIZES:
        [package], [folder] = packages(size, ("28360",), work)
        province = province_for(work / f"province-mem-{size}", folder)
        peak, start = memory_probe(package, province)
        peaks.append(peak)
        print(f"  peak memory importing a package of {size:,} products ({package.stat().st_size / 1e6:.1f} MB): "
              f"{peak:.0f} MB (process at start {start:.0f} MB)")
    growth = peaks[-1] / peaks[0]
    print(f"  peak memory, largest vs smallest package: x{growth:.2f} for x{MEMORY_SIZES[-1] / MEMORY_SIZES[0]:.1f} "
          f"the size (limit x2.0)")
    return ratio >= 0.5 and growth <= 2.0


if __name__ == "__main__":
    sys.exit(0 if report() else 1)
