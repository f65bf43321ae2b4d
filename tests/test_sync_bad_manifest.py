"""Bad manifests (docs/threat-model.md §2): strict JSON, fields, recipient and environment, epoch, sequence and
time, the files[] list and counts; and a downward package past its expiry."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from database.engine import write_session
from database.tables import SyncLedger
from ocop_desktop.store.context import AppContext
from ocop_desktop.sync.exchange.installation_view import verify_package
from ocop_desktop.sync.package.container import LIMITS, Limits
from ocop_desktop.sync.package.format import timestamp
from ocop_desktop.sync.package.rejections import PackageRejected
from ocop_desktop.sync.trust import enrolment as trust
from ocop_desktop.sync.trust import keys
from tests.bad_packages import Case, assert_refused, set_field, with_manifest
from tests.package_builder import PackageBuilder
from tests.sync_fixtures import Pair, db_digest


def _manifest_bytes(edit: Callable[[bytes], bytes]) -> Case:
    def case(b: PackageBuilder, _p: Pair) -> bytes:
        b.manifest_bytes = edit
        return b.build()
    return case


def _trust_version(manifest: bytes, value: bytes) -> bytes:
    """The manifest with its trust_version's digits replaced by ``value`` (a spelling JSON forbids)."""
    edited, n = re.subn(rb'"trust_version":[0-9]+', b'"trust_version":' + value, manifest)
    assert n == 1
    return edited


def _ledger(status: str, seq: int, same_seq_other_hash: bool = False) -> Case:
    def case(b: PackageBuilder, p: Pair) -> bytes:
        b.manifest["sender"]["seq"] = 3 if not same_seq_other_hash else seq
        if b.manifest["sender"]["seq"] != 1:  # a later package always names its predecessor
            b.manifest["sender"]["prev_package_sha256"] = "cd" * 32
        with write_session(p.province.engine) as s:
            s.add(SyncLedger(sha256="ab" * 32, package_id="0" * 32, kind="upward-export", sender_unit="30037",
                             sender_device=b.manifest["sender"]["device"], key_id=b.manifest["sender"]["key_id"],
                             epoch=1, seq=seq, created_at=datetime.now(UTC), status=status))
        return b.build()
    return case


def _expired_downward(b: PackageBuilder, p: Pair) -> tuple[bytes, Limits, AppContext]:
    key_id = keys.read_header(trust.device_key_path(p.province).read_bytes())[2].key_id
    inst = p.province.require_installation()
    b.key = p.province_key()
    b.records, b.files = {}, {}
    b.manifest.update(kind="decision", expires=timestamp(datetime.now(UTC) - timedelta(days=1)),
                      recipient={"unit": "30037"})
    b.manifest["sender"].update(unit="82", device=inst.device_id, key_id=key_id)
    return b.build(), LIMITS, p.local


CASES: dict[str, tuple[str, Case]] = {
    "duplicate JSON key": ("JSON_DUPLICATE_KEY", _manifest_bytes(lambda m: m[:-1] + b',"kind":"upward-export"}')),
    "NaN": ("JSON_NON_FINITE", _manifest_bytes(lambda m: _trust_version(m, b"NaN"))),
    "Infinity": ("JSON_NON_FINITE", _manifest_bytes(lambda m: _trust_version(m, b"-Infinity"))),
    "lone surrogate": ("JSON_SURROGATE", _manifest_bytes(lambda m: m[:-1] + b',"x":"\\ud800"}')),
    "invalid UTF-8": ("JSON_ENCODING", _manifest_bytes(lambda m: m[:-1] + b',"x":"\xc3\x28"}')),
    "BOM": ("JSON_ENCODING", _manifest_bytes(lambda m: b"\xef\xbb\xbf" + m)),
    "nesting too deep": ("JSON_LIMITS", _manifest_bytes(lambda m: m[:-1] + b',"x":' + b"[" * 40 + b"]" * 40 + b"}")),
    "integer too large": ("JSON_LIMITS", _manifest_bytes(lambda m: _trust_version(m, b"9" * 30))),
    "unsupported format version": ("FORMAT_UNSUPPORTED", with_manifest(set_field("format_version", 2))),
    "missing field": ("MANIFEST_FIELD", with_manifest(lambda m: m.pop("audit_head"))),
    "unknown field": ("MANIFEST_FIELD", with_manifest(set_field("algorithm", "none"))),
    "wrongly typed field": ("MANIFEST_FIELD", with_manifest(set_field("sender.seq", "1"))),
    "recipient is another province": ("WRONG_RECIPIENT", with_manifest(set_field("recipient.unit", "87"))),
    "training into production": ("WRONG_ENVIRONMENT", with_manifest(set_field("environment", "training"))),
    "epoch not authorised": ("EPOCH_NOT_AUTHORISED", with_manifest(set_field("sender.epoch", 2))),
    "seq lower than the last": ("SEQ_REPLAYED", _ledger("imported", 5)),
    "same seq, another package": ("EQUIVOCATION", _ledger("imported", 1, same_seq_other_hash=True)),
    "expected seq, linked to another package": ("CHAIN_FORK", _ledger("imported", 2)),  # 3 after 2, other link
    "created far in the future": ("FUTURE_CREATED", with_manifest(set_field("created_at", timestamp(
        datetime.now(UTC) + timedelta(days=30))))),
    "files[] bad path": ("FILES_ENTRY_INVALID", with_manifest(lambda m: m["files"][0].update(path="../x"))),
    "files[] negative size": ("FILES_ENTRY_INVALID", with_manifest(lambda m: m["files"][0].update(size=-1))),
    "files[] non-hex hash": ("FILES_ENTRY_INVALID", with_manifest(lambda m: m["files"][0].update(sha256="z" * 64))),
    "member hash differs": ("MEMBER_HASH", with_manifest(lambda m: m["files"][0].update(sha256="0" * 64))),
    "member size differs": ("MEMBER_SIZE", with_manifest(lambda m: m["files"][0].update(
        size=m["files"][0]["size"] + 1))),
    "counts differ from records": ("COUNT_MISMATCH", with_manifest(lambda m: m["counts"].update(product=2))),
    # found by the adversarial review: one byte form per package, no crash on odd input
    "kind is a list": ("MANIFEST_FIELD", with_manifest(set_field("kind", ["upward-export"]))),
    "non-ASCII digits in created_at": ("MANIFEST_FIELD", with_manifest(set_field("created_at",
                                                                                "٢٠٢٦-01-01T00:00:00Z"))),
}


@pytest.mark.parametrize("name", list(CASES))
def test_bad_input(base_package: tuple[PackageBuilder, Pair], name: str) -> None:
    code, case = CASES[name]
    assert_refused(base_package, name, code, case)


def test_expired_downward_package(base_package: tuple[PackageBuilder, Pair]) -> None:
    builder, p = base_package
    data, _, receiver = _expired_downward(builder.copy(), p)
    (p.tmp / "d.ocsync").write_bytes(data)
    before = db_digest(receiver)
    with pytest.raises(PackageRejected) as info:
        verify_package(receiver, p.tmp / "d.ocsync")
    assert info.value.code == "EXPIRED"
    assert db_digest(receiver) == before
