"""The province's trust root: versions N → N+1 signed by thresholds of old and new root keys
(security.md items 5–8, 13, 15), and what revocation, re-keying and rotation do to packages."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ocop_desktop.evaluation import recognition
from ocop_desktop.infra.errors import OcopError
from ocop_desktop.sync.exchange.export import export_package
from ocop_desktop.sync.exchange.importer import import_package
from ocop_desktop.sync.exchange.installation_view import InstallationView
from ocop_desktop.sync.package.rejections import PackageRejected
from ocop_desktop.sync.package.verify import verify_file
from ocop_desktop.sync.trust import enrolment as trust
from ocop_desktop.sync.trust import keys
from ocop_desktop.sync.trust import root as trust_root
from ocop_desktop.sync.trust import updates as trust_updates
from ocop_desktop.sync.trust.root import RootVersion
from tests.sync_fixtures import FAST, PASS, ROOT_PASS, Pair, enrol, publish_pending, root_signers
from tests.test_sync_bad_inputs import db_digest

NOW = datetime(2026, 11, 28, tzinfo=UTC)
PUBLISHER = keys.public_raw(Ed25519PrivateKey.generate())
ROOTS = [Ed25519PrivateKey.generate() for _ in range(6)]  # A..F


def _raw(index: int) -> bytes:
    return keys.public_raw(ROOTS[index])


def _version(number: int, roots: list[int], threshold: int, signers: list[int], *,
             now: datetime = NOW, validity: timedelta = trust_root.VALIDITY, province: str = "82") -> dict:
    payload = trust_root.body(version=number, province=province, environment="production", threshold=threshold,
                              roots=[_raw(i) for i in roots], publisher=PUBLISHER, devices=[], now=now,
                              validity=validity)
    return trust_root.sign(payload, [ROOTS[i] for i in signers])


def _genesis(roots: list[int], threshold: int) -> RootVersion:
    envelope = _version(1, roots, threshold, roots)
    payload, _ = trust_root.open_envelope(envelope)
    return trust_root.verify_genesis(envelope, trust_root.genesis_fingerprint(payload))


# (first roots, first threshold, next roots, next threshold, signers of the next version, accepted?)
ROTATIONS = {
    "1-of-1 rotation signed by old and new": ([0], 1, [1], 1, [0, 1], True),
    "1-of-1 rotation with an unused extra signature": ([0], 1, [1], 1, [0, 1, 2], True),
    "1-of-1 rotation not signed by the old key": ([0], 1, [1], 1, [1], "TRUST_OLD_THRESHOLD"),
    "1-of-1 rotation not signed by the new key": ([0], 1, [1], 1, [0], "TRUST_NEW_THRESHOLD"),
    "3-of-5 signed by another combination": ([0, 1, 2, 3, 4], 3, [0, 1, 2, 3, 4], 3, [1, 3, 4], True),
    "3-of-5 threshold not reached": ([0, 1, 2, 3, 4], 3, [0, 1, 2, 3, 4], 3, [0, 1], "TRUST_OLD_THRESHOLD"),
    "3-of-5 one key rotated out": ([0, 1, 2, 3, 4], 3, [0, 1, 2, 3, 5], 3, [0, 1, 2], True),
    "3-of-5 rotated key signs, too few old": ([0, 1, 2, 3, 4], 3, [0, 1, 2, 3, 5], 3, [0, 1, 5],
                                              "TRUST_OLD_THRESHOLD"),
    "3-of-5 lowered to 2-of-5": ([0, 1, 2, 3, 4], 3, [0, 1, 2, 3, 4], 2, [0, 1, 2], True),
    "3-of-5 lowered to 2-of-5 but only 2 old signatures": ([0, 1, 2, 3, 4], 3, [0, 1, 2, 3, 4], 2, [0, 1],
                                                           "TRUST_OLD_THRESHOLD"),
    "1-of-3 raised to 2-of-3 with one signature": ([0, 1, 2], 1, [0, 1, 2], 2, [0], "TRUST_NEW_THRESHOLD"),
    "1-of-3 raised to 2-of-3 with two signatures": ([0, 1, 2], 1, [0, 1, 2], 2, [0, 2], True),
    "whole root set replaced, 2-of-2 by 2-of-2": ([0, 1], 2, [2, 3], 2, [0, 1, 2, 3], True),
    "whole root set replaced without the new ones": ([0, 1], 2, [2, 3], 2, [0, 1, 2], "TRUST_NEW_THRESHOLD"),
}


@pytest.mark.parametrize("case", ROTATIONS, ids=list(ROTATIONS))
def test_key_rotations(case: str) -> None:
    first_roots, first_t, next_roots, next_t, signers, expected = ROTATIONS[case]
    held = _genesis(first_roots, first_t)
    envelope = _version(2, next_roots, next_t, signers)
    if expected is True:
        following = trust_root.verify_next(held, envelope)
        assert (following.version, following.threshold, len(following.roots)) == (2, next_t, len(next_roots))
    else:
        with pytest.raises(PackageRejected) as info:
            trust_root.verify_next(held, envelope)
        assert info.value.code == expected


def test_trust_doc_nonconsecutive_version_rejected() -> None:
    held = _genesis([0], 1)
    for number in (1, 3, 7):
        with pytest.raises(PackageRejected) as info:
            trust_root.verify_next(held, _version(number, [0], 1, [0]))
        assert info.value.code == "TRUST_VERSION"


def test_same_key_twice_does_not_meet_threshold_2() -> None:
    held = _genesis([0, 1], 2)
    envelope = _version(2, [0, 1], 2, [0])
    envelope["signatures"] = envelope["signatures"] * 2  # the same valid signature, twice
    with pytest.raises(PackageRejected) as info:
        trust_root.verify_next(held, envelope)
    assert info.value.code == "TRUST_DUPLICATE_SIGNATURE"
    # a root set naming one key twice cannot be used to count it twice either
    payload = json.loads(base64.b64decode(_version(2, [0, 1], 2, [])["payload"]))
    payload["roots"] = [payload["roots"][0]] * 2
    body = json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()
    with pytest.raises(PackageRejected) as info:
        trust_root.verify_next(held, trust_root.sign(body, [ROOTS[0], ROOTS[1]]))
    assert info.value.code == "TRUST_DUPLICATE_SIGNATURE"


def test_too_many_signatures_rejected() -> None:
    held = _genesis([0], 1)
    envelope = _version(2, [0], 1, [0])
    extra = [{"keyid": f"{i:064x}", "sig": envelope["signatures"][0]["sig"]} for i in range(16)]
    envelope["signatures"] += extra
    with pytest.raises(PackageRejected) as info:
        trust_root.verify_next(held, envelope)
    assert info.value.code == "TRUST_TOO_MANY_SIGNATURES"


def test_publisher_key_cannot_sign_trust_update() -> None:
    publisher = Ed25519PrivateKey.generate()
    held = trust_root.verify_genesis(*_self_signed(publisher))
    payload = trust_root.body(version=2, province="82", environment="production", threshold=1, roots=[_raw(0)],
                              publisher=keys.public_raw(publisher), devices=[], now=NOW)
    with pytest.raises(PackageRejected) as info:
        trust_root.verify_next(held, trust_root.sign(payload, [publisher]))
    assert info.value.code == "TRUST_OLD_THRESHOLD"


def _self_signed(publisher: Ed25519PrivateKey) -> tuple[dict, str]:
    payload = trust_root.body(version=1, province="82", environment="production", threshold=1, roots=[_raw(0)],
                              publisher=keys.public_raw(publisher), devices=[], now=NOW)
    return trust_root.sign(payload, [ROOTS[0]]), trust_root.genesis_fingerprint(payload)


def test_flipped_payload_byte_and_swapped_type_fail() -> None:
    held = _genesis([0], 1)
    envelope = _version(2, [0], 1, [0])
    payload = bytearray(base64.b64decode(envelope["payload"]))
    payload[payload.index(b'"version":2') + 10] = ord("3")
    with pytest.raises(PackageRejected) as info:
        trust_root.verify_next(held, {**envelope, "payload": base64.b64encode(bytes(payload)).decode()})
    assert info.value.code == "TRUST_OLD_THRESHOLD"
    with pytest.raises(PackageRejected) as info:
        trust_root.verify_next(held, {**envelope, "payloadType": "application/vnd.ocop.catalog.v1+json"})
    assert info.value.code == "PAYLOAD_TYPE_UNKNOWN"


def test_genesis_needs_the_fingerprint_read_out() -> None:
    envelope = _version(1, [0], 1, [0])
    other = trust_root.genesis_fingerprint(base64.b64decode(_version(1, [1], 1, [1])["payload"]))
    with pytest.raises(PackageRejected) as info:
        trust_root.verify_genesis(envelope, other)
    assert info.value.code == "TRUST_FINGERPRINT"


def test_only_the_newest_version_must_be_unexpired() -> None:
    old = NOW - timedelta(days=800)
    first = trust_root.sign(trust_root.body(version=1, province="82", environment="production", threshold=1,
                                            roots=[_raw(0)], publisher=PUBLISHER, devices=[], now=old), [ROOTS[0]])
    fingerprint = trust_root.genesis_fingerprint(base64.b64decode(first["payload"]))
    second = _version(2, [0], 1, [0], now=NOW)
    fresh = trust_root.verify_chain(None, [first, second], set(), NOW, fingerprint)  # v1 expired long ago
    assert [v.version for v in fresh] == [1, 2]
    with pytest.raises(PackageRejected) as info:
        trust_root.verify_chain(None, [first], set(), NOW, fingerprint)
    assert info.value.code == "TRUST_EXPIRED"


# -- installations --------------------------------------------------------------------------------


def _chain(pair: Pair, name: str) -> Path:
    publish_pending(pair.province)
    return trust_updates.export_chain(pair.province, pair.tmp / name)


def test_root_rotation_to_two_of_three_reaches_the_office(pair: Pair) -> None:
    officers = [trust_updates.create_root_key(pair.province, ROOT_PASS, FAST, pair.tmp / f"can-bo-{i}") for i in range(3)]
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
    update = trust_updates.import_trust(pair.local, _chain(pair, "revoked.ocoptrust"))
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


def _decision_to_commune(pair: Pair, name: str) -> Path:
    recognition.record_legacy(pair.province, pair.product_id(), "QĐ 148/2023/QĐ-TTg", "75", 4, f"{name}/QĐ-UBND",
                              NOW.date() - timedelta(days=30))
    return export_package(pair.province, PASS, "30037", pair.tmp / f"{name}.ocsync").path


def test_publisher_rotation_reaches_offices_through_the_trust_file(pair: Pair) -> None:
    import_package(pair.province, export_package(pair.local, PASS, "82", pair.tmp / "1.ocsync", full=True).path)
    before_rotation = _decision_to_commune(pair, "101")
    trust.replace_device_key(pair.province, PASS, FAST)
    assert pair.province.require_installation().epoch == 2  # a new key starts a new chain of packages
    after_rotation = _decision_to_commune(pair, "102")
    with pytest.raises(PackageRejected) as info:  # the office has not heard of the new key yet
        import_package(pair.local, after_rotation)
    assert info.value.code == "KEY_UNKNOWN"
    assert trust_updates.pending_changes(pair.province) == ["Khóa phát hành của tỉnh đã đổi."]
    update = trust_updates.import_trust(pair.local, _chain(pair, "xoay.ocoptrust"))
    assert update.publisher_changed
    assert import_package(pair.local, after_rotation).status == "imported"
    with pytest.raises(PackageRejected) as info:  # the replaced key no longer signs for the province
        import_package(pair.local, before_rotation)
    assert info.value.code == "KEY_REVOKED"


def test_expired_trust_refuses_downward_packages_and_warns_first(pair: Pair) -> None:
    import_package(pair.province, export_package(pair.local, PASS, "82", pair.tmp / "1.ocsync", full=True).path)
    package = _decision_to_commune(pair, "103")
    state = trust_updates.status(pair.local)
    assert state is not None and not state.expiring and not state.expired
    warned = trust_updates.status(pair.local, state.expires - timedelta(days=10))
    assert warned is not None and warned.expiring and not warned.expired
    late = InstallationView(pair.local, now=state.expires + timedelta(days=1))
    with pytest.raises(PackageRejected) as info:
        verify_file(package, late)
    assert info.value.code == "TRUST_EXPIRED"
    assert verify_file(package, InstallationView(pair.local)).sequence == "next"


def test_clock_set_back_does_not_revive_an_expired_trust_file(pair: Pair) -> None:
    """Expiry is judged against a persisted high-water mark: once this installation has worked at a
    time past the expiry, setting the computer's clock back does not make the file valid again."""
    from database.engine import write_session
    from ocop_desktop.sync.trust import clock

    import_package(pair.province, export_package(pair.local, PASS, "82", pair.tmp / "1.ocsync", full=True).path)
    package = _decision_to_commune(pair, "104")
    state = trust_updates.status(pair.local)
    assert state is not None
    seen = state.expires + timedelta(days=20)
    with write_session(pair.local.engine) as s:  # e.g. an export made on that day
        clock.remember(s, seen)
    for system in (state.expires - timedelta(days=1), datetime.now(UTC)):
        with pytest.raises(PackageRejected) as info:
            verify_file(package, InstallationView(pair.local, now=system))
        assert info.value.code == "TRUST_EXPIRED"
    behind = trust_updates.status(pair.local)
    assert behind is not None and behind.expired and behind.clock_behind is not None
    trust_updates.publish(pair.province, root_signers(pair.province), validity=timedelta(days=2))
    chain = trust_updates.export_chain(pair.province, pair.tmp / "ngan.ocoptrust")
    with pytest.raises(PackageRejected) as info:  # a version valid for 2 days is already past the mark
        trust_updates.import_trust(pair.local, chain)
    assert info.value.code == "TRUST_EXPIRED"


def test_province_packages_need_a_current_trust_version(pair: Pair) -> None:
    """Receipts from the province are checked like decisions, and an office with no trust version
    (e.g. a key pinned before trust versions existed) takes nothing from the province."""
    from database.engine import write_session
    from database.tables import TrustRootVersion

    import_package(pair.province, export_package(pair.local, PASS, "82", pair.tmp / "1.ocsync", full=True).path)
    receipt = export_package(pair.province, PASS, "30037", pair.tmp / "bn.ocsync", receipts_only=True).path
    state = trust_updates.status(pair.local)
    assert state is not None
    with pytest.raises(PackageRejected) as info:
        verify_file(receipt, InstallationView(pair.local, now=state.expires + timedelta(days=1)))
    assert info.value.code == "TRUST_EXPIRED"
    with write_session(pair.local.engine) as s:
        for row in s.exec(__import__("sqlmodel").select(TrustRootVersion)).all():
            s.delete(row)
    with pytest.raises(PackageRejected) as info:
        verify_file(receipt, InstallationView(pair.local))
    assert info.value.code == "TRUST_NOT_PINNED"


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


@pytest.mark.parametrize("edit", [{"purpose": 5}, {"unit": ["30037"]}, {"epoch": "1"}, {"officer": {"a": 1}}],
                         ids=["purpose-number", "unit-list", "epoch-text", "officer-object"])
def test_hostile_enrolment_requests_are_refused_plainly(pair: Pair, edit: dict) -> None:
    key = Ed25519PrivateKey.generate()
    public = keys.public_raw(key)
    body = {"format": trust.REQUEST_FORMAT, "unit": "30046", "device": "ab" * 16, "level": "local", "officer": "x",
            "purpose": "device", "key_id": keys.fingerprint(public, "device"), "epoch": 1,
            "public_key": base64.b64encode(public).decode(), "created": "2026-11-28T00:00:00+00:00", **edit}
    signed = {**body, "signature": base64.b64encode(key.sign(trust._canonical(body))).decode()}
    path = pair.tmp / "doc-hai.json"
    path.write_text(json.dumps(signed))
    before = db_digest(pair.province)
    for attempt in (lambda: trust.read_enrolment_request(path),
                    lambda: trust.accept_enrolment(pair.province, path, keys.grouped(body["key_id"]))
                    if isinstance(body["key_id"], str) else None):
        with pytest.raises(OcopError) as info:
            attempt()
        assert "bị hỏng" in info.value.message_vi
    path.write_text("[" * 100_000)
    with pytest.raises(OcopError):
        trust.read_enrolment_request(path)
    assert db_digest(pair.province) == before


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


@pytest.mark.parametrize("content", [b"", b"{not json", b"\xef\xbb\xbf{}", b'{"format":"ocop-trust-chain/1"}',
                                     b'{"envelopes":[],"format":"ocop-trust-chain/1","province":"82"}',
                                     b'{"envelopes":[{}],"format":"ocop-trust-chain/1","province":"82"}',
                                     b'{"envelopes":[1],"format":"ocop-trust-chain/1","province":"82","x":1}',
                                     b"PK\x03\x04 a zip renamed"],
                         ids=["empty", "not-json", "bom", "no-envelopes", "zero-envelopes", "empty-envelope",
                              "extra-field", "zip"])
def test_bad_trust_files_change_nothing(pair: Pair, content: bytes) -> None:
    bad = pair.tmp / "xau.ocoptrust"
    bad.write_bytes(content)
    before = db_digest(pair.local)
    with pytest.raises(PackageRejected) as info:
        trust_updates.import_trust(pair.local, bad)
    assert info.value.message_vi and "Traceback" not in info.value.message_vi
    assert db_digest(pair.local) == before


def test_a_fork_or_a_skipped_version_changes_nothing(pair: Pair) -> None:
    chain = json.loads(_chain(pair, "a.ocoptrust").read_text())
    trust_updates.publish(pair.province, root_signers(pair.province))
    trust_updates.publish(pair.province, root_signers(pair.province))
    newer = json.loads(trust_updates.export_chain(pair.province, pair.tmp / "b.ocoptrust").read_text())
    skipped = {**newer, "envelopes": newer["envelopes"][:2] + newer["envelopes"][3:]}
    (pair.tmp / "skip.ocoptrust").write_text(json.dumps(skipped))
    before = db_digest(pair.local)
    with pytest.raises(PackageRejected) as info:
        trust_updates.import_trust(pair.local, pair.tmp / "skip.ocoptrust")
    assert info.value.code == "TRUST_VERSION" and db_digest(pair.local) == before
    assert trust_updates.import_trust(pair.local, pair.tmp / "b.ocoptrust").after == 4
    (pair.tmp / "old.ocoptrust").write_text(json.dumps(chain))  # an old file is simply nothing new
    again = trust_updates.import_trust(pair.local, pair.tmp / "old.ocoptrust")
    assert (again.before, again.after) == (4, 4)


def test_rollback_check_uses_expired_local_state(pair: Pair) -> None:
    """An office away for more than a year still checks the next version against the expired one it
    holds (TUF: the trusted root verifies its successor even when it has expired)."""
    later = datetime.now(UTC) + timedelta(days=400)
    held = trust_updates.status(pair.local)
    assert held is not None and held.expires < later
    trust_updates.publish(pair.province, root_signers(pair.province), now=later)
    update = trust_updates.import_trust(pair.local, trust_updates.export_chain(pair.province, pair.tmp / "x"),
                                        now=later + timedelta(days=1))
    assert (update.before, update.after) == (held.version, held.version + 1)
    forged = trust_root.sign(trust_root.body(version=held.version + 2, province="82", environment="production",
                                             threshold=1, roots=[_raw(0)], publisher=PUBLISHER, devices=[],
                                             now=later), [ROOTS[0]])
    chain = json.loads((pair.tmp / "x").read_text())
    (pair.tmp / "y").write_text(json.dumps({**chain, "envelopes": chain["envelopes"] + [forged]}))
    with pytest.raises(PackageRejected) as info:  # a stranger's root cannot extend the chain, expired or not
        trust_updates.import_trust(pair.local, pair.tmp / "y", now=later + timedelta(days=1))
    assert info.value.code == "TRUST_OLD_THRESHOLD"
