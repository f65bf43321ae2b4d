"""Sync package benchmarks (issue 5): export speed against the standard library, verification growth.

A commune office's store is built in bulk at three sizes (10,000, 30,000 and 100,000 products, a
producer for every four products, each product entered into a round with one submitted score
sheet). The baseline writes the same rows as JSON lines into a DEFLATE ZIP with ``sqlite3``,
``json`` and ``zipfile`` alone, in the same run. Our export does more: a consistent snapshot,
canonical lines, two hashes per member, signing, then the full read-back verification of §5.
"""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
import time
import zipfile
from pathlib import Path

from database.base import new_id
from database.migrate import DB_FILENAME, head_revision
from ocop_desktop.evaluation.catalog import load_catalog
from ocop_desktop.infra.jsontext import canonical
from ocop_desktop.installation.setup import init_installation
from ocop_desktop.store.context import open_context
from ocop_desktop.sync import trust
from ocop_desktop.sync.exchange.export import export_package
from ocop_desktop.sync.exchange.installation_view import verify_package
from ocop_desktop.sync.package.format import TABLES_BY_KIND
from ocop_desktop.sync.trust import keys

OUT = Path(__file__).resolve().parent / "out"
SIZES = (10_000, 30_000, 100_000)
PASS = "mật khẩu cho bench 2026"
UNIT = "30037"


def _stamp(device: str, counter: int, unit: str = UNIT) -> dict[str, object]:
    return {"owner_unit": unit, "origin_device": device, "version_vector": canonical({device: counter}),
            "updated_at": "2026-11-20 08:00:00.000000", "deleted": 0}


def _insert(conn: sqlite3.Connection, table: str, rows: list[dict[str, object]]) -> None:
    columns = list(rows[0])
    marks = ", ".join("?" for _ in columns)
    names = ", ".join(f'"{c}"' for c in columns)
    conn.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', [tuple(r[c] for c in columns) for r in rows])


def build(folder: Path, products: int, seed: int = 11, unit: str = UNIT) -> Path:
    """A commune store with ``products`` products, their producers, entries and score sheets."""
    rng = random.Random(seed)
    ctx = open_context(folder)
    inst = init_installation(ctx, unit, "local", "Bench")
    trust.create_device_key(ctx, PASS, keys.KdfParams.floor())
    ctx.close()
    device = inst.device_id
    catalog = load_catalog()
    counter = 0

    def stamp() -> dict[str, object]:
        nonlocal counter
        counter += 1
        return _stamp(device, counter, unit)

    conn = sqlite3.connect(folder / DB_FILENAME)
    producer_ids = [new_id() for _ in range(products // 4)]
    _insert(conn, "producer", [{
        "id": pid, **stamp(), "legal_type": rng.choice(["htx", "cty_tnhh", "ho_kd"]),
        "name": f"Hợp tác xã Sen Tháp Mười {i}", "registration_no": f"{i:010d}", "tax_code": None,
        "rep_name": "Nguyễn Thị Lan", "rep_gender": "nu", "rep_ethnicity": "Kinh", "rep_disability": 0,
        "phone": f"09{rng.randint(10**7, 10**8 - 1)}", "email": None, "province_code": "82", "commune_code": unit,
        "former_district_code": None, "address_detail": f"Ấp {i % 9 + 1}", "founded_year": 2000 + i % 25,
        "workforce": 5 + i % 40, "notes": None, "is_demo": 0, "search_key": f"hop tac xa sen thap muoi {i}",
    } for i, pid in enumerate(producer_ids)])
    round_id, council_id, member_id = new_id(), new_id(), new_id()
    _insert(conn, "evaluation_round", [{"id": round_id, **stamp(), "level": "province", "year": 2026, "number": 1,
                                        "title": "Đợt 1 năm 2026", "start_date": "2026-10-01", "end_date": None,
                                        "catalog_id": catalog.id, "status": "open"}])
    _insert(conn, "council", [{"id": council_id, **stamp(), "round_id": round_id, "name": "Hội đồng cấp xã",
                               "decision_no": "12/QĐ-UBND", "decision_date": "2026-09-20"}])
    _insert(conn, "council_member", [{"id": member_id, **stamp(), "council_id": council_id,
                                      "name": "Trần Văn Bình", "role": "chair", "organisation": "UBND xã",
                                      "position": 0}])
    product_rows, entry_rows, sheet_rows = [], [], []
    for i in range(products):
        pid, eid, product_set = new_id(), new_id(), rng.randint(1, 26)
        product_rows.append({"id": pid, **stamp(), "producer_id": producer_ids[i % len(producer_ids)],
                             "name": f"Trà tim sen sấy lạnh {i}", "product_set": product_set, "code": None,
                             "description": "Sản phẩm từ sen Tháp Mười, sấy lạnh, đóng hộp 200 g.",
                             "raw_material_origin": "Tháp Mười", "status": "evaluating", "star": None,
                             "decision_no": None, "decision_date": None, "certificate_no": None,
                             "certificate_date": None, "certificate_expiry": None, "is_demo": 0,
                             "search_key": f"tra tim sen say lanh {i}"})
        entry_rows.append({"id": eid, **stamp(), "round_id": round_id, "product_id": pid, "council_id": council_id,
                           "product_set": product_set, "dossier_type": "first", "review_no": None,
                           "review_date": None, "review_raw_material": None, "review_local_labour": None,
                           "review_idea_origin": None, "review_local_identity": None, "review_proposes": None,
                           "elimination_key": None, "elimination_text": None, "result_status": None,
                           "result_mean": None, "result_star": None, "result_explanation": None})
        cset = catalog.set(product_set)
        answers = {item.code: rng.randint(1, len(item.options)) for item in cset.items}
        sheet_rows.append({"id": new_id(), **stamp(), "entry_id": eid, "member_id": member_id,
                           "catalog_id": catalog.id, "catalog_hash": catalog.hash, "product_set": product_set,
                           "answers": json.dumps(answers, sort_keys=True, separators=(",", ":")),
                           "comment": None, "status": "submitted", "submitted_at": "2026-11-20 09:00:00.000000",
                           "superseded": 0})
    _insert(conn, "product", product_rows)
    _insert(conn, "round_entry", entry_rows)
    _insert(conn, "score_sheet", sheet_rows)
    conn.execute("UPDATE installation SET counter = ?", (counter,))
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return folder


def store(products: int, unit: str = UNIT) -> Path:
    folder = OUT / (f"sync-{products}" if unit == UNIT else f"sync-{unit}-{products}")
    stamp = folder / "HEAD"
    if stamp.exists() and stamp.read_text() == head_revision():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    build(folder, products, unit=unit)
    stamp.write_text(head_revision())
    return folder


def baseline(db: Path, target: Path) -> int:
    """The same rows as JSON lines in a DEFLATE ZIP, with the standard library alone."""
    conn = sqlite3.connect(db)
    rows = 0
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for table in TABLES_BY_KIND["upward-export"]:
            cursor = conn.execute(f'SELECT * FROM "{table}" WHERE owner_unit = ?', (UNIT,))
            names = [d[0] for d in cursor.description if d[0] != "search_key"]
            keep = [i for i, d in enumerate(cursor.description) if d[0] != "search_key"]
            with zf.open(f"records/{table}.jsonl", "w") as member:
                while batch := cursor.fetchmany(2000):
                    lines = [json.dumps(dict(zip(names, (r[i] for i in keep), strict=True)), ensure_ascii=False)
                             for r in batch]
                    member.write(("\n".join(lines) + "\n").encode("utf-8"))
                    rows += len(batch)
    conn.close()
    return rows


def province_for(folder: Path, *local_folders: Path) -> Path:
    """A province that has enrolled these communes (through files, as in the tests)."""
    shutil.rmtree(folder, ignore_errors=True)
    province = open_context(folder)
    init_installation(province, "82", "province", "Bench tỉnh")
    for local_folder in local_folders:
        local = open_context(local_folder, full_check=False)
        request = trust.export_enrolment_request(local, PASS, folder / "enrol.json")
        trust.accept_enrolment(province, request, trust.read_enrolment_request(request).grouped)
        local.close()
    province.close()
    return folder


def report() -> bool:
    ok = True
    verify_rates = []
    for size in SIZES:
        t = time.perf_counter()
        folder = store(size)
        prepared = time.perf_counter() - t
        work = OUT / f"sync-work-{size}"
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        local = work / "local"
        shutil.copytree(folder, local)
        base_times, our_times = [], []
        rows = 0
        package = work / "goi.ocsync"
        for _attempt in range(3 if size == SIZES[-1] else 1):  # interleaved: load on the machine hits both alike
            t = time.perf_counter()
            rows = baseline(local / DB_FILENAME, work / "baseline.zip")
            base_times.append(time.perf_counter() - t)
            ctx = open_context(local, full_check=False)
            t = time.perf_counter()
            export_package(ctx, PASS, "82", package, full=True)
            our_times.append(time.perf_counter() - t)
            ctx.close()
            if size == SIZES[-1]:
                shutil.rmtree(local / "outbox", ignore_errors=True)
        base, ours = min(base_times), min(our_times)
        size_mb = package.stat().st_size / 1e6
        province = province_for(work / "province", local)
        ctx = open_context(province, full_check=False)
        t = time.perf_counter()
        verified = verify_package(ctx, package)
        took = time.perf_counter() - t
        ctx.close()
        assert sum(verified.counts.values()) == rows
        verify_rates.append((size, size_mb, took))
        ratio = base / ours
        print(f"sync export, {size:,} products ({rows:,} records, {size_mb:.1f} MB; store built in {prepared:.0f} s): "
              f"ours {ours:.2f} s incl. signing and read-back verification, stdlib JSONL+zip {base:.2f} s, "
              f"rate ratio {ratio:.2f}" + (" (limit >= 0.50)" if size == SIZES[-1] else ""))
        if size == SIZES[-1]:
            ok = ok and ratio >= 0.5
    smallest = verify_rates[0]
    for size, mb, took in verify_rates:
        per_mb = took / mb
        print(f"verify at the province, {size:,} products: {took:.2f} s for {mb:.1f} MB = {per_mb:.3f} s/MB, "
              f"{took / size * 1e6:.1f} µs per product; growth vs smallest: size x{mb / smallest[1]:.1f}, "
              f"time x{took / smallest[2]:.1f}")
    first_rate, last_rate = smallest[2] / smallest[1], verify_rates[-1][2] / verify_rates[-1][1]
    linear = last_rate / first_rate
    print(f"verification time per MB, largest vs smallest: {linear:.2f} (1.00 = linear; limit <= 1.50)")
    return ok and linear <= 1.5
