"""Paged, sorted, filtered lists for the table views, without loading every row.

A list is described by a :class:`ListRequest`; use cases build the statement and call
:func:`fetch_page` / :func:`count`. Rows come back as plain tuples (no ORM objects), so a view of
100,000 products holds only the pages it has shown.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeAlias, TypeVar

from sqlalchemy import ColumnElement, Engine, Select, and_, literal_column, or_

from database import search_index
from database.engine import read_session
from ocop_desktop.language.text import fold
from ocop_desktop.reference.units import ProvinceUnits

AnySelect: TypeAlias = "Select[*tuple[Any, ...]]"


RowT = TypeVar("RowT")


@dataclass(frozen=True)
class ListRequest:
    """What the user asked to see: search text, filters by name, one sort column."""

    search: str = ""
    filters: Mapping[str, Any] = field(default_factory=dict)
    sort: str = ""  # "" = natural order: by name, or by match order while searching
    descending: bool = False
    include_deleted: bool = False

    @property
    def searching(self) -> bool:
        return bool(search_index.tokens(fold(self.search)))


def order(stmt: AnySelect, columns: Mapping[str, Any], req: ListRequest, default: str, table: str) -> AnySelect:
    """Sort by the chosen column; unsorted searches keep the index's match order (fast at any size)."""
    rowid: ColumnElement[Any] = literal_column(f"{table}.rowid")
    if req.sort in columns:
        column = columns[req.sort]
    elif req.searching:
        return stmt.order_by(rowid)
    else:
        column = columns[default]
    primary = column.desc() if req.descending else column.asc()
    if getattr(getattr(column, "expression", column), "nullable", False):
        primary = primary.nulls_last()  # only where needed: NULLS LAST keeps SQLite off the index
    return stmt.order_by(primary, rowid)


def fetch_page(engine: Engine, stmt: AnySelect, offset: int, limit: int,
               make: Callable[[Iterable[Any]], RowT]) -> list[RowT]:
    """A page of ``stmt`` as typed rows (``make`` is a NamedTuple's ``_make``: fields read by name)."""
    with read_session(engine) as s:
        return [make(r) for r in s.execute(stmt.offset(offset).limit(limit)).all()]


def count(engine: Engine, table: str, stmt: AnySelect, req: ListRequest, other_filters: bool) -> int:
    """Rows of ``stmt`` (a ``SELECT count(*)``); a plain search is counted inside the index."""
    with read_session(engine) as s:
        if req.searching and not other_filters and not req.include_deleted:
            live = search_index.count_live_matches(s.connection(), table, fold(req.search))
            if live is not None:
                return live
        return int(s.execute(stmt).scalar() or 0)


def unit_condition(units: ProvinceUnits, unit: str, commune: Any, district: Any) -> ColumnElement[bool]:
    """A filter by unit: a commune code, or ``d:<code>`` for a former district (legacy grouping)."""
    if unit.startswith("d:"):
        # a producer's recorded former district decides; without one, the communes that cover the district
        code = unit[2:]
        return or_(district == code, and_(district.is_(None), commune.in_(units.communes_in_former_district(code))))
    result: ColumnElement[bool] = commune == unit
    return result
