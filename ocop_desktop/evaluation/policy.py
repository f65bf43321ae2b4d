"""Settings kept in the store (not synced per record): the province's scoring policy."""

from __future__ import annotations

import json
from fractions import Fraction

from database.engine import read_session, write_session
from database.tables import Setting
from ocop_desktop.evaluation.scoring import ScoringPolicy
from ocop_desktop.infra.errors import ValidationFailed
from ocop_desktop.store.context import AppContext

POLICY_KEY = "scoring_policy"


def scoring_policy(ctx: AppContext) -> ScoringPolicy:
    with read_session(ctx.engine) as s:
        row = s.get(Setting, POLICY_KEY)
    if row is None:
        return ScoringPolicy()
    data = json.loads(row.value)
    return ScoringPolicy(quorum=Fraction(data["quorum"]), spread_limit=int(data["spread_limit"]),
                         consolidation=data["consolidation"])


def set_scoring_policy(ctx: AppContext, quorum: str, spread_limit: int, consolidation: str) -> ScoringPolicy:
    """Set the province's rules: quorum as a fraction ("2/3"), spread limit in points, consolidation."""
    errors = {}
    try:
        fraction = Fraction(quorum)
        if not 0 < fraction <= 1:
            raise ValueError
    except (ValueError, ZeroDivisionError):
        errors["quorum"] = f"Tỷ lệ số phiếu '{quorum}' không hợp lệ (ví dụ 2/3 hoặc 3/4)."
    if not 0 <= spread_limit <= 100:
        errors["spread_limit"] = "Mức chênh lệch phải trong khoảng 0–100 điểm."
    if consolidation not in ("median", "all"):
        errors["consolidation"] = "Cách tổng hợp phải là 'median' hoặc 'all'."
    if errors:
        raise ValidationFailed(errors)
    policy = ScoringPolicy(quorum=fraction, spread_limit=spread_limit, consolidation=consolidation)
    value = json.dumps({"quorum": str(fraction), "spread_limit": spread_limit, "consolidation": consolidation})
    with write_session(ctx.engine) as s:
        row = s.get(Setting, POLICY_KEY) or Setting(key=POLICY_KEY)
        row.value = value
        s.add(row)
    return policy
