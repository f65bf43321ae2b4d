"""Importing packages at the province: dry run, one transaction, version vectors, conflicts, faults."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlmodel import select

from database.engine import read_session, write_session
from database.tables import Producer, Product, SyncConflict, SyncLedger
from ocop_desktop.records import write as records
from ocop_desktop.records.listing import ListRequest
from ocop_desktop.records.stamping import current_installation
from ocop_desktop.registry.attachments import blob_path
from ocop_desktop.registry.products import get_product, product_count, save_product
from ocop_desktop.sync.exchange.export import export_package
from ocop_desktop.sync.exchange.importer import FaultPlan, InjectedFault, compare, import_package, preview_import
from ocop_desktop.sync.package.rejections import PackageRejected
from tests.package_builder import PackageBuilder
from tests.sync_fixtures import PASS, Pair
from tests.test_sync_bad_inputs import db_digest

ROOT = Path(__file__).resolve().parent.parent


def _export(pair: Pair, name: str, full: bool = False) -> Path:
    return export_package(pair.local, PASS, "82", pair.tmp / name, full=full).path


def test_compare_version_vectors() -> None:
    assert compare({"a": 2}, {"a": 1}) == "newer"
    assert compare({"a": 1}, {"a": 2}) == "older"
    assert compare({"a": 1, "b": 1}, {"a": 1, "b": 1}) == "equal"
    assert compare({"a": 2}, {"a": 1, "b": 1}) == "concurrent"
    assert compare({"a": 1, "b": 1}, {}) == "newer"


def test_dry_run_then_import_then_reimport_is_a_no_op(pair: Pair) -> None:
    package = _export(pair, "1.ocsync", full=True)
    before = db_digest(pair.province)
    preview = preview_import(pair.province, package)
    assert preview.status == "preview"
    assert {t: c["new"] for t, c in preview.tables.items()} == {"producer": 1, "product": 1, "attachment": 1}
    assert db_digest(pair.province) == before  # the dry run writes nothing
    report = import_package(pair.province, package)
    assert report.status == "imported" and report.files_added == 1 and report.backup and report.backup.exists()
    with read_session(pair.province.engine) as s:
        product = s.exec(select(Product)).one()
        assert product.owner_unit == "30037" and s.get(SyncLedger, report.verified.sha256).status == "imported"
        sha = s.exec(select(Producer)).one() and report.verified.manifest["files"][-1]["path"].removeprefix("files/")
    assert blob_path(pair.province, sha).exists()
    assert product_count(pair.province, ListRequest(search="tra tim sen")) == 1  # the folded search finds it
    after = db_digest(pair.province)
    again = import_package(pair.province, package)
    assert again.status == "already" and db_digest(pair.province) == after


def test_changes_apply_in_order_and_a_gap_waits(pair: Pair) -> None:
    first = _export(pair, "1.ocsync", full=True)
    product_id = pair.product_id()
    data = get_product(pair.local, product_id)
    data.name = "Trà tim sen sấy lạnh"
    save_product(pair.local, data)
    second = _export(pair, "2.ocsync")
    assert import_package(pair.province, second).status == "quarantined"  # #1 not yet imported
    assert (pair.province.data_dir / "inbox" / "quarantine").is_dir()
    report = import_package(pair.province, first)
    assert report.status == "imported"
    [released] = report.released  # #2 waited for #1 and follows by itself
    assert released.status == "imported" and released.tables["product"]["updated"] == 1
    assert import_package(pair.province, second).status == "already"
    assert get_product(pair.province, product_id).name == "Trà tim sen sấy lạnh"
    with pytest.raises(PackageRejected) as info:  # another #1 from the same device: an alert
        _sequence_replay(pair, first)
    assert info.value.code == "EQUIVOCATION"
    from ocop_desktop.records.audit import history
    [alert] = history(pair.province.engine, "replay.ocsync")
    assert alert.action == "reject" and "EQUIVOCATION" in (alert.after or "")




def _sequence_replay(pair: Pair, first: Path) -> None:
    # the same bytes as #1 are "already imported"; a re-signed #1 with other content is older than #2
    builder = PackageBuilder.from_package(first, pair.local_key())
    builder.manifest["package_id"] = "f" * 32
    (pair.tmp / "replay.ocsync").write_bytes(builder.build())
    import_package(pair.province, pair.tmp / "replay.ocsync")


def test_concurrent_edits_go_to_the_conflicts_queue(pair: Pair) -> None:
    import_package(pair.province, _export(pair, "1.ocsync", full=True))
    product_id = pair.product_id()
    with write_session(pair.province.engine) as s:  # an edit made at the province (a second device)
        row = s.get(Product, product_id)
        records.update(s, current_installation(s), row, {"description": "Sửa ở tỉnh"})
    data = get_product(pair.local, product_id)
    data.description = "Sửa ở xã"
    save_product(pair.local, data)
    report = import_package(pair.province, _export(pair, "2.ocsync"))
    assert report.tables["product"]["conflicts"] == 1
    assert report.conflicts[0][0] == "product" and "description" in report.conflicts[0][2]
    assert get_product(pair.province, product_id).description == "Sửa ở tỉnh"  # nothing overwritten
    with read_session(pair.province.engine) as s:
        conflict = s.exec(select(SyncConflict)).one()
        assert "Sửa ở xã" in conflict.incoming_row and "Sửa ở tỉnh" in conflict.local_row


def test_another_units_producer_with_the_same_registration_number_is_flagged(pair: Pair) -> None:
    from ocop_desktop.registry.producers import ProducerData, save_producer
    from tests.sync_fixtures import enrol, make_installation

    import_package(pair.province, _export(pair, "1.ocsync", full=True))
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
    from ocop_desktop.sync.exchange.importer import BATCH

    builder = PackageBuilder.from_package(_export(pair, "base.ocsync", full=True), pair.local_key())
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


def _files(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")
            if "backups" not in p.parts and not p.name.startswith("ocop.sqlite")}


@pytest.mark.parametrize("every_after", [False, True], ids=["fail once", "fail from k on"])
def test_fail_at_every_write_step(pair: Pair, every_after: bool) -> None:
    package = _export(pair, "1.ocsync", full=True)
    counter = FaultPlan(at=10**9)
    probe = pair.tmp / "probe"
    import shutil
    shutil.copytree(pair.province.data_dir, probe)
    from ocop_desktop.store.context import open_context
    probe_ctx = open_context(probe)
    import_package(probe_ctx, package, faults=counter)
    probe_ctx.close()
    writes = counter.count
    assert writes >= 4
    before, files = db_digest(pair.province), _files(pair.province.data_dir)
    for k in range(1, writes + 1):
        with pytest.raises(InjectedFault):
            import_package(pair.province, package, faults=FaultPlan(at=k, every_after=every_after))
        assert db_digest(pair.province) == before, f"write {k}"
        assert _files(pair.province.data_dir) == files, f"write {k}"
        assert pair.province.engine.connect().exec_driver_sql("PRAGMA integrity_check").scalar_one() == "ok"
    assert import_package(pair.province, package).status == "imported"  # a retry without the fault works


CHILD = """
import sys
from pathlib import Path
sys.path.insert(0, {root!r})
from ocop_desktop.store.context import open_context
from ocop_desktop.sync.exchange.importer import import_package
ctx = open_context(Path({folder!r}))
print("start", flush=True)
import_package(ctx, Path({package!r}))
print("done", flush=True)
"""


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is a POSIX signal")
def test_sigkill_during_import_all_or_nothing(pair: Pair) -> None:
    builder = PackageBuilder.from_package(_export(pair, "base.ocsync", full=True), pair.local_key())
    template = builder.records["producer"][0]
    builder.records = {"producer": [{**template, "id": f"{i:032x}", "name": f"Chủ thể {i}",
                                     "registration_no": None} for i in range(20_000)]}
    builder.files = {}
    package = pair.tmp / "big.ocsync"
    package.write_bytes(builder.build())
    db = pair.province.data_dir / "ocop.sqlite"
    pair.province.close()
    outcomes = set()
    for delay in (0.3, 0.6, 0.9, 1.2, 1.6, 2.0):
        child = subprocess.Popen([sys.executable, "-c", CHILD.format(root=str(ROOT), folder=str(db.parent),
                                                                    package=str(package))],
                                 stdout=subprocess.PIPE, text=True)
        assert child.stdout is not None and child.stdout.readline().strip() == "start"
        time.sleep(delay)
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        conn = sqlite3.connect(db)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        producers = conn.execute("SELECT count(*) FROM producer WHERE owner_unit = '30037'").fetchone()[0]
        ledger = conn.execute("SELECT count(*) FROM sync_ledger").fetchone()[0]
        conn.close()
        assert (producers, ledger) in {(0, 0), (20_000, 1)}, (delay, producers, ledger)
        outcomes.add(producers)
        if producers:
            break
    assert 0 in outcomes  # at least one kill landed before the commit
    from ocop_desktop.store.context import open_context
    pair.province = open_context(db.parent)


def test_decisions_travel_down_to_the_commune(pair: Pair) -> None:
    from datetime import date

    from database.tables import Recognition
    from ocop_desktop.evaluation.recognition import record_legacy

    import_package(pair.province, _export(pair, "1.ocsync", full=True))
    product_id = pair.product_id()
    record_legacy(pair.province, product_id, "QĐ 148/QĐ-TTg", "78", 4, "1234/QĐ-UBND", date(2026, 11, 20))
    down = export_package(pair.province, PASS, "30037", pair.tmp / "xuong.ocsync")
    assert down.kind == "decision" and down.counts == {"recognition": 1, "sync_receipt": 1}  # and its receipt
    report = import_package(pair.local, down.path)
    assert report.status == "imported" and report.tables["recognition"]["new"] == 1
    with read_session(pair.local.engine) as s:
        decision = s.exec(select(Recognition)).one()
    assert (decision.owner_unit, decision.stars, decision.product_id) == ("82", 4, product_id)


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
        resolved = check_version_vector("product", {"id": product_id,
                                                    "version_vector": s.get(Product, product_id).version_vector})
    for side in (conflict.local_row, conflict.incoming_row):
        assert compare(resolved, check_version_vector("product", json.loads(side))) == "newer"


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


def test_restore_raises_the_epoch_and_the_province_accepts_it_after_re_enrolment(pair: Pair) -> None:
    from ocop_desktop.installation.backups import list_backups, restore_backup
    from ocop_desktop.sync.trust import enrolment as trust

    first = _export(pair, "1.ocsync", full=True)
    import_package(pair.province, first)
    receipt = export_package(pair.province, PASS, "30037", pair.tmp / "r.ocsync", receipts_only=True)
    import_package(pair.local, receipt.path)  # this import took a backup of the commune's store
    [backup] = [b for b in list_backups(pair.local.data_dir) if b.label == "truoc-nhap-goi"]
    pair.local = restore_backup(pair.local, backup.path)
    assert pair.local.require_installation().epoch == 2
    after = export_package(pair.local, PASS, "82", pair.tmp / "sau-khoi-phuc.ocsync", full=True)
    assert after.epoch == 2 and after.seq == 1
    with pytest.raises(PackageRejected) as info:
        import_package(pair.province, after.path)
    assert info.value.code == "EPOCH_NOT_AUTHORISED"
    request = trust.export_enrolment_request(pair.local, PASS, pair.tmp / "lai.json")
    trust.accept_enrolment(pair.province, request, trust.read_enrolment_request(request).grouped)
    assert import_package(pair.province, after.path).status == "imported"


def test_any_delivery_order_ends_at_the_latest_version_and_never_goes_back(pair: Pair) -> None:
    """Packages delivered in any order, repeated or dropped (then all sent again): the province never
    holds an older version than it held before, and ends with the latest (security.md item 12)."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    product_id = pair.product_id()
    chain = [_export(pair, "0.ocsync", full=True)]
    for i in range(1, 4):
        data = get_product(pair.local, product_id)
        data.name = f"Trà tim sen v{i}"
        save_product(pair.local, data)
        chain.append(_export(pair, f"{i}.ocsync"))
    template = pair.tmp / "province-template"
    import shutil

    from ocop_desktop.infra.errors import NotFound
    from ocop_desktop.store.context import open_context
    pair.province.close()
    shutil.copytree(pair.province.data_dir, template)

    @settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.lists(st.integers(0, 3), max_size=7))
    def deliver(order: list[int]) -> None:
        folder = pair.tmp / "province-run"
        shutil.rmtree(folder, ignore_errors=True)
        shutil.copytree(template, folder)
        ctx = open_context(folder)
        seen = -1
        for index in [*order, 0, 1, 2, 3]:  # whatever happened, everything arrives in the end
            import_package(ctx, chain[index])
            try:
                name = get_product(ctx, product_id).name
            except NotFound:  # nothing imported yet
                continue
            version = 0 if name == "Trà tim sen" else int(name.rsplit("v", 1)[1])
            assert version >= seen, (order, version, seen)
            seen = version
        assert get_product(ctx, product_id).name == "Trà tim sen v3"
        ctx.close()

    deliver()
    pair.province = open_context(template)


def test_the_backup_holds_the_state_before_the_import_and_is_checked_before_the_commit(pair: Pair) -> None:
    """The backup is copied beside the import (a WAL snapshot taken before it writes)."""
    package = _export(pair, "1.ocsync", full=True)
    before = db_digest(pair.province)
    report = import_package(pair.province, package)
    assert report.backup is not None and db_digest(pair.province) != before
    from ocop_desktop.store.context import open_context

    copy = pair.tmp / "from-backup"
    copy.mkdir()
    (copy / "ocop.sqlite").write_bytes(report.backup.read_bytes())
    restored = open_context(copy)
    assert db_digest(restored) == before  # none of the import's writes, all of the state before it
    restored.close()


def test_a_snapshot_backup_copies_the_state_when_it_started(pair: Pair, monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    import database.snapshot_backup as snapshot
    from database.migrate import copy_and_check
    from ocop_desktop.records import audit
    from ocop_desktop.store.context import open_context

    go = threading.Event()

    def late(*args: object) -> None:
        assert go.wait(10)
        copy_and_check(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(snapshot, "copy_and_check", late)
    before = db_digest(pair.province)
    backup = snapshot.SnapshotBackup(pair.province.data_dir / "ocop.sqlite", "test")
    with write_session(pair.province.engine) as s:  # written and committed before the copy even begins
        audit.record(s, current_installation(s), "test", "producer", "x", None, {"n": 1})
    go.set()
    copy = pair.tmp / "from-snapshot"
    copy.mkdir()
    (copy / "ocop.sqlite").write_bytes(backup.result().read_bytes())
    restored = open_context(copy)
    assert db_digest(restored) == before != db_digest(pair.province)
    restored.close()


def test_an_import_whose_backup_fails_writes_nothing(pair: Pair, monkeypatch: pytest.MonkeyPatch) -> None:
    import database.snapshot_backup
    from database.errors import DatabaseCorrupt

    def broken(*_args: object) -> None:
        time.sleep(0.2)  # still copying when the import is ready to commit
        raise DatabaseCorrupt("backup copy failed integrity_check: test")

    monkeypatch.setattr(database.snapshot_backup, "copy_and_check", broken)
    package = _export(pair, "1.ocsync", full=True)
    before, files = db_digest(pair.province), _files(pair.province.data_dir)
    with pytest.raises(DatabaseCorrupt):
        import_package(pair.province, package)
    assert db_digest(pair.province) == before and _files(pair.province.data_dir) == files
    monkeypatch.undo()
    assert import_package(pair.province, package).status == "imported"


def test_only_the_newest_import_backups_are_kept(pair: Pair) -> None:
    from ocop_desktop.installation.backups import list_backups, prune_import_backups

    folder = pair.province.data_dir / "backups"
    folder.mkdir(exist_ok=True)
    for i in range(13):
        path = folder / f"truoc-nhap-goi-2026112{i // 10}-{i:06d}-000000.sqlite"
        path.write_bytes(b"x")
        os.utime(path, (1_700_000_000 + i, 1_700_000_000 + i))
    (folder / "pre-migrate-0009-20261128-000000-000000.sqlite").write_bytes(b"x")
    assert prune_import_backups(pair.province.data_dir, keep=10) == 3
    left = list_backups(pair.province.data_dir)
    assert len([b for b in left if b.label == "truoc-nhap-goi"]) == 10
    assert any(b.label == "pre-migrate-0009" for b in left)


def test_a_file_changed_after_the_dry_run_is_not_imported(pair: Pair) -> None:
    from ocop_desktop.infra.errors import OcopError

    package = _export(pair, "1.ocsync", full=True)
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


def make_catalog_variant(ctx_dir: Path, catalog_id: str, title: str) -> None:
    """A catalog the province holds besides the bundled one (the same criteria, a new id and title)."""
    import json

    from ocop_desktop.evaluation.catalog import catalog_path

    source = catalog_path("qd26-2026")
    assert source is not None
    document = json.loads(source.read_text(encoding="utf-8"))
    document["id"], document["title"] = catalog_id, title
    (ctx_dir / "catalogs").mkdir(exist_ok=True)
    (ctx_dir / "catalogs" / f"{catalog_id}.json").write_text(json.dumps(document, ensure_ascii=False),
                                                             encoding="utf-8")


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


def test_gap_quarantined_then_released_in_order(pair: Pair) -> None:
    """Packages 2 and 3 arrive before 1: they wait; when 1 arrives, 2 and 3 follow by themselves."""
    product_id = pair.product_id()
    chain = [_export(pair, "1.ocsync", full=True)]
    for i in (2, 3):
        data = get_product(pair.local, product_id)
        data.name = f"Trà tim sen lần {i}"
        save_product(pair.local, data)
        chain.append(_export(pair, f"{i}.ocsync"))
    assert import_package(pair.province, chain[2]).status == "quarantined"
    assert import_package(pair.province, chain[1]).status == "quarantined"
    report = import_package(pair.province, chain[0])
    assert [r.verified.manifest["sender"]["seq"] for r in report.released] == [2, 3]
    assert get_product(pair.province, product_id).name == "Trà tim sen lần 3"
    with read_session(pair.province.engine) as s:
        statuses = sorted(row.status for row in s.exec(select(SyncLedger)).all())
    assert statuses == ["imported"] * 3
    assert list((pair.province.data_dir / "inbox" / "quarantine").iterdir()) == []


def test_an_officer_can_accept_a_gap_and_it_is_audited(pair: Pair) -> None:
    from ocop_desktop.infra.errors import OcopError
    from ocop_desktop.records.audit import history

    product_id = pair.product_id()
    first = _export(pair, "1.ocsync", full=True)
    data = get_product(pair.local, product_id)
    data.name = "Bản số 2 (bị mất)"
    save_product(pair.local, data)
    lost = _export(pair, "2.ocsync")
    data.name = "Bản số 3"
    save_product(pair.local, data)
    third = _export(pair, "3.ocsync")
    import_package(pair.province, first)
    assert import_package(pair.province, third).status == "quarantined"
    with pytest.raises(OcopError):
        import_package(pair.province, third, accept_gap_reason="  ")  # a reason is required
    report = import_package(pair.province, third, accept_gap_reason="USB số 2 bị hỏng, xã xác nhận")
    assert report.status == "imported" and get_product(pair.province, product_id).name == "Bản số 3"
    [entry] = [e for e in history(pair.province.engine, report.verified.sha256[:32]) if e.action == "accept_gap"]
    assert "USB số 2" in (entry.after or "")
    with pytest.raises(PackageRejected) as info:  # the lost one, found later, is older now
        import_package(pair.province, lost)
    assert info.value.code == "SEQ_REPLAYED"
