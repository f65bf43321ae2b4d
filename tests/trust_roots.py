"""Six throwaway root keys (A..F) and trust-root versions signed with them, made without an installation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ocop_desktop.sync.trust import keys
from ocop_desktop.sync.trust import root as trust_root
from ocop_desktop.sync.trust.root import RootVersion

NOW = datetime(2026, 11, 28, tzinfo=UTC)
PUBLISHER = keys.public_raw(Ed25519PrivateKey.generate())
ROOTS = [Ed25519PrivateKey.generate() for _ in range(6)]  # A..F


def root_raw(index: int) -> bytes:
    """The public key of root ``index``."""
    return keys.public_raw(ROOTS[index])


def signed_version(number: int, roots: list[int], threshold: int, signers: list[int], *, now: datetime = NOW,
                   validity: timedelta = trust_root.VALIDITY, province: str = "82") -> dict[str, Any]:
    """Version ``number`` naming ``roots`` with ``threshold``, signed by ``signers`` (indices into ROOTS)."""
    payload = trust_root.body(version=number, province=province, environment="production", threshold=threshold,
                              roots=[root_raw(i) for i in roots], publisher=PUBLISHER, devices=[], now=now,
                              validity=validity)
    return trust_root.sign(payload, [ROOTS[i] for i in signers])


def genesis(roots: list[int], threshold: int) -> RootVersion:
    """A first version, self-signed by all its roots and verified against its own fingerprint."""
    envelope = signed_version(1, roots, threshold, roots)
    payload, _ = trust_root.open_envelope(envelope)
    return trust_root.verify_genesis(envelope, trust_root.genesis_fingerprint(payload))
