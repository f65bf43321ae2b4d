"""Counts for the CLI and the status bar: producers, products, recognised products by star."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlmodel import col

from database.engine import read_session
from database.tables import Producer, Product
from ocop_desktop.reference.vocab import RECOGNISED_STARS
from ocop_desktop.store.context import AppContext


def summary(ctx: AppContext) -> dict[str, Any]:
    """``producers`` and ``products`` count live records; ``by_stars`` counts recognised products."""
    with read_session(ctx.engine) as s:
        producers = s.execute(select(func.count()).where(col(Producer.deleted).is_(False))).scalar_one()
        products = s.execute(select(func.count()).where(col(Product.deleted).is_(False))).scalar_one()
        rows = s.execute(
            select(col(Product.star), func.count())
            .where(col(Product.deleted).is_(False), col(Product.status) == "recognised",
                   col(Product.star).in_(RECOGNISED_STARS))
            .group_by(col(Product.star))
        ).all()
    by_star = {str(star): 0 for star in RECOGNISED_STARS}
    for star, n in rows:
        by_star[str(star)] = int(n)
    return {"producers": int(producers), "products": int(products), "recognised": sum(by_star.values()),
            "by_stars": by_star}
