"""Test gaps of issue 12 (item 8) in sync: forks, duplicates by folded name, the outbox's waiting
state, the post-commit count check and a resolved conflict that stays resolved."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import select

from database.engine import read_session
from database.tables import Product, SyncConflict, SyncLedger
from ocop_desktop.infra.errors import OcopError
from ocop_desktop.records.audit import history
from ocop_desktop.registry.producers import ProducerData, save_producer
from ocop_desktop.registry.products import get_product, save_product
from ocop_desktop.sync.exchange.conflicts import open_conflicts, resolve_conflict
from ocop_desktop.sync.exchange.export import export_package, outbox
from ocop_desktop.sync.exchange.importer import import_package
from ocop_desktop.sync.exchange.overview import outbox_status, overview
from ocop_desktop.sync.package.rejections import PackageRejected
from tests.package_builder import PackageBuilder
from tests.sync_fixtures import PASS, Pair, edit_on_both_sides


def _export(pair: Pair, name: str, full: bool = False) -> Path:
    return export_package(pair.local, PASS, "82", pair.tmp / name, full=full).path


def _rename_product(pair: Pair, name: str) -> None:
    data = get_product(pair.local, pair.product_id())
    data.name = name
    save_product(pair.local, data)


def _resigned(pair: Pair, source: Path, name: str, **sender: object) -> Path:
    """The records of ``source`` again, in a package re-signed by the commune's key with ``sender`` changed."""
    builder = PackageBuilder.from_package(source, pair.local_key())
    builder.manifest["package_id"] = "e" * 32
    builder.manifest["sender"].update(sender)
    target = pair.tmp / name
    target.write_bytes(builder.build())
    return target


def _ledger(pair: Pair) -> list[tuple[int, str]]:
    with read_session(pair.province.engine) as s:
        return sorted((row.seq, row.status) for row in s.exec(select(SyncLedger)).all())


def _quarantine(pair: Pair) -> list[Path]:
    folder = pair.province.data_dir / "inbox" / "quarantine"
    return sorted(folder.iterdir()) if folder.exists() else []


# 1. a fork: the expected seq, linked to another package -------------------------------------------

def test_a_package_in_turn_that_links_to_another_package_is_refused_as_a_fork(pair: Pair) -> None:
    first = _export(pair, "1.ocsync", full=True)
    assert import_package(pair.province, first).status == "imported"
    _rename_product(pair, "Trà tim sen (nhánh thật)")
    second = _export(pair, "2.ocsync")
    fork = _resigned(pair, second, "nhanh-khac.ocsync", prev_package_sha256="ab" * 32)  # seq 2, links elsewhere
    with pytest.raises(PackageRejected) as info:
        import_package(pair.province, fork)
    assert info.value.code == "CHAIN_FORK" and info.value.detail == "2 (epoch 1)"
    assert info.value.message_vi.startswith("CẢNH BÁO") and "{detail}" not in info.value.message_vi
    assert _ledger(pair) == [(1, "imported")] and _quarantine(pair) == []  # never quarantined
    [alert] = history(pair.province.engine, "nhanh-khac.ocsync")
    assert alert.action == "reject" and '"code":"CHAIN_FORK"' in (alert.after or "")
    with pytest.raises(PackageRejected) as again:  # an officer's acceptance of a gap does not apply
        import_package(pair.province, fork, accept_gap_reason="xã nói đã mất gói")
    assert again.value.code == "CHAIN_FORK" and _ledger(pair) == [(1, "imported")]
    # the genuine #2 is still the next one: the fork did not take its place in the chain
    assert import_package(pair.province, second).status == "imported"
    assert get_product(pair.province, pair.product_id()).name == "Trà tim sen (nhánh thật)"


def test_a_first_package_that_links_to_a_previous_one_is_refused_not_queued(pair: Pair) -> None:
    """Package 1 has no previous package: a link there is a malformed manifest (docs/package-format.md
    §3), refused before the ledger is read, and never waits in the queue."""
    first = _export(pair, "1.ocsync", full=True)
    fork = _resigned(pair, first, "so1-co-goi-truoc.ocsync", prev_package_sha256="cd" * 32)
    with pytest.raises(PackageRejected) as info:
        import_package(pair.province, fork)
    assert info.value.code == "MANIFEST_FIELD" and _ledger(pair) == [] and _quarantine(pair) == []


def test_a_real_gap_still_waits_and_an_equivocation_still_alerts(pair: Pair) -> None:
    first = _export(pair, "1.ocsync", full=True)
    _rename_product(pair, "Bản số 2")
    second = _export(pair, "2.ocsync")
    _rename_product(pair, "Bản số 3")
    third = _export(pair, "3.ocsync")
    assert import_package(pair.province, first).status == "imported"
    assert import_package(pair.province, third).status == "quarantined"  # #2 missing: #3 waits
    assert _ledger(pair) == [(1, "imported"), (3, "quarantined")] and len(_quarantine(pair)) == 1
    other_third = _resigned(pair, third, "so3-khac.ocsync")  # another #3: other bytes, the same seq
    with pytest.raises(PackageRejected) as info:
        import_package(pair.province, other_third)
    assert info.value.code == "EQUIVOCATION"
    [alert] = history(pair.province.engine, "so3-khac.ocsync")
    assert alert.action == "reject" and '"code":"EQUIVOCATION"' in (alert.after or "")
    report = import_package(pair.province, second)
    assert [r.verified.manifest["sender"]["seq"] for r in report.released] == [3]
    assert _ledger(pair) == [(1, "imported"), (2, "imported"), (3, "imported")]


# 5. duplicates by folded name in the same commune ----------------------------------------------

def _duplicates(pair: Pair) -> list[tuple[str, str, str, str]]:
    with pair.province.engine.connect() as conn:
        return [tuple(r) for r in conn.exec_driver_sql(
            "SELECT table_name, record_id, other_id, reason FROM sync_duplicate ORDER BY id").all()]


@pytest.mark.parametrize(("commune", "flagged"), [("30037", True), ("30046", False)])
def test_the_same_folded_name_in_the_same_commune_is_flagged(pair: Pair, commune: str, flagged: bool) -> None:
    held = save_producer(pair.province, ProducerData(name="HOP TAC XA HOA BINH", legal_type="htx",
                                                     commune_code=commune))
    incoming = save_producer(pair.local, ProducerData(name="Hợp tác xã Hòa Bình", legal_type="htx",
                                                      commune_code="30037"))
    report = import_package(pair.province, _export(pair, "1.ocsync", full=True))
    assert report.status == "imported"
    expected = [("producer", incoming, held, "name_commune")] if flagged else []
    assert _duplicates(pair) == expected
    assert report.duplicates == len(expected)


# 6a. the outbox's waiting state ---------------------------------------------------------------

def _statuses(pair: Pair) -> dict[int, tuple[str, str]]:
    info = overview(pair.local)
    return {row.seq: (row.status, outbox_status(info, row)) for row in outbox(pair.local)}


def _receipts(pair: Pair, name: str, full: bool = False) -> Path:
    return export_package(pair.province, PASS, "30037", pair.tmp / name, receipts_only=True, full=full).path


def test_a_package_held_back_at_the_province_shows_as_waiting_then_delivered(pair: Pair) -> None:
    first = _export(pair, "1.ocsync", full=True)
    _rename_product(pair, "Bản số 2")
    second = _export(pair, "2.ocsync")
    assert _statuses(pair) == {1: ("sent", "sent"), 2: ("sent", "sent")}
    assert import_package(pair.province, second).status == "quarantined"
    assert import_package(pair.local, _receipts(pair, "bien-nhan-1.ocsync")).status == "imported"
    # #2 waits at the province for #1, which the province never got: shown missing
    assert _statuses(pair) == {1: ("sent", "missing"), 2: ("waiting", "waiting")}
    assert import_package(pair.province, first).status == "imported"  # #2 follows by itself
    assert import_package(pair.local, _receipts(pair, "bien-nhan-2.ocsync")).status == "imported"
    assert _statuses(pair) == {1: ("acknowledged", "acknowledged"), 2: ("acknowledged", "acknowledged")}


def test_a_late_waiting_receipt_never_takes_back_a_delivery(pair: Pair) -> None:
    """The commune gets the 'quarantined' and the 'imported' receipts of #2 in one package."""
    first = _export(pair, "1.ocsync", full=True)
    _rename_product(pair, "Bản số 2")
    second = _export(pair, "2.ocsync")
    assert import_package(pair.province, second).status == "quarantined"
    assert import_package(pair.province, first).status == "imported"
    receipts = _receipts(pair, "bien-nhan-du.ocsync", full=True)
    report = import_package(pair.local, receipts)
    assert report.tables["sync_receipt"]["new"] == 3  # #2 quarantined, #1 imported, #2 imported
    assert _statuses(pair) == {1: ("acknowledged", "acknowledged"), 2: ("acknowledged", "acknowledged")}


# 6b. the post-commit count check --------------------------------------------------------------

def test_a_record_lost_at_the_commit_is_reported_by_the_count_check(pair: Pair) -> None:
    package = _export(pair, "1.ocsync", full=True)
    with pair.province.engine.begin() as conn:  # a store that silently loses what it was given
        conn.exec_driver_sql("CREATE TRIGGER lose_attachment AFTER INSERT ON attachment "
                             "BEGIN DELETE FROM attachment WHERE id = NEW.id; END")
    with pytest.raises(OcopError) as info:
        import_package(pair.province, package)
    assert str(info.value) == "post-commit count mismatch in attachment"
    assert "attachment" in info.value.message_vi and "sao lưu" in info.value.message_vi


def test_the_count_check_passes_a_complete_import(pair: Pair) -> None:
    report = import_package(pair.province, _export(pair, "1.ocsync", full=True))
    assert report.status == "imported"
    with pair.province.engine.connect() as conn:
        counts = {t: conn.exec_driver_sql(f'SELECT count(*) FROM "{t}"').scalar_one()
                  for t in ("producer", "product", "attachment")}
    assert counts == report.verified.counts == {"producer": 1, "product": 1, "attachment": 1}


# 6c. a resolved conflict dominates both versions ----------------------------------------------

@pytest.mark.parametrize("keep", ["local", "incoming"])
def test_after_a_resolution_the_same_records_again_change_nothing(pair: Pair, keep: str) -> None:
    assert import_package(pair.province, _export(pair, "1.ocsync", full=True)).status == "imported"
    product_id = edit_on_both_sides(pair)
    second = _export(pair, "2.ocsync")
    report = import_package(pair.province, second)
    assert report.tables["product"]["conflicts"] == 1
    [conflict] = open_conflicts(pair.province)
    resolve_conflict(pair.province, conflict.id or 0, keep, "đã gọi điện cho xã")
    with read_session(pair.province.engine) as s:
        resolved = s.get(Product, product_id)
        assert resolved is not None
        before = resolved.model_dump()
    # the very records of #2 once more, as the next package in the chain (the same bytes are 'already')
    again = _resigned(pair, second, "2-lan-nua.ocsync", seq=3, prev_package_sha256=report.verified.sha256)
    second_time = import_package(pair.province, again)
    assert second_time.status == "imported"
    assert second_time.tables["product"] == {"new": 0, "updated": 0, "unchanged": 0, "stale": 1, "conflicts": 0}
    assert open_conflicts(pair.province) == []
    with read_session(pair.province.engine) as s:
        after = s.get(Product, product_id)
        assert after is not None
        assert after.model_dump() == before
        assert len(s.exec(select(SyncConflict)).all()) == 1  # only the resolved one
