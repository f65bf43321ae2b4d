"""Paged, sorted, filtered lists for the table views, without loading every row.

A list is described by a :class:`ListRequest`; use cases build the statement and call
:func:`fetch_page` / :func:`count`. Rows come back as plain tuples (no ORM objects), so a view of
100,000 products holds only the pages it has shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TypeAlias

from sqlalchemy import ColumnElement, Engine, Select, func, or_, select

from database.engine import read_session
from ocop_desktop.units import ProvinceUnits

AnySelect: TypeAlias = "Select[*tuple[Any, ...]]"


@dataclass(frozen=True)
class ListRequest:
    """What the user asked to see: search text, filters by name, one sort column."""

    search: str = ""
    filters: Mapping[str, Any] = field(default_factory=dict)
    sort: str = "name"
    descending: bool = False
    include_deleted: bool = False


def order(stmt: AnySelect, columns: Mapping[str, Any], req: ListRequest, tiebreak: Any) -> AnySelect:
    column = columns.get(req.sort) or next(iter(columns.values()))
    primary = column.desc() if req.descending else column.asc()
    return stmt.order_by(primary.nulls_last(), tiebreak)


def fetch_page(engine: Engine, stmt: AnySelect, offset: int, limit: int) -> list[tuple[Any, ...]]:
    with read_session(engine) as s:
        return [tuple(r) for r in s.execute(stmt.offset(offset).limit(limit)).all()]


def count(engine: Engine, stmt: AnySelect) -> int:
    with read_session(engine) as s:
        total = s.execute(select(func.count()).select_from(stmt.order_by(None).subquery())).scalar()
    return int(total or 0)


def unit_condition(units: ProvinceUnits, unit: str, commune: Any, district: Any) -> ColumnElement[bool]:
    """A filter by unit: a commune code, or ``d:<code>`` for a former district (legacy grouping)."""
    if unit.startswith("d:"):
        code = unit[2:]
        return or_(district == code, commune.in_(units.communes_in_former_district(code)))
    result: ColumnElement[bool] = commune == unit
    return result
