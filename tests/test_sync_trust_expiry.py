"""Expiry of the trust versions an office holds: the warning before, refusing province packages after,
a clock set back, and the rollback check against an expired version."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from ocop_desktop.sync.exchange.export import export_package
from ocop_desktop.sync.exchange.importer import import_package
from ocop_desktop.sync.exchange.installation_view import InstallationView
from ocop_desktop.sync.package.rejections import PackageRejected
from ocop_desktop.sync.package.verify import verify_file
from ocop_desktop.sync.trust import root as trust_root
from ocop_desktop.sync.trust import updates as trust_updates
from tests.sync_fixtures import (
    PASS,
    Pair,
    decision_to_commune,
    root_signers,
)
from tests.trust_roots import PUBLISHER, ROOTS, root_raw


def test_expired_trust_refuses_downward_packages_and_warns_first(pair: Pair) -> None:
    import_package(pair.province, export_package(pair.local, PASS, "82", pair.tmp / "1.ocsync", full=True).path)
    package = decision_to_commune(pair, "103")
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
    package = decision_to_commune(pair, "104")
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
                                             threshold=1, roots=[root_raw(0)], publisher=PUBLISHER, devices=[],
                                             now=later), [ROOTS[0]])
    chain = json.loads((pair.tmp / "x").read_text())
    (pair.tmp / "y").write_text(json.dumps({**chain, "envelopes": chain["envelopes"] + [forged]}))
    with pytest.raises(PackageRejected) as info:  # a stranger's root cannot extend the chain, expired or not
        trust_updates.import_trust(pair.local, pair.tmp / "y", now=later + timedelta(days=1))
    assert info.value.code == "TRUST_OLD_THRESHOLD"
