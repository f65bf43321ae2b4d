"""The province's scoring policy (quorum, spread limit, how minimums are consolidated), kept as a
declared setting: read with its default, written validated and audited."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from ocop_desktop.evaluation.scoring import ScoringPolicy
from ocop_desktop.infra.errors import ValidationFailed
from ocop_desktop.records.settings import SettingSpec, declare, save_setting, setting
from ocop_desktop.store.context import AppContext


def _decode(data: Any) -> ScoringPolicy:
    return ScoringPolicy(quorum=Fraction(data["quorum"]), spread_limit=int(data["spread_limit"]),
                         consolidation=str(data["consolidation"]))


def _encode(policy: ScoringPolicy) -> dict[str, Any]:
    return {"quorum": str(policy.quorum), "spread_limit": policy.spread_limit, "consolidation": policy.consolidation}


def _check(policy: ScoringPolicy) -> dict[str, str]:
    errors = {}
    if not 0 < policy.quorum <= 1:
        errors["quorum"] = f"Tỷ lệ số phiếu '{policy.quorum}' không hợp lệ (ví dụ 2/3 hoặc 3/4)."
    if not 0 <= policy.spread_limit <= 100:
        errors["spread_limit"] = "Mức chênh lệch phải trong khoảng 0–100 điểm."
    if policy.consolidation not in ("median", "all"):
        errors["consolidation"] = "Cách tổng hợp phải là 'median' hoặc 'all'."
    return errors


SCORING_POLICY = declare(SettingSpec(
    key="scoring_policy", label="Quy định chấm điểm của tỉnh", scope="province",
    default=lambda _ctx: ScoringPolicy(), decode=_decode, encode=_encode, check=_check))


def scoring_policy(ctx: AppContext) -> ScoringPolicy:
    return setting(ctx, SCORING_POLICY)


def set_scoring_policy(ctx: AppContext, quorum: str, spread_limit: int, consolidation: str) -> ScoringPolicy:
    """Set the province's rules: quorum as a fraction ("2/3"), spread limit in points, consolidation."""
    try:
        fraction = Fraction(quorum)
    except (ValueError, ZeroDivisionError):
        raise ValidationFailed({"quorum": f"Tỷ lệ số phiếu '{quorum}' không hợp lệ (ví dụ 2/3 hoặc 3/4)."}) from None
    policy = ScoringPolicy(quorum=fraction, spread_limit=spread_limit, consolidation=consolidation)
    save_setting(ctx, SCORING_POLICY, policy)  # validated there, with the other settings
    return policy
