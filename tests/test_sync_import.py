"""Importing packages at the province: the dry run, version vectors, the conflicts queue and its
resolution, producers flagged as duplicates."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from database.engine import read_session
from database.tables import Producer, Product, SyncConflict, SyncLedger
from ocop_desktop.records.listing import ListRequest
from ocop_desktop.registry.attachments import blob_path
from ocop_desktop.registry.products import get_product, product_count, save_product
from ocop_desktop.sync.exchange.applier import compare
from ocop_desktop.sync.exchange.export import export_package
from ocop_desktop.sync.exchange.importer import import_package, preview_import
from tests.package_builder import PackageBuilder
from tests.sync_fixtures import PASS, Pair, db_digest, edit_on_both_sides, export_to_province


def test_compare_version_vectors() -> None:
    assert compare({"a": 2}, {"a": 1}) == "newer"
    assert compare({"a": 1}, {"a": 2}) == "older"
    assert compare({"a": 1, "b": 1}, {"a": 1, "b": 1}) == "equal"
    assert compare({"a": 2}, {"a": 1, "b": 1}) == "concurrent"
    assert compare({"a": 1, "b": 1}, {}) == "newer"


def test_dry_run_then_import_then_reimport_is_a_no_op(pair: Pair) -> None:
    package = export_to_province(pair, "1.ocsync", full=True)
    before = db_digest(pair.province)
    preview = preview_import(pair.province, package)
    assert preview.status == "preview"
    assert {t: c["new"] for t, c in preview.tables.items()} == {"producer": 1, "product": 1, "attachment": 1}
    assert db_digest(pair.province) == before  # the dry run writes nothing
    report = import_package(pair.province, package)
    assert report.status == "imported" and report.files_added == 1 and report.backup and report.backup.exists()
    with read_session(pair.province.engine) as s:
        product = s.exec(select(Product)).one()
        ledger = s.get(SyncLedger, report.verified.sha256)
        assert product.owner_unit == "30037" and ledger is not None and ledger.status == "imported"
        s.exec(select(Producer)).one()  # the producer came with it
        sha = report.verified.manifest["files"][-1]["path"].removeprefix("files/")
    assert blob_path(pair.province, sha).exists()
    assert product_count(pair.province, ListRequest(search="tra tim sen")) == 1  # the folded search finds it
    after = db_digest(pair.province)
    again = import_package(pair.province, package)
    assert again.status == "already" and db_digest(pair.province) == after


def test_concurrent_edits_go_to_the_conflicts_queue(pair: Pair) -> None:
    import_package(pair.province, export_to_province(pair, "1.ocsync", full=True))
    product_id = edit_on_both_sides(pair)
    report = import_package(pair.province, export_to_province(pair, "2.ocsync"))
    assert report.tables["product"]["conflicts"] == 1
    assert report.conflicts[0][0] == "product" and "description" in report.conflicts[0][2]
    assert get_product(pair.province, product_id).description == "Sửa ở tỉnh"  # nothing overwritten
    with read_session(pair.province.engine) as s:
        conflict = s.exec(select(SyncConflict)).one()
        assert "Sửa ở xã" in conflict.incoming_row and "Sửa ở tỉnh" in conflict.local_row


def test_another_units_producer_with_the_same_registration_number_is_flagged(pair: Pair) -> None:
    from ocop_desktop.registry.producers import ProducerData, save_producer
    from tests.sync_fixtures import enrol, make_installation

    import_package(pair.province, export_to_province(pair, "1.ocsync", full=True))
    other = make_installation(pair.tmp / "xa2", "30046", "local", "Cán bộ xã khác")
    enrol(other, pair.province, pair.tmp)
    twin = save_producer(other, ProducerData(name="HTX khác", legal_type="htx", commune_code="30046",
                                             registration_no="1402-HTX-0001"))
    save_producer(other, ProducerData(name="HTX thứ ba", legal_type="htx", commune_code="30046",
                                      registration_no="9999-HTX-0009"))
    save_producer(other, ProducerData(name="HTX không số", legal_type="htx", commune_code="30046"))
    package = export_package(other, PASS, "82", pair.tmp / "2.ocsync", full=True).path
    other.close()
    preview = preview_import(pair.province, package)
    assert preview.duplicates == 1
    report = import_package(pair.province, package, preview=preview)
    assert report.duplicates == 1
    with pair.province.engine.connect() as conn:
        [first] = conn.exec_driver_sql("SELECT id FROM producer WHERE owner_unit = '30037'").scalars()
        rows = conn.exec_driver_sql("SELECT table_name, record_id, other_id, reason FROM sync_duplicate").all()
    assert [tuple(r) for r in rows] == [("producer", twin, first, "registration_no")]


def test_every_product_search_key_names_its_producer_past_a_batch(pair: Pair) -> None:
    """Products come after all their producers are applied, also when producers fill more than a batch."""
    from ocop_desktop.sync.exchange.applier import BATCH

    builder = PackageBuilder.from_package(export_to_province(pair, "base.ocsync", full=True), pair.local_key())
    producer, product = builder.records["producer"][0], builder.records["product"][0]
    count = BATCH + BATCH // 2
    builder.records = {
        "producer": [{**producer, "id": f"{i:032x}", "name": f"Hợp tác xã {i}", "registration_no": None}
                     for i in range(count)],
        "product": [{**product, "id": f"{count + i:032x}", "producer_id": f"{count - 1 - i:032x}",
                     "name": f"Trà {i}"} for i in range(count)]}  # the first products name the last producers
    builder.files = {}
    package = pair.tmp / "many.ocsync"
    package.write_bytes(builder.build())
    assert import_package(pair.province, package).status == "imported"
    with pair.province.engine.connect() as conn:
        keys = conn.exec_driver_sql("SELECT p.search_key, r.name FROM product p JOIN producer r ON r.id = p.producer_id"
                                    " WHERE p.name LIKE 'Trà %'").all()
    assert len(keys) == count
    assert [k for k, name in keys if f"hop tac xa {name.split()[-1]}" not in k] == []


@pytest.mark.parametrize("keep", ["local", "incoming"])
def test_a_conflict_is_resolved_once_and_audited(pair: Pair, keep: str) -> None:
    from ocop_desktop.records.audit import history
    from ocop_desktop.sync.exchange.conflicts import open_conflicts, resolve_conflict, view_conflict

    test_concurrent_edits_go_to_the_conflicts_queue(pair)
    [conflict] = open_conflicts(pair.province)
    shown = view_conflict(pair.province, conflict.id or 0)
    description = next(f for f in shown.fields if f.name == "description")
    assert (description.local, description.incoming, description.differs) == ("Sửa ở tỉnh", "Sửa ở xã", True)
    assert shown.fields[-1].name in ("deleted", "updated_at", "version_vector", "owner_unit", "origin_device")
    resolve_conflict(pair.province, conflict.id or 0, keep, "đã gọi điện cho xã")
    product_id = conflict.record_id
    expected = "Sửa ở xã" if keep == "incoming" else "Sửa ở tỉnh"
    assert get_product(pair.province, product_id).description == expected
    assert open_conflicts(pair.province) == []
    assert history(pair.province.engine, product_id)[-1].action == "resolve"
    # the resolved version dominates both versions of the conflict: either one again is older
    from ocop_desktop.sync.package.record_codec import check_version_vector

    with read_session(pair.province.engine) as s:
        row = s.get(Product, product_id)
        assert row is not None
        resolved = check_version_vector("product", {"id": product_id, "version_vector": row.version_vector})
    for side in (conflict.local_row, conflict.incoming_row):
        assert compare(resolved, check_version_vector("product", json.loads(side))) == "newer"


def test_a_file_changed_after_the_dry_run_is_not_imported(pair: Pair) -> None:
    from ocop_desktop.infra.errors import OcopError

    package = export_to_province(pair, "1.ocsync", full=True)
    preview = preview_import(pair.province, package)
    data = get_product(pair.local, pair.product_id())
    data.name = "Tên khác"
    save_product(pair.local, data)
    other = export_package(pair.local, PASS, "82", pair.tmp / "other.ocsync", full=True).path
    package.write_bytes(other.read_bytes())  # swapped on the stick after the officer looked
    before = db_digest(pair.province)
    with pytest.raises(OcopError) as info:
        import_package(pair.province, package, preview=preview)
    assert "đã thay đổi" in info.value.message_vi
    assert db_digest(pair.province) == before
