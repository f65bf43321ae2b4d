"""A clock that never runs behind what this installation has already seen (docs/threat-model.md item 16).

Expiry of downward packages and trust versions is judged against the later of the system clock and
a persisted high-water mark (the latest system time seen at an import, an export or a trust update,
and the newest verified trust version's creation time). Setting the computer's clock back therefore
cannot make an expired file valid again; a clock well behind the mark is shown as a clock error.
Ordering never uses clocks: version vectors do that.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import Session, col, select

from database.engine import read_session
from database.tables import Setting, TrustRootVersion
from ocop_desktop.store.context import AppContext

KEY = "clock_high_water"
TOLERANCE = timedelta(minutes=10)  # a clock corrected by a few minutes is not an error


def _stored(s: Session) -> datetime | None:
    row = s.get(Setting, KEY)
    return datetime.fromisoformat(row.value.strip('"')) if row is not None else None


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
        row = s.get(Setting, KEY) or Setting(key=KEY)
        row.value = f'"{moment.isoformat()}"'
        s.add(row)
