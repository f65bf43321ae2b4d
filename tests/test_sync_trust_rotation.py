"""Keys changing at installations: root rotation to a new threshold, revoked and replaced device keys,
the province's publisher key rotated, a failed re-key, the root passphrase, a province restored
from a backup; and what each does to packages."""

from __future__ import annotations

import pytest

from ocop_desktop.infra.errors import OcopError
from ocop_desktop.sync.exchange.export import export_package
from ocop_desktop.sync.exchange.importer import import_package
from ocop_desktop.sync.package.rejections import PackageRejected
from ocop_desktop.sync.trust import enrolment as trust
from ocop_desktop.sync.trust import keys
from ocop_desktop.sync.trust import updates as trust_updates
from tests.sync_fixtures import (
    FAST,
    PASS,
    ROOT_PASS,
    Pair,
    db_digest,
    decision_to_commune,
    enrol,
    export_trust_chain,
    root_signers,
)


def test_root_rotation_to_two_of_three_reaches_the_office(pair: Pair) -> None:
    officers = [trust_updates.create_root_key(pair.province, ROOT_PASS, FAST, pair.tmp / f"can-bo-{i}")
                for i in range(3)]
    version = trust_updates.publish(pair.province, root_signers(pair.province) + [
        trust_updates.Signer(p, ROOT_PASS) for p in officers], new_roots=officers, threshold=2)
    assert (version.version, version.threshold, len(version.roots)) == (3, 2, 3)
    update = trust_updates.import_trust(pair.local, trust_updates.export_chain(pair.province, pair.tmp / "t.ocoptrust"))
    assert (update.before, update.after) == (2, 3)
    # one officer alone can no longer sign, and the old 1-of-1 root is out: nothing is kept
    before = db_digest(pair.province)
    for signers in ([officers[0]], trust_updates.root_key_paths(pair.province)):
        with pytest.raises(PackageRejected) as info:
            trust_updates.publish(pair.province, [trust_updates.Signer(p, ROOT_PASS) for p in signers])
        assert info.value.code == "TRUST_OLD_THRESHOLD"
    assert db_digest(pair.province) == before
    two = trust_updates.publish(pair.province, [trust_updates.Signer(p, ROOT_PASS) for p in officers[1:]])
    assert two.version == 4
    assert trust_updates.import_trust(pair.local, trust_updates.export_chain(pair.province, pair.tmp / "u")).after == 4


def test_revoked_key_package_rejected_and_imported_rows_stay(pair: Pair) -> None:
    first = export_package(pair.local, PASS, "82", pair.tmp / "1.ocsync", full=True)
    import_package(pair.province, first.path)
    second = export_package(pair.local, PASS, "82", pair.tmp / "2.ocsync", full=True)
    key_id = keys.read_header(trust.device_key_path(pair.local).read_bytes())[2].key_id
    trust.revoke_key(pair.province, key_id, "Máy tính xã bị mất ngày 20/11/2026")
    with pytest.raises(PackageRejected) as info:
        import_package(pair.province, second.path)
    assert info.value.code == "KEY_REVOKED"
    with pair.province.engine.connect() as conn:  # history from before the revocation is kept
        assert conn.exec_driver_sql("SELECT count(*) FROM product WHERE id = ?", (pair.product_id(),)).scalar() == 1
    update = trust_updates.import_trust(pair.local, export_trust_chain(pair, "revoked.ocoptrust"))
    assert update.own_key_revoked


def test_rekey_new_epoch_accepted(pair: Pair) -> None:
    import_package(pair.province, export_package(pair.local, PASS, "82", pair.tmp / "1.ocsync", full=True).path)
    old_id = keys.read_header(trust.device_key_path(pair.local).read_bytes())[2].key_id
    old_package = export_package(pair.local, PASS, "82", pair.tmp / "old.ocsync", full=True)
    trust.revoke_key(pair.province, old_id, "Khóa bị lộ")
    new_id = trust.replace_device_key(pair.local, PASS, FAST)
    assert new_id != old_id and pair.local.require_installation().epoch == 2
    assert (trust.device_key_path(pair.local).parent / "retired" / f"{old_id[:16]}.key").exists()
    early = export_package(pair.local, PASS, "82", pair.tmp / "n.ocsync", full=True)
    with pytest.raises(PackageRejected) as info:  # not enrolled yet
        import_package(pair.province, early.path)
    assert info.value.code == "KEY_UNKNOWN"
    enrol(pair.local, pair.province, pair.tmp)
    fresh = export_package(pair.local, PASS, "82", pair.tmp / "new.ocsync", full=True)
    assert (early.epoch, early.seq, fresh.seq) == (2, 1, 2)
    assert [import_package(pair.province, p).status for p in (early.path, fresh.path)] == ["imported", "imported"]
    with pytest.raises(PackageRejected) as info:
        import_package(pair.province, old_package.path)
    assert info.value.code == "KEY_REVOKED"
    status = trust_updates.status(pair.local)
    assert status is not None and not status.own_key_revoked  # the new key is active in the newest version


def test_publisher_rotation_reaches_offices_through_the_trust_file(pair: Pair) -> None:
    import_package(pair.province, export_package(pair.local, PASS, "82", pair.tmp / "1.ocsync", full=True).path)
    before_rotation = decision_to_commune(pair, "101")
    trust.replace_device_key(pair.province, PASS, FAST)
    assert pair.province.require_installation().epoch == 2  # a new key starts a new chain of packages
    after_rotation = decision_to_commune(pair, "102")
    with pytest.raises(PackageRejected) as info:  # the office has not heard of the new key yet
        import_package(pair.local, after_rotation)
    assert info.value.code == "KEY_UNKNOWN"
    assert trust_updates.pending_changes(pair.province) == ["Khóa phát hành của tỉnh đã đổi."]
    update = trust_updates.import_trust(pair.local, export_trust_chain(pair, "xoay.ocoptrust"))
    assert update.publisher_changed
    assert import_package(pair.local, after_rotation).status == "imported"
    with pytest.raises(PackageRejected) as info:  # the replaced key no longer signs for the province
        import_package(pair.local, before_rotation)
    assert info.value.code == "KEY_REVOKED"


def test_root_passphrase_must_differ_from_the_signing_key(pair: Pair) -> None:
    with pytest.raises(OcopError) as info:
        trust_updates.create_root_key(pair.province, PASS, FAST)
    assert "phải khác" in info.value.message_vi
    assert len(trust_updates.root_key_paths(pair.province)) == 1


def test_a_province_restored_from_backup_catches_up_instead_of_forking(pair: Pair) -> None:
    from database.engine import write_session
    from database.tables import TrustRootVersion

    third = trust_updates.publish(pair.province, root_signers(pair.province))
    trust_updates.import_trust(pair.local, trust_updates.export_chain(pair.province, pair.tmp / "v3"))
    with write_session(pair.province.engine) as s:  # the database goes back to before version 3
        row = s.get(TrustRootVersion, third.version)
        assert row is not None
        s.delete(row)
    fourth = trust_updates.publish(pair.province, root_signers(pair.province))
    assert fourth.version == third.version + 1
    assert trust_updates.import_trust(pair.local, trust_updates.export_chain(pair.province, pair.tmp / "v4")).after \
        == fourth.version


def test_a_failed_re_key_keeps_the_old_key(pair: Pair, monkeypatch: pytest.MonkeyPatch) -> None:
    from ocop_desktop.records import audit

    path = trust.device_key_path(pair.local)
    before, epoch = path.read_bytes(), pair.local.require_installation().epoch

    def disk_full(*_a: object, **_k: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(audit, "record", disk_full)
    with pytest.raises(OSError):
        trust.replace_device_key(pair.local, PASS, FAST)
    assert path.read_bytes() == before and pair.local.require_installation().epoch == epoch
    assert sorted(p.name for p in path.parent.rglob("*.key")) == ["device.key"]
