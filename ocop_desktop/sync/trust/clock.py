"""A clock that never runs behind what this installation has already seen (docs/threat-model.md item 16).

Expiry of downward packages and trust versions is judged against the later of the system clock and
a persisted high-water mark (the latest system time seen at an import, an export or a trust update,
and the newest verified trust version's creation time). Setting the computer's clock back therefore
cannot make an expired file valid again; a clock well behind the mark is shown as a clock error.
Ordering never uses clocks: version vectors do that.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlmodel import Session, col, select

from database.engine import read_session
from database.tables import TrustRootVersion
from ocop_desktop.records.settings import SettingSpec, declare, read_setting, write_setting
from ocop_desktop.records.stamping import current_installation
from ocop_desktop.store.context import AppContext

TOLERANCE = timedelta(minutes=10)  # a clock corrected by a few minutes is not an error


def _decode(value: Any) -> datetime | None:
    return None if value is None else datetime.fromisoformat(str(value))


#: the latest time this installation has seen (bookkeeping of every import and export: not audited)
HIGH_WATER = declare(SettingSpec(
    key="clock_high_water", label="Mốc thời gian đã thấy", scope="installation", default=lambda _ctx: None,
    decode=_decode, encode=lambda moment: None if moment is None else moment.isoformat(), audited=False))


def _stored(s: Session) -> datetime | None:
    return read_setting(s, None, HIGH_WATER)


def high_water(ctx: AppContext) -> datetime | None:
    with read_session(ctx.engine) as s:
        marks = [_stored(s), s.scalars(select(col(TrustRootVersion.created))
                                       .order_by(col(TrustRootVersion.created).desc())).first()]
    seen = [m for m in marks if m is not None]
    return max(seen) if seen else None


def now(ctx: AppContext, system: datetime | None = None) -> datetime:
    """The time to judge expiry by: the system time, or the high-water mark if that is later."""
    moment = system or datetime.now(UTC)
    mark = high_water(ctx)
    return max(moment, mark) if mark is not None else moment


def behind(ctx: AppContext, system: datetime | None = None) -> timedelta | None:
    """How far the system clock is behind the mark, when that is more than a correction."""
    moment = system or datetime.now(UTC)
    mark = high_water(ctx)
    return mark - moment if mark is not None and mark - moment > TOLERANCE else None


def remember(s: Session, system: datetime | None = None) -> None:
    """Raise the mark to the system time, in the caller's write transaction."""
    moment = system or datetime.now(UTC)
    stored = _stored(s)
    if stored is None or moment > stored:
        write_setting(s, current_installation(s), HIGH_WATER, moment)
