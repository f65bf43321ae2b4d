"""A national-scale store for the benchmarks: 25,000 producers and 100,000 products.

Rows are written in bulk (no audit entries: this is synthetic load, not officers' work) with the
same search keys the use cases build, then the full-text index is rebuilt. The result is cached in
``bench/out/national`` and reused while the schema head is unchanged.
"""

from __future__ import annotations

import random
import shutil
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import insert

from database import search_index
from database.base import new_id
from database.engine import write_session
from database.migrate import head_revision
from database.tables import Producer, Product
from ocop_desktop.installation.demo import DISTRICTS, SURNAMES
from ocop_desktop.installation.setup import init_installation
from ocop_desktop.language.formats import add_months
from ocop_desktop.records.search_keys import producer_key, product_key
from ocop_desktop.store.context import open_context

OUT = Path(__file__).resolve().parent / "out"
PRODUCERS, PRODUCTS = 25_000, 100_000
WORDS = ("Sen", "Quýt", "Xoài", "Mật ong", "Gạo", "Nem", "Khô cá", "Trà", "Bánh phồng", "Hoa", "Nấm", "Mắm",
         "Rượu", "Dừa", "Bưởi", "Cà phê", "Chè", "Tiêu", "Điều", "Ca cao", "Thủ công", "Lụa", "Cói", "Tre")


def build(folder: Path, seed: int = 7) -> Path:
    rng = random.Random(seed)
    ctx = open_context(folder)
    init_installation(ctx, "82", "province", "Bench")
    inst = ctx.require_installation()
    units = ctx.units()
    communes = list(units.communes)
    items = [name for _, _, specials in DISTRICTS.values() for name, _ in specials]
    producers: list[dict[str, object]] = []
    for i in range(PRODUCERS):
        commune = rng.choice(communes)
        values: dict[str, object] = {
            "id": new_id(), "name": f"{rng.choice(['Hợp tác xã', 'Công ty TNHH', 'Cơ sở'])} "
                                    f"{rng.choice(WORDS)} {rng.choice(SURNAMES)} {i}",
            "legal_type": rng.choice(["htx", "cty_tnhh", "ho_kd"]), "registration_no": f"{i:010d}",
            "rep_name": f"{rng.choice(SURNAMES)} Văn {rng.choice(WORDS)}", "phone": f"09{rng.randint(10**7, 10**8 - 1)}",
            "province_code": "82", "commune_code": commune, "owner_unit": "82", "origin_device": inst.device_id,
            "version_vector": "{}", "deleted": False, "rep_disability": False, "is_demo": False,
        }
        values["search_key"] = producer_key(values, units)
        producers.append(values)
    products: list[dict[str, object]] = []
    for i in range(PRODUCTS):
        p = producers[i % PRODUCERS]
        name = f"{rng.choice(items)} {rng.choice(WORDS).lower()} {i}"
        year = rng.randint(2019, 2026)
        issued = date(year, 1, 1) + timedelta(days=rng.randint(0, 300))
        star = rng.choices([None, 3, 4, 5], [20, 60, 18, 2])[0]
        code = f"82-{p['commune_code']}-{i}-{year}"
        products.append({
            "id": new_id(), "producer_id": p["id"], "name": name, "product_set": rng.randint(1, 26), "code": code,
            "status": "recognised" if star else "registered", "star": star,
            "certificate_date": issued if star else None,
            "certificate_expiry": add_months(issued, 36) if star else None,
            "search_key": product_key(name, code, str(p["name"]), units.unit_name(str(p["commune_code"]))),
            "owner_unit": "82", "origin_device": inst.device_id, "version_vector": "{}", "deleted": False,
            "is_demo": False,
        })
    with write_session(ctx.engine) as s:
        s.execute(insert(Producer), producers)
        s.execute(insert(Product), products)
    with ctx.engine.begin() as conn:
        search_index.rebuild(conn)
    with ctx.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.exec_driver_sql("ANALYZE")
    ctx.close()
    return folder


def national_store() -> Path:
    """The cached national store, rebuilt when the schema changed."""
    folder = OUT / "national"
    stamp = folder / "HEAD"
    if stamp.exists() and stamp.read_text() == head_revision():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    build(folder)
    stamp.write_text(head_revision())
    return folder
