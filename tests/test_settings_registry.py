"""Settings are declared once (key, type, default, scope, validation), written only through the
registry, and every change of a rule is audited with what it was and what it became."""

from __future__ import annotations

from fractions import Fraction

import pytest
from sqlmodel import select

from database.engine import read_session, write_session
from database.tables import AuditEntry, Setting
from ocop_desktop.evaluation.policy import SCORING_POLICY, scoring_policy, set_scoring_policy
from ocop_desktop.evaluation.scoring import ScoringPolicy
from ocop_desktop.infra.errors import ValidationFailed
from ocop_desktop.records.audit import verify
from ocop_desktop.records.settings import REGISTRY, SettingSpec, declare
from ocop_desktop.reports.dashboard import set_targets, targets
from ocop_desktop.store.context import AppContext
from ocop_desktop.sync.trust import clock
from tests.conftest import ROOT


def _audit(ctx: AppContext, key: str) -> list[AuditEntry]:
    with read_session(ctx.engine) as s:
        return list(s.exec(select(AuditEntry).where(AuditEntry.table_name == "setting", AuditEntry.record_id == key)))


def test_every_setting_is_declared_once_with_its_scope() -> None:
    assert {k: v.scope for k, v in REGISTRY.items()}.items() >= {
        "scoring_policy": "province", "targets": "province", "clock_high_water": "installation"}.items()
    with pytest.raises(ValueError, match="declared twice"):
        declare(SettingSpec(key="targets", label="x", scope="province", default=lambda _c: 0, decode=int, encode=int))


def test_only_the_registry_writes_the_setting_table() -> None:
    writers = [str(p.relative_to(ROOT)) for p in sorted((ROOT / "ocop_desktop").rglob("*.py"))
               if "Setting(" in p.read_text(encoding="utf-8").replace("SettingSpec(", "")]
    assert writers == ["ocop_desktop/records/settings.py"]


def test_a_policy_change_is_audited_with_before_and_after(ctx: AppContext) -> None:
    assert scoring_policy(ctx) == ScoringPolicy()  # the default until written
    set_scoring_policy(ctx, "3/4", 15, "all")
    set_scoring_policy(ctx, "3/4", 15, "all")  # the same rules again: nothing to record
    set_scoring_policy(ctx, "2/3", 15, "all")
    entries = _audit(ctx, "scoring_policy")
    assert [e.action for e in entries] == ["setting", "setting"]
    assert entries[0].before is None and '"quorum":"3/4"' in (entries[0].after or "")
    assert '"quorum":"3/4"' in (entries[1].before or "") and '"quorum":"2/3"' in (entries[1].after or "")
    assert entries[1].actor == "Nguyễn Thị Lan" and verify(ctx.engine).ok
    assert scoring_policy(ctx) == ScoringPolicy(quorum=Fraction(2, 3), spread_limit=15, consolidation="all")


def test_a_refused_value_changes_nothing(ctx: AppContext) -> None:
    set_targets(ctx, 2026, 2030, 150, 70, 15)
    before = targets(ctx)
    with pytest.raises(ValidationFailed) as info:
        set_targets(ctx, 2031, 2030, 150, 70, 15)
    assert "period" in info.value.errors
    with pytest.raises(ValidationFailed):
        set_scoring_policy(ctx, "5/3", 15, "all")
    assert targets(ctx) == before and scoring_policy(ctx) == ScoringPolicy()
    assert len(_audit(ctx, "targets")) == 1 and _audit(ctx, "scoring_policy") == []


def test_an_unreadable_stored_value_reads_as_the_default(ctx: AppContext) -> None:
    with write_session(ctx.engine) as s:
        s.add(Setting(key=SCORING_POLICY.key, value='{"quorum": "nửa"}'))
    assert scoring_policy(ctx) == ScoringPolicy()


def test_the_clock_mark_is_bookkeeping_not_an_audited_rule(ctx: AppContext) -> None:
    from datetime import UTC, datetime

    moment = datetime(2027, 1, 2, 3, 4, 5, tzinfo=UTC)
    with write_session(ctx.engine) as s:
        clock.remember(s, moment)
    assert clock.high_water(ctx) == moment and _audit(ctx, "clock_high_water") == []
