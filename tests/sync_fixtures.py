"""A commune office and its province, enrolled with each other through files, with a little data;
and the helpers the sync tests share: a database digest, exports either way, trust chains."""

from __future__ import annotations

import hashlib
import json
import shutil
import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from database.engine import write_session
from database.tables import Product
from ocop_desktop import records
from ocop_desktop.evaluation import recognition
from ocop_desktop.installation.setup import init_installation
from ocop_desktop.records.stamping import current_installation
from ocop_desktop.registry.attachments import add_attachment
from ocop_desktop.registry.producers import ProducerData, save_producer
from ocop_desktop.registry.products import ProductData, get_product, save_product
from ocop_desktop.store.context import AppContext, open_context
from ocop_desktop.sync.exchange.export import export_package
from ocop_desktop.sync.trust import enrolment as trust
from ocop_desktop.sync.trust import keys
from ocop_desktop.sync.trust import updates as trust_updates
from tests.package_builder import PackageBuilder

FAST = keys.KdfParams.floor()
PASS = "mật khẩu của cán bộ 2026"
ROOT_PASS = "mật khẩu khóa gốc của tỉnh, cất riêng"


def tiny_png(width: int = 2, height: int = 2) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


@dataclass
class Pair:
    local: AppContext
    province: AppContext
    tmp: Path

    def local_key(self) -> Ed25519PrivateKey:
        return keys.open_key(trust.device_key_path(self.local), PASS)

    def province_key(self) -> Ed25519PrivateKey:
        return keys.open_key(trust.device_key_path(self.province), PASS)

    def product_id(self) -> str:
        """The commune's one sample product."""
        from sqlmodel import select

        from database.engine import read_session
        from database.tables import Product

        with read_session(self.local.engine) as s:
            return s.exec(select(Product)).one().id


def make_installation(folder: Path, unit: str, level: str, officer: str, *, demo: bool = False) -> AppContext:
    ctx = open_context(folder)
    init_installation(ctx, unit, level, officer, is_demo=demo)
    trust.create_device_key(ctx, PASS, FAST)
    if level == "province":
        trust_updates.init_root(ctx, ROOT_PASS, FAST)
    return ctx


def enrol(local: AppContext, province: AppContext, tmp: Path) -> None:
    """Both directions, through files alone, with the fingerprints compared 'over the phone'."""
    request = trust.export_enrolment_request(local, PASS, tmp / f"enrol-{local.require_installation().unit_code}.json")
    trust.accept_enrolment(province, request, trust.read_enrolment_request(request).grouped)
    publish_pending(province)
    province_file = trust_updates.export_chain(province, tmp / "tinh.ocoptrust")
    trust_updates.import_trust(local, province_file, trust_updates.genesis(province))  # read out by the province


def publish_pending(province: AppContext) -> None:
    """Sign the province's trust changes, if any, as the next version (what province-export does)."""
    if trust_updates.pending_changes(province):
        trust_updates.publish(province, root_signers(province))


def root_signers(province: AppContext) -> list[trust_updates.Signer]:
    """The province's root keys kept beside it in the tests (one, 1 of 1, as a new deployment)."""
    return [trust_updates.Signer(path, ROOT_PASS) for path in trust_updates.root_key_paths(province)]


def add_sample_data(ctx: AppContext, tmp: Path) -> tuple[str, str]:
    producer = save_producer(ctx, ProducerData(name="HTX Sen Tháp Mười", legal_type="htx", commune_code="30037",
                                               registration_no="1402-HTX-0001"))
    product = save_product(ctx, ProductData(producer_id=producer, name="Trà tim sen", product_set=7))
    photo = tmp / "nhan-san-pham.png"
    photo.write_bytes(tiny_png())
    add_attachment(ctx, "product", product, photo)
    return producer, product


@pytest.fixture(scope="session")
def pair_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two enrolled installations with sample data, built once per run (keys and all); tests copy it."""
    folder = tmp_path_factory.mktemp("pair-template")
    local = make_installation(folder / "xa", "30037", "local", "Cán bộ xã Tháp Mười")
    province = make_installation(folder / "tinh", "82", "province", "Cán bộ Sở NN&MT")
    enrol(local, province, folder)
    add_sample_data(local, folder)
    for ctx in (local, province):
        with ctx.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        ctx.close()
    return folder


@pytest.fixture
def pair(pair_template: Path, tmp_path: Path) -> Iterator[Pair]:
    for name in ("xa", "tinh"):
        shutil.copytree(pair_template / name, tmp_path / name)
    local, province = open_context(tmp_path / "xa"), open_context(tmp_path / "tinh")
    yield Pair(local, province, tmp_path)
    local.close()
    province.close()


@pytest.fixture
def base_package(pair: Pair) -> tuple[PackageBuilder, Pair]:
    """A builder holding the commune's full package to the province, for tests that break it."""
    result = export_package(pair.local, PASS, "82", pair.tmp / "goc.ocsync", full=True)
    return PackageBuilder.from_package(result.path, pair.local_key()), pair


def db_digest(ctx: AppContext) -> str:
    """Every row of every table, in order: equal digests mean an unchanged database."""
    digest = hashlib.sha256()
    with ctx.engine.connect() as conn:
        tables = [r[0] for r in conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        for table in tables:
            for row in conn.exec_driver_sql(f'SELECT * FROM "{table}" ORDER BY 1'):
                digest.update(repr((table, tuple(row))).encode())
    return digest.hexdigest()


def export_to_province(pair: Pair, name: str, full: bool = False) -> Path:
    """The commune's next package to the province, written in the pair's folder."""
    return export_package(pair.local, PASS, "82", pair.tmp / name, full=full).path


def decision_to_commune(pair: Pair, name: str) -> Path:
    """A recognition decision recorded at the province for the commune's product, exported down to it."""
    recognition.record_legacy(pair.province, pair.product_id(), "QĐ 148/2023/QĐ-TTg", "75", 4, f"{name}/QĐ-UBND",
                              date(2026, 10, 29))
    return export_package(pair.province, PASS, "30037", pair.tmp / f"{name}.ocsync").path


def export_trust_chain(pair: Pair, name: str) -> Path:
    """The province's trust chain, after signing any pending changes, as a file in the pair's folder."""
    publish_pending(pair.province)
    return trust_updates.export_chain(pair.province, pair.tmp / name)


def make_catalog_variant(ctx_dir: Path, catalog_id: str, title: str) -> None:
    """A catalog the province holds besides the bundled one (the same criteria, a new id and title)."""
    from ocop_desktop.evaluation.catalog import catalog_path

    source = catalog_path("qd26-2026")
    assert source is not None
    document = json.loads(source.read_text(encoding="utf-8"))
    document["id"], document["title"] = catalog_id, title
    (ctx_dir / "catalogs").mkdir(exist_ok=True)
    (ctx_dir / "catalogs" / f"{catalog_id}.json").write_text(json.dumps(document, ensure_ascii=False),
                                                             encoding="utf-8")


def edit_on_both_sides(pair: Pair, province_text: str = "Sửa ở tỉnh", commune_text: str = "Sửa ở xã") -> str:
    """The sample product's description changed at the province and at the commune since package 1,
    so the commune's next package conflicts at the province; returns the product's id."""
    product_id = pair.product_id()
    with write_session(pair.province.engine) as s:  # an edit made at the province (a second device)
        row = s.get(Product, product_id)
        assert row is not None
        records.update(s, current_installation(s), row, {"description": province_text})
    data = get_product(pair.local, product_id)
    data.description = commune_text
    save_product(pair.local, data)
    return product_id
