"""Every rejection code is produced by some case: the bad inputs, the documented limits, and the
cases here for the codes that have none there (the trust file's codes among them)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ocop_desktop.sync.exchange import catalogs
from ocop_desktop.sync.exchange.installation_view import verify_package
from ocop_desktop.sync.package.rejections import MESSAGES
from ocop_desktop.sync.trust import root as trust_root
from tests.package_format_cases import DOC, Base, _code, _raises, _trust_envelope
from tests.test_package_format_limits import LIMIT_CASES, _doc_code, _trust_signatures
from tests.test_sync_bad_inputs import THEMES
from tests.test_sync_bad_manifest import _expired_downward

CASES = {name: case for theme in THEMES for name, case in theme.CASES.items()}


def _trust_codes() -> dict[str, Callable[[Base], str]]:
    now = datetime.now(UTC)

    def genesis(b: Base) -> str:
        envelope, _ = _trust_envelope(1)
        return _raises(lambda: trust_root.verify_genesis(envelope, "AAAA"))

    def version(b: Base) -> str:
        envelope, _ = _trust_envelope(1, version=2)
        payload = trust_root.open_envelope(envelope)[0]
        return _raises(lambda: trust_root.verify_genesis(envelope, trust_root.genesis_fingerprint(payload)))

    def first(roots: list[Ed25519PrivateKey] | None = None) -> trust_root.RootVersion:
        envelope, _ = _trust_envelope(1, roots=roots)
        payload = trust_root.open_envelope(envelope)[0]
        return trust_root.verify_genesis(envelope, trust_root.genesis_fingerprint(payload))

    def old_threshold(b: Base) -> str:
        held = first()
        envelope, _ = _trust_envelope(1, version=2)
        return _raises(lambda: trust_root.verify_next(held, envelope))

    def new_threshold(b: Base) -> str:
        roots = [Ed25519PrivateKey.generate() for _ in range(2)]
        envelope, _ = _trust_envelope(1, roots=roots, threshold=2)
        payload = trust_root.open_envelope(envelope)[0]
        return _raises(lambda: trust_root.verify_genesis(envelope, trust_root.genesis_fingerprint(payload)))

    def province(b: Base) -> str:
        roots = [Ed25519PrivateKey.generate()]
        held = first(roots)
        envelope, _ = _trust_envelope(1, version=2, province="87", roots=roots)
        return _raises(lambda: trust_root.verify_next(held, envelope))

    def expired(b: Base) -> str:
        return _raises(lambda: trust_root.check_fresh(first(), now + timedelta(days=400)))

    def not_pinned(b: Base) -> str:
        envelope, _ = _trust_envelope(1)
        return _raises(lambda: trust_root.verify_chain(None, [envelope], set(), now))

    return {"TRUST_MALFORMED": lambda b: _raises(lambda: trust_root.open_envelope({})),
            "TRUST_FINGERPRINT": genesis, "TRUST_VERSION": version, "TRUST_OLD_THRESHOLD": old_threshold,
            "TRUST_NEW_THRESHOLD": new_threshold, "TRUST_DUPLICATE_SIGNATURE": lambda b: _raises(
                lambda: trust_root.open_envelope({**(e := _trust_envelope(1)[0]), "signatures": e["signatures"] * 2})),
            "TRUST_TOO_MANY_SIGNATURES": _trust_signatures, "TRUST_PROVINCE": province, "TRUST_EXPIRED": expired,
            "TRUST_NOT_PINNED": not_pinned}


def _unreadable(b: Base, monkeypatch: pytest.MonkeyPatch) -> str:
    """No input is known to reach UNREADABLE: an internal error stands in for the bug it would be."""
    from ocop_desktop.sync.package import verify

    def broken(_manifest: Any) -> Any:
        raise KeyError("a check that trips over its input")
    monkeypatch.setattr(verify, "check_manifest", broken)
    builder, p = b
    return _code(p, builder.build())


def _expired(b: Base) -> str:
    builder, p = b
    data, _, receiver = _expired_downward(builder, p)
    (p.tmp / "d.ocsync").write_bytes(data)
    return _raises(lambda: verify_package(receiver, p.tmp / "d.ocsync"))


EXTRA_CASES: dict[str, Callable[[Base], str]] = {
    "FILE_UNREADABLE": lambda b: _raises(lambda: verify_package(b[1].province, b[1].tmp)),  # a folder
    "TRUNCATED": lambda b: _code(b[1], b[0].build()[:-30]),
    "EXPIRED": _expired,
    "CATALOG_INVALID": lambda b: _raises(lambda: catalogs.store_received(b[1].province, "bo-moi", "0" * 64, b"{}")),
    **_trust_codes(),
}
CANNOT_BE_PRODUCED_BY_INPUT = {"UNREADABLE"}  # see docs/package-format.md §7


@pytest.mark.parametrize("code", list(EXTRA_CASES))
def test_extra_case_produces_its_code(package: Base, code: str) -> None:
    assert EXTRA_CASES[code](package) == code


def test_unreadable_is_what_an_internal_error_becomes(package: Base, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _unreadable(package, monkeypatch) == "UNREADABLE"


def test_every_rejection_code_is_produced_by_some_case() -> None:
    produced = {code for code, _ in CASES.values()} | set(EXTRA_CASES) | {_doc_code(k) for k in LIMIT_CASES}
    assert sorted(set(MESSAGES) - produced - CANNOT_BE_PRODUCED_BY_INPUT) == []
    assert produced | CANNOT_BE_PRODUCED_BY_INPUT <= set(MESSAGES)
    assert "Only\n`UNREADABLE` cannot be produced by any input" in DOC
