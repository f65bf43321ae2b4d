"""What the province sends down to a commune: decisions, signed receipts, catalogs."""

from __future__ import annotations

import pytest
from sqlmodel import select

from database.engine import read_session
from ocop_desktop.sync.exchange.export import export_package
from ocop_desktop.sync.exchange.importer import import_package
from tests.sync_fixtures import PASS, Pair, export_to_province, make_catalog_variant


def test_decisions_travel_down_to_the_commune(pair: Pair) -> None:
    from datetime import date

    from database.tables import Recognition
    from ocop_desktop.evaluation.recognition import record_legacy

    import_package(pair.province, export_to_province(pair, "1.ocsync", full=True))
    product_id = pair.product_id()
    record_legacy(pair.province, product_id, "QĐ 148/QĐ-TTg", "78", 4, "1234/QĐ-UBND", date(2026, 11, 20))
    down = export_package(pair.province, PASS, "30037", pair.tmp / "xuong.ocsync")
    assert down.kind == "decision" and down.counts == {"recognition": 1, "sync_receipt": 1}  # and its receipt
    report = import_package(pair.local, down.path)
    assert report.status == "imported" and report.tables["recognition"]["new"] == 1
    with read_session(pair.local.engine) as s:
        decision = s.exec(select(Recognition)).one()
    assert (decision.owner_unit, decision.stars, decision.product_id) == ("82", 4, product_id)



def test_a_signed_receipt_marks_the_package_delivered(pair: Pair) -> None:
    from ocop_desktop.sync.exchange.export import outbox

    sent = export_package(pair.local, PASS, "82", pair.tmp / "1.ocsync", full=True)
    assert [r.status for r in outbox(pair.local)] == ["sent"]
    import_package(pair.province, sent.path)
    receipt = export_package(pair.province, PASS, "30037", pair.tmp / "bien-nhan.ocsync", receipts_only=True)
    assert receipt.kind == "receipt" and receipt.counts == {"sync_receipt": 1}
    report = import_package(pair.local, receipt.path)
    assert report.tables["sync_receipt"]["new"] == 1
    [row] = outbox(pair.local)
    assert (row.sha256, row.status) == (sent.sha256, "acknowledged")
    # the decision package later carries nothing new for receipts; nothing is answered twice
    again = export_package(pair.province, PASS, "30037", pair.tmp / "2.ocsync")
    assert "sync_receipt" not in again.counts


def test_a_catalog_travels_down_and_is_kept_under_its_id(pair: Pair) -> None:
    from ocop_desktop.evaluation.catalog import available_catalogs, load_catalog
    from ocop_desktop.sync.exchange.catalogs import publish_catalog

    make_catalog_variant(pair.province.data_dir, "qd26-2026-sua1", "Bộ tiêu chí sửa đổi lần 1")
    publish_catalog(pair.province, "qd26-2026-sua1")
    down = export_package(pair.province, PASS, "30037", pair.tmp / "bo-tieu-chi.ocsync", catalogs_only=True)
    assert down.kind == "catalog" and down.counts == {"catalog_release": 1} and down.files == 1
    report = import_package(pair.local, down.path)
    assert report.status == "imported" and report.files_added == 1
    assert (pair.local.data_dir / "catalogs" / "qd26-2026-sua1.json").exists()
    assert "qd26-2026-sua1" in available_catalogs(pair.local.catalogs_dir)
    assert load_catalog("qd26-2026-sua1", pair.local.catalogs_dir).title == "Bộ tiêu chí sửa đổi lần 1"


def test_a_catalog_id_never_changes_content(pair: Pair) -> None:
    from ocop_desktop.sync.exchange.catalogs import publish_catalog

    make_catalog_variant(pair.province.data_dir, "qd26-2026-sua2", "Bản A")
    publish_catalog(pair.province, "qd26-2026-sua2")
    first = export_package(pair.province, PASS, "30037", pair.tmp / "a.ocsync", catalogs_only=True)
    import_package(pair.local, first.path)
    # the province (wrongly) edits the file behind the same id: the export refuses it
    make_catalog_variant(pair.province.data_dir, "qd26-2026-sua2", "Bản B")
    with pytest.raises(Exception) as info:
        export_package(pair.province, PASS, "30037", pair.tmp / "b.ocsync", catalogs_only=True, full=True)
    assert "không còn như khi công bố" in str(getattr(info.value, "message_vi", info.value))
