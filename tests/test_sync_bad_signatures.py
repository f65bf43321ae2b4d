"""Bad signatures and keys (docs/threat-model.md §2): a missing, oversized or malformed manifest.sig, invalid
signatures, unknown, revoked or out-of-scope keys, payload types, duplicate and too many signatures."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ocop_desktop.sync.package.format import PAYLOAD_TYPES
from ocop_desktop.sync.trust import enrolment as trust
from ocop_desktop.sync.trust import keys
from tests.bad_packages import Case, assert_refused, set_field, with_entries, with_manifest
from tests.package_builder import PackageBuilder
from tests.sync_fixtures import PASS, Pair, enrol, make_installation


def _sig(edit: Callable[[bytes], bytes]) -> Case:
    def case(b: PackageBuilder, _p: Pair) -> bytes:
        b.sig_bytes = edit
        return b.build()
    return case


def _signed_by_other_unit(b: PackageBuilder, p: Pair) -> bytes:
    other = make_installation(p.tmp / "xa2", "30046", "local", "Cán bộ xã khác")
    enrol(other, p.province, p.tmp)
    header = keys.read_header(trust.device_key_path(other).read_bytes())[2]
    b.key = keys.open_key(trust.device_key_path(other), PASS)
    b.manifest["sender"]["key_id"] = header.key_id
    b.manifest["sender"]["device"] = other.require_installation().device_id
    other.close()
    return b.build()


def _signed_by_revoked(b: PackageBuilder, p: Pair) -> bytes:
    trust.revoke_key(p.province, b.manifest["sender"]["key_id"], "Máy bị mất")
    return b.build()


def _unknown_key(b: PackageBuilder, _p: Pair) -> bytes:
    b.key = Ed25519PrivateKey.generate()
    b.manifest["sender"]["key_id"] = keys.fingerprint(keys.public_raw(b.key), "device")
    return b.build()


def _hint_other_key(b: PackageBuilder, _p: Pair) -> bytes:
    b.key = Ed25519PrivateKey.generate()  # keyid names the enrolled key; the signature is by another
    return b.build()


def _tampered(b: PackageBuilder, _p: Pair) -> bytes:
    b.tamper_manifest = lambda m: m.replace(b'"mode":"full"', b'"mode":"fuLl"')
    return b.build()


def _two_signatures_same_key(b: PackageBuilder, _p: Pair) -> bytes:
    kid = b.manifest["sender"]["key_id"]
    b.signers = [(kid, b.key), (kid, b.key)]
    return b.build()


def _seventeen_signatures(b: PackageBuilder, _p: Pair) -> bytes:
    b.signers = [(f"{i:064x}", Ed25519PrivateKey.generate()) for i in range(17)]
    return b.build()


def _payload(kind: str) -> Case:
    def case(b: PackageBuilder, _p: Pair) -> bytes:
        b.payload_type = PAYLOAD_TYPES.get(kind, kind)
        return b.build()
    return case


def _decision_signed_by_device(b: PackageBuilder, _p: Pair) -> bytes:
    b.manifest["kind"] = "decision"
    return b.build()


def _junk_signature(b: PackageBuilder, _p: Pair) -> bytes:
    def add(sig: bytes) -> bytes:
        document = json.loads(sig)
        document["signatures"].append({"keyid": "0" * 64, "sig": "A" * 86 + "=="})
        return json.dumps(document, sort_keys=True, separators=(",", ":")).encode()
    b.sig_bytes = add
    return b.build()


CASES: dict[str, tuple[str, Case]] = {
    "manifest.sig missing": ("SIG_MISSING", with_entries(lambda ms: ms.pop())),
    "manifest.sig oversized": ("SIG_TOO_LARGE", _sig(lambda s: s[:-1] + b"," + b'"x":"' + b"a" * 70_000 + b'"}')),
    "manifest.sig not JSON": ("JSON_MALFORMED", _sig(lambda s: b"not json at all")),
    "manifest.sig not canonical": ("SIG_MALFORMED", _sig(lambda s: s.replace(b'","', b'", "', 1))),
    "signature not base64": ("SIG_ENCODING", _sig(lambda s: re.sub(rb'"sig":"[^"]+"', b'"sig":"@@@@"', s))),
    "signature wrong length": ("SIG_ENCODING", _sig(lambda s: re.sub(rb'"sig":"[^"]+"', b'"sig":"AAAA"', s))),
    "signature all zeros": ("SIG_INVALID", _sig(lambda s: re.sub(rb'"sig":"[^"]+"',
                                                                 b'"sig":"' + b"A" * 86 + b'=="', s))),
    "manifest changed after signing": ("SIG_INVALID", _tampered),
    "signature hint names another trusted key": ("SIG_INVALID", _hint_other_key),
    "signed by an unknown key": ("KEY_UNKNOWN", _unknown_key),
    "signed by a revoked key": ("KEY_REVOKED", _signed_by_revoked),
    "signed by another unit's key": ("SENDER_SCOPE", _signed_by_other_unit),
    "manifest names another key": ("KEY_MISMATCH", with_manifest(set_field("sender.device", "9" * 32))),
    "kind not allowed for the key": ("KIND_NOT_ALLOWED", _decision_signed_by_device),
    "unknown payload type": ("PAYLOAD_TYPE_UNKNOWN", _payload("application/x-evil")),
    "payload type differs from kind": ("KIND_MISMATCH", _payload("receipt")),
    "same key signs twice": ("DUPLICATE_SIGNATURE", _two_signatures_same_key),
    "too many signatures": ("TOO_MANY_SIGNATURES", _seventeen_signatures),
    # found by the adversarial review: one byte form per package, no crash on odd input
    "a second, junk signature entry": ("SIG_MALFORMED", _junk_signature),
}


@pytest.mark.parametrize("name", list(CASES))
def test_bad_input(base_package: tuple[PackageBuilder, Pair], name: str) -> None:
    code, case = CASES[name]
    assert_refused(base_package, name, code, case)
