"""The order packages arrive in: a gap waits in quarantine and is released, an officer may accept a gap,
replays and equivocation are refused, any delivery order ends at the latest version, and a restored
commune is taken again only after it re-enrols."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import select

from database.engine import read_session
from database.tables import SyncLedger
from ocop_desktop.registry.products import get_product, save_product
from ocop_desktop.sync.exchange.export import export_package
from ocop_desktop.sync.exchange.importer import import_package
from ocop_desktop.sync.package.rejections import PackageRejected
from tests.package_builder import PackageBuilder
from tests.sync_fixtures import PASS, Pair, export_to_province


def test_changes_apply_in_order_and_a_gap_waits(pair: Pair) -> None:
    first = export_to_province(pair, "1.ocsync", full=True)
    product_id = pair.product_id()
    data = get_product(pair.local, product_id)
    data.name = "Trà tim sen sấy lạnh"
    save_product(pair.local, data)
    second = export_to_province(pair, "2.ocsync")
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


def test_restore_raises_the_epoch_and_the_province_accepts_it_after_re_enrolment(pair: Pair) -> None:
    from ocop_desktop.installation.backups import list_backups, restore_backup
    from ocop_desktop.sync.trust import enrolment as trust

    first = export_to_province(pair, "1.ocsync", full=True)
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
    holds an older version than it held before, and ends with the latest (docs/threat-model.md item 12)."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    product_id = pair.product_id()
    chain = [export_to_province(pair, "0.ocsync", full=True)]
    for i in range(1, 4):
        data = get_product(pair.local, product_id)
        data.name = f"Trà tim sen v{i}"
        save_product(pair.local, data)
        chain.append(export_to_province(pair, f"{i}.ocsync"))
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


def test_gap_quarantined_then_released_in_order(pair: Pair) -> None:
    """Packages 2 and 3 arrive before 1: they wait; when 1 arrives, 2 and 3 follow by themselves."""
    product_id = pair.product_id()
    chain = [export_to_province(pair, "1.ocsync", full=True)]
    for i in (2, 3):
        data = get_product(pair.local, product_id)
        data.name = f"Trà tim sen lần {i}"
        save_product(pair.local, data)
        chain.append(export_to_province(pair, f"{i}.ocsync"))
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
    first = export_to_province(pair, "1.ocsync", full=True)
    data = get_product(pair.local, product_id)
    data.name = "Bản số 2 (bị mất)"
    save_product(pair.local, data)
    lost = export_to_province(pair, "2.ocsync")
    data.name = "Bản số 3"
    save_product(pair.local, data)
    third = export_to_province(pair, "3.ocsync")
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
