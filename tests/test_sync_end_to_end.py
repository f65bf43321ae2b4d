"""Twelve local offices and their province, end to end through files: enrol, record, score, export,
import, a conflict and its resolution, receipts, decisions and a catalog back down, and a revocation
reaching every office in one trust file, with every count checked."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlmodel import select

from database.base import SyncedRow
from database.engine import read_session, write_session
from database.tables import Producer, Product, Recognition, ScoreSheet
from ocop_desktop.evaluation import rounds as evaluation
from ocop_desktop.evaluation import sheets
from ocop_desktop.evaluation.catalog import load_catalog
from ocop_desktop.evaluation.recognition import record_legacy
from ocop_desktop.records import write as records
from ocop_desktop.records.listing import ListRequest
from ocop_desktop.records.stamping import current_installation
from ocop_desktop.registry.producers import ProducerData, save_producer
from ocop_desktop.registry.products import ProductData, get_product, product_count, save_product
from ocop_desktop.reports.stats import summary
from ocop_desktop.store.context import AppContext
from ocop_desktop.sync.exchange.conflicts import open_conflicts, resolve_conflict
from ocop_desktop.sync.exchange.consolidation import consolidation
from ocop_desktop.sync.exchange.export import export_package, outbox
from ocop_desktop.sync.exchange.importer import import_package
from ocop_desktop.sync.package.rejections import PackageRejected
from ocop_desktop.sync.trust import enrolment as trust
from ocop_desktop.sync.trust import keys
from ocop_desktop.sync.trust import updates as trust_updates
from tests.scoring_helpers import answers_for
from tests.sync_fixtures import PASS, enrol, make_installation, root_signers

COMMUNES = ["28249", "28261", "28270", "28273", "28285", "28297", "28306", "28315", "28321", "28327", "28336",
            "28345"]
PRODUCERS, PRODUCTS, MEMBERS = 3, 5, 3


def record_and_score(ctx: AppContext, unit: str) -> list[str]:
    """A few producers and products, and one product scored by a council of three."""
    products = []
    for i in range(PRODUCERS):
        producer = save_producer(ctx, ProducerData(name=f"HTX {unit} số {i}", legal_type="htx", commune_code=unit))
        for j in range(PRODUCTS if i == 0 else 0):
            products.append(save_product(ctx, ProductData(producer_id=producer, name=f"Sản phẩm {unit}-{j}",
                                                          product_set=7)))
    rnd = evaluation.create_round(ctx, 2026, 1, "province", f"Đợt 1 năm 2026 ({unit})", date(2026, 10, 1),
                                  date(2026, 12, 1))
    council = evaluation.create_council(ctx, rnd, "Hội đồng", "1/QĐ-UBND", date(2026, 9, 1),
                                        [("Chủ tịch", "chair", "UBND"), ("Thành viên", "member", "UBND"),
                                         ("Thư ký", "secretary", "UBND")])
    entry = evaluation.add_entry(ctx, rnd, products[0], council, "first")
    cset = load_catalog().set(7)
    for member in evaluation.get_council(ctx, council).members:
        sheet = sheets.start_sheet(ctx, entry, member.id)
        for code, option in answers_for(cset, 75).items():
            sheets.save_answer(ctx, sheet, code, option)
        sheets.submit_sheet(ctx, sheet)
    return products


def consolidation_conflicts(ctx: AppContext) -> int:
    return sum(r.conflicts for r in consolidation(ctx))


def count(ctx: AppContext, model: type[SyncedRow], unit: str | None = None) -> int:
    with read_session(ctx.engine) as s:
        rows = s.exec(select(model)).all()
    return sum(1 for r in rows if unit is None or r.owner_unit == unit)


def test_twelve_offices_and_their_province(tmp_path: Path) -> None:
    province = make_installation(tmp_path / "tinh", "82", "province", "Cán bộ Sở")
    offices: dict[str, AppContext] = {}
    products: dict[str, list[str]] = {}
    for unit in COMMUNES:
        office = make_installation(tmp_path / unit, unit, "local", f"Cán bộ xã {unit}")
        enrol(office, province, tmp_path)
        offices[unit] = office
        products[unit] = record_and_score(office, unit)

    # every office sends everything up; the province imports each package
    for unit, office in offices.items():
        sent = export_package(office, PASS, "82", tmp_path / f"{unit}-1.ocsync", full=True)
        assert sent.counts["producer"] == PRODUCERS and sent.counts["score_sheet"] == MEMBERS
        report = import_package(province, sent.path)
        assert report.status == "imported"
        assert {t: c["new"] for t, c in report.tables.items()} == sent.counts
    assert count(province, Producer) == PRODUCERS * 12
    assert count(province, Product) == PRODUCTS * 12
    assert count(province, ScoreSheet) == MEMBERS * 12
    assert product_count(province, ListRequest(search="san pham 28249")) == PRODUCTS  # merged into the lists
    rows = {r.unit: r for r in consolidation(province)}
    assert len(rows) == 12
    assert all(r.last_seq == 1 and r.records["product"] == PRODUCTS and r.records["score_sheet"] == MEMBERS
               and r.waiting == 0 and r.conflicts == 0 for r in rows.values())

    # a concurrent edit at the province and at office 1 becomes a conflict, then is resolved
    first, product_id = COMMUNES[0], products[COMMUNES[0]][0]
    with write_session(province.engine) as s:
        row = s.get(Product, product_id)
        assert row is not None
        records.update(s, current_installation(s), row, {"description": "Tỉnh sửa"})
    data = get_product(offices[first], product_id)
    data.description = "Xã sửa"
    save_product(offices[first], data)
    second = export_package(offices[first], PASS, "82", tmp_path / f"{first}-2.ocsync")
    assert second.counts == {"product": 1}
    assert import_package(province, second.path).conflict_count == 1
    assert {r.unit: r.conflicts for r in consolidation(province)}[first] == 1
    [conflict] = open_conflicts(province)
    resolve_conflict(province, conflict.id or 0, "incoming", "xã xác nhận")
    assert get_product(province, product_id).description == "Xã sửa"

    # decisions and receipts go back down; each office's outbox shows its packages received
    decided = products[COMMUNES[1]][0]
    record_legacy(province, decided, "QĐ 26/2026/QĐ-TTg", "75", 3, "99/QĐ-UBND", date(2026, 11, 25))
    for unit, office in offices.items():
        down = export_package(province, PASS, unit, tmp_path / f"xuong-{unit}.ocsync")
        expected = {"sync_receipt": 2 if unit == first else 1}
        if unit == COMMUNES[1]:
            expected["recognition"] = 1
        assert down.counts == expected
        assert import_package(office, down.path).status == "imported"
        assert {r.status for r in outbox(office)} == {"acknowledged"}
    # and a new criteria catalog, to every office
    from ocop_desktop.sync.exchange.catalogs import publish_catalog
    from tests.sync_fixtures import make_catalog_variant

    make_catalog_variant(province.data_dir, "qd26-2026-e2e", "Bộ tiêu chí thử nghiệm")
    publish_catalog(province, "qd26-2026-e2e")
    for unit, office in offices.items():
        down = export_package(province, PASS, unit, tmp_path / f"bo-{unit}.ocsync", catalogs_only=True)
        assert down.counts == {"catalog_release": 1} and down.files == 1
        assert import_package(office, down.path).files_added == 1
        assert (office.data_dir / "catalogs" / "qd26-2026-e2e.json").exists()
    assert count(offices[COMMUNES[1]], Recognition) == 1
    assert count(offices[COMMUNES[0]], Recognition) == 0
    with read_session(offices[COMMUNES[1]].engine) as s:
        decision = s.exec(select(Recognition)).one()
    assert (decision.product_id, decision.stars, decision.owner_unit) == (decided, 3, "82")
    shown = get_product(offices[COMMUNES[1]], decided)  # the decision shows on the commune's product
    assert (shown.status, shown.star, shown.certificate_expiry) == ("recognised", 3, date(2029, 11, 25))
    # and the commune's next edit of it goes up without a conflict; the province still counts it
    shown.description = "Xã cập nhật sau quyết định"
    save_product(offices[COMMUNES[1]], shown)
    third = export_package(offices[COMMUNES[1]], PASS, "82", tmp_path / f"{COMMUNES[1]}-2.ocsync")
    assert third.counts["product"] == 1
    assert import_package(province, third.path).conflict_count == 0
    assert (get_product(province, decided).status, consolidation_conflicts(province)) == ("recognised", 0)
    assert summary(province)["by_stars"] == {"3": 1, "4": 0, "5": 0}
    # a laptop is lost: the province revokes its key, and one trust file brings every office level
    lost = COMMUNES[2]
    kept = count(province, Product, lost)
    unsent = export_package(offices[lost], PASS, "82", tmp_path / "chua-gui.ocsync", full=True)
    trust.revoke_key(province, keys.read_header(trust.device_key_path(offices[lost]).read_bytes())[2].key_id,
                     "Máy tính bị mất")
    version = trust_updates.publish(province, root_signers(province))
    chain = trust_updates.export_chain(province, tmp_path / "tin-cay.ocoptrust")
    for unit, office in offices.items():
        update = trust_updates.import_trust(office, chain)
        assert (update.after, update.own_key_revoked) == (version.version, unit == lost)
    with pytest.raises(PackageRejected) as info:
        import_package(province, unsent.path)
    assert info.value.code == "KEY_REVOKED"
    assert count(province, Product, lost) == kept > 0  # what it sent before stays
    for ctx in (province, *offices.values()):
        ctx.close()
