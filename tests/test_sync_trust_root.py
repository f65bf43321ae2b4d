"""The province's trust root on its own: versions N → N+1 signed by thresholds of old and new root keys
(docs/threat-model.md items 5–8, 13, 15), with throwaway keys and no installation."""

from __future__ import annotations

import base64
import json
from datetime import timedelta
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ocop_desktop.sync.package.rejections import PackageRejected
from ocop_desktop.sync.trust import keys
from ocop_desktop.sync.trust import root as trust_root
from tests.trust_roots import NOW, PUBLISHER, ROOTS, genesis, root_raw, signed_version

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
    held = genesis(first_roots, first_t)
    envelope = signed_version(2, next_roots, next_t, signers)
    if expected is True:
        following = trust_root.verify_next(held, envelope)
        assert (following.version, following.threshold, len(following.roots)) == (2, next_t, len(next_roots))
    else:
        with pytest.raises(PackageRejected) as info:
            trust_root.verify_next(held, envelope)
        assert info.value.code == expected


def test_trust_doc_nonconsecutive_version_rejected() -> None:
    held = genesis([0], 1)
    for number in (1, 3, 7):
        with pytest.raises(PackageRejected) as info:
            trust_root.verify_next(held, signed_version(number, [0], 1, [0]))
        assert info.value.code == "TRUST_VERSION"


def test_same_key_twice_does_not_meet_threshold_2() -> None:
    held = genesis([0, 1], 2)
    envelope = signed_version(2, [0, 1], 2, [0])
    envelope["signatures"] = envelope["signatures"] * 2  # the same valid signature, twice
    with pytest.raises(PackageRejected) as info:
        trust_root.verify_next(held, envelope)
    assert info.value.code == "TRUST_DUPLICATE_SIGNATURE"
    # a root set naming one key twice cannot be used to count it twice either
    payload = json.loads(base64.b64decode(signed_version(2, [0, 1], 2, [])["payload"]))
    payload["roots"] = [payload["roots"][0]] * 2
    body = json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()
    with pytest.raises(PackageRejected) as info:
        trust_root.verify_next(held, trust_root.sign(body, [ROOTS[0], ROOTS[1]]))
    assert info.value.code == "TRUST_DUPLICATE_SIGNATURE"


def test_too_many_signatures_rejected() -> None:
    held = genesis([0], 1)
    envelope = signed_version(2, [0], 1, [0])
    extra = [{"keyid": f"{i:064x}", "sig": envelope["signatures"][0]["sig"]} for i in range(16)]
    envelope["signatures"] += extra
    with pytest.raises(PackageRejected) as info:
        trust_root.verify_next(held, envelope)
    assert info.value.code == "TRUST_TOO_MANY_SIGNATURES"


def test_publisher_key_cannot_sign_trust_update() -> None:
    publisher = Ed25519PrivateKey.generate()
    held = trust_root.verify_genesis(*_self_signed(publisher))
    payload = trust_root.body(version=2, province="82", environment="production", threshold=1, roots=[root_raw(0)],
                              publisher=keys.public_raw(publisher), devices=[], now=NOW)
    with pytest.raises(PackageRejected) as info:
        trust_root.verify_next(held, trust_root.sign(payload, [publisher]))
    assert info.value.code == "TRUST_OLD_THRESHOLD"


def _self_signed(publisher: Ed25519PrivateKey) -> tuple[dict[str, Any], str]:
    payload = trust_root.body(version=1, province="82", environment="production", threshold=1, roots=[root_raw(0)],
                              publisher=keys.public_raw(publisher), devices=[], now=NOW)
    return trust_root.sign(payload, [ROOTS[0]]), trust_root.genesis_fingerprint(payload)


def test_flipped_payload_byte_and_swapped_type_fail() -> None:
    held = genesis([0], 1)
    envelope = signed_version(2, [0], 1, [0])
    payload = bytearray(base64.b64decode(envelope["payload"]))
    payload[payload.index(b'"version":2') + 10] = ord("3")
    with pytest.raises(PackageRejected) as info:
        trust_root.verify_next(held, {**envelope, "payload": base64.b64encode(bytes(payload)).decode()})
    assert info.value.code == "TRUST_OLD_THRESHOLD"
    with pytest.raises(PackageRejected) as info:
        trust_root.verify_next(held, {**envelope, "payloadType": "application/vnd.ocop.catalog.v1+json"})
    assert info.value.code == "PAYLOAD_TYPE_UNKNOWN"


def test_genesis_needs_the_fingerprint_read_out() -> None:
    envelope = signed_version(1, [0], 1, [0])
    other = trust_root.genesis_fingerprint(base64.b64decode(signed_version(1, [1], 1, [1])["payload"]))
    with pytest.raises(PackageRejected) as info:
        trust_root.verify_genesis(envelope, other)
    assert info.value.code == "TRUST_FINGERPRINT"


def test_only_the_newest_version_must_be_unexpired() -> None:
    old = NOW - timedelta(days=800)
    first = trust_root.sign(trust_root.body(version=1, province="82", environment="production", threshold=1,
                                            roots=[root_raw(0)], publisher=PUBLISHER, devices=[], now=old), [ROOTS[0]])
    fingerprint = trust_root.genesis_fingerprint(base64.b64decode(first["payload"]))
    second = signed_version(2, [0], 1, [0], now=NOW)
    fresh = trust_root.verify_chain(None, [first, second], set(), NOW, fingerprint)  # v1 expired long ago
    assert [v.version for v in fresh] == [1, 2]
    with pytest.raises(PackageRejected) as info:
        trust_root.verify_chain(None, [first], set(), NOW, fingerprint)
    assert info.value.code == "TRUST_EXPIRED"
