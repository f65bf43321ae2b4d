"""Hostile or broken trust inputs change nothing: enrolment requests with wrongly typed fields, bad
trust files, a forked or skipped version."""

from __future__ import annotations

import base64
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ocop_desktop.infra.errors import OcopError
from ocop_desktop.sync.package.rejections import PackageRejected
from ocop_desktop.sync.trust import enrolment as trust
from ocop_desktop.sync.trust import keys
from ocop_desktop.sync.trust import updates as trust_updates
from tests.sync_fixtures import (
    Pair,
    db_digest,
    export_trust_chain,
    root_signers,
)


@pytest.mark.parametrize("edit", [{"purpose": 5}, {"unit": ["30037"]}, {"epoch": "1"}, {"officer": {"a": 1}}],
                         ids=["purpose-number", "unit-list", "epoch-text", "officer-object"])
def test_hostile_enrolment_requests_are_refused_plainly(pair: Pair, edit: dict[str, object]) -> None:
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
    chain = json.loads(export_trust_chain(pair, "a.ocoptrust").read_text())
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
