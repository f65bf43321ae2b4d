"""What the package-format tests share: a real package to edit, and how a verifier's refusal reads."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ocop_desktop.sync.exchange.export import export_package
from ocop_desktop.sync.exchange.installation_view import verify_package
from ocop_desktop.sync.package.container import LIMITS, Limits
from ocop_desktop.sync.package.rejections import PackageRejected
from ocop_desktop.sync.trust import keys
from ocop_desktop.sync.trust import root as trust_root
from tests import doc_tables
from tests.package_builder import PackageBuilder
from tests.sync_fixtures import PASS, Pair

Base = tuple[PackageBuilder, Pair]


@pytest.fixture
def package(pair: Pair) -> Base:
    """A builder holding the records and files of a real package from the commune, and the pair."""
    result = export_package(pair.local, PASS, "82", pair.tmp / "goc.ocsync", full=True)
    return PackageBuilder.from_package(result.path, pair.local_key()), pair
DOC = doc_tables.DOC.read_text(encoding="utf-8")


def _verify(p: Pair, data: bytes, limits: Limits = LIMITS) -> Any:
    target = p.tmp / "doc.ocsync"
    target.write_bytes(data)
    return verify_package(p.province, target, limits=limits)


def _code(p: Pair, data: bytes, limits: Limits = LIMITS) -> str:
    with pytest.raises(PackageRejected) as info:
        _verify(p, data, limits)
    return info.value.code


def _raises(call: Callable[[], Any]) -> str:
    with pytest.raises(PackageRejected) as info:
        call()
    return info.value.code


def _trust_envelope(signers: int, *, version: int = 1, province: str = "82", threshold: int = 1,
                    roots: list[Ed25519PrivateKey] | None = None,
                    now: datetime | None = None) -> tuple[dict[str, Any], list[Ed25519PrivateKey]]:
    roots = roots or [Ed25519PrivateKey.generate() for _ in range(max(signers, 1))]
    payload = trust_root.body(version=version, province=province, environment="production", threshold=threshold,
                              roots=[keys.public_raw(k) for k in roots][:16],
                              publisher=keys.public_raw(Ed25519PrivateKey.generate()), devices=[],
                              now=now or datetime.now(UTC))
    return trust_root.sign(payload, roots[:signers]), roots


def _nested(depth: int, inner: bytes = b"") -> bytes:
    return b"[" * depth + inner + b"]" * depth
