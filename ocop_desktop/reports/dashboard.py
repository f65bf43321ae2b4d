"""The figures of the dashboard and of ``stats --json``: recognised products by star, unit, product
group, producer type and year; progress to the province's targets; certificates to renew; rounds.

Every figure is one GROUP BY over live (non-deleted) rows; "recognised" means status recognised
with 3, 4 or 5 stars, as in :mod:`ocop_desktop.reports.stats`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import String, cast, func, select
from sqlmodel import col

from database.engine import read_session
from database.tables import EvaluationRound, Producer, Product, RoundEntry
from ocop_desktop.records.settings import SettingSpec, declare, save_setting, setting
from ocop_desktop.reference.product_sets import product_sets
from ocop_desktop.reference.vocab import LEGAL_TYPES, RECOGNISED_STARS
from ocop_desktop.reports.stats import summary
from ocop_desktop.store.context import AppContext

RENEWAL_DAYS = 180
#: The seed province's plan to 2025 (Báo Đồng Tháp; docs/domain-rules.md §12), used until the province sets its own.
DEFAULT_TARGETS = {"82": {"period_from": 2021, "period_to": 2025, "new_products": 150, "new_producers": 70,
                          "five_star": 15}}


@dataclass(frozen=True)
class Row:
    """One bar: a key (unit code, set number, …), its label and the counts by star."""

    key: str
    label: str
    by_star: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.by_star.values())


@dataclass(frozen=True)
class TargetProgress:
    key: str
    label: str
    value: int
    target: int


@dataclass
class Dashboard:
    producers: int
    products: int
    recognised: int
    by_stars: dict[str, int]
    by_district: list[Row] = field(default_factory=list)
    by_commune: list[Row] = field(default_factory=list)
    by_nganh: list[Row] = field(default_factory=list)
    by_nhom: list[Row] = field(default_factory=list)
    by_set: list[Row] = field(default_factory=list)
    by_producer_type: list[Row] = field(default_factory=list)
    by_year: list[Row] = field(default_factory=list)
    targets: list[TargetProgress] = field(default_factory=list)
    expiring: int = 0
    expired: int = 0
    rounds: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """The ``stats --json`` document: the foundation's keys first, then the rest."""

        def rows(items: list[Row]) -> list[dict[str, Any]]:
            return [{"key": r.key, "label": r.label, "total": r.total, "by_stars": r.by_star} for r in items]

        return {
            "producers": self.producers, "products": self.products, "recognised": self.recognised,
            "by_stars": self.by_stars, "by_district": rows(self.by_district), "by_commune": rows(self.by_commune),
            "by_nganh": rows(self.by_nganh), "by_nhom": rows(self.by_nhom), "by_set": rows(self.by_set),
            "by_producer_type": rows(self.by_producer_type), "by_year": rows(self.by_year),
            "targets": [asdict(t) for t in self.targets], "certificates_expiring_180_days": self.expiring,
            "certificates_expired": self.expired, "rounds_in_progress": self.rounds,
        }


def _stars() -> dict[str, int]:
    return {str(s): 0 for s in RECOGNISED_STARS}


def _grouped(pairs: Sequence[Any], labels: dict[str, str], keep_order: bool = False) -> list[Row]:
    """(key, star, count) rows → bars, biggest first (or in key order)."""
    counts: dict[str, dict[str, int]] = defaultdict(_stars)
    for key, star, n in pairs:
        counts[str(key)][str(star)] += int(n)
    rows = [Row(k, labels.get(k, k), v) for k, v in counts.items()]
    return sorted(rows, key=lambda r: r.key) if keep_order else sorted(rows, key=lambda r: (-r.total, r.label))


def _check_targets(goal: dict[str, int]) -> dict[str, str]:
    errors = {}
    if not 2000 <= goal["period_from"] <= goal["period_to"] <= 2100:
        errors["period"] = "Giai đoạn không hợp lệ (năm bắt đầu ≤ năm kết thúc)."
    for key in ("new_products", "new_producers", "five_star"):
        if not 0 <= goal[key] <= 1_000_000:
            errors[key] = "Chỉ tiêu phải là số không âm."
    return errors


def _decode_targets(data: Any) -> dict[str, int]:
    return {str(k): int(v) for k, v in dict(data).items()}


TARGETS = declare(SettingSpec(
    key="targets", label="Chỉ tiêu của chương trình", scope="province",
    default=lambda ctx: dict(DEFAULT_TARGETS.get(ctx.units().code, {})) if ctx is not None else {},
    decode=_decode_targets, encode=dict, check=_check_targets))


def targets(ctx: AppContext) -> dict[str, int]:
    return setting(ctx, TARGETS)


def set_targets(ctx: AppContext, period_from: int, period_to: int, new_products: int, new_producers: int,
                five_star: int) -> None:
    save_setting(ctx, TARGETS, {"period_from": period_from, "period_to": period_to, "new_products": new_products,
                                "new_producers": new_producers, "five_star": five_star})


def dashboard(ctx: AppContext, today: date | None = None) -> Dashboard:
    """Every figure of the dashboard, from GROUP BY queries over live rows."""
    today = today or date.today()
    units = ctx.units()
    sets = product_sets()
    live_product = col(Product.deleted).is_(False)
    recognised = (live_product, col(Product.status) == "recognised", col(Product.star).in_(RECOGNISED_STARS))
    counts = summary(ctx)  # producers, products and stars: the same figures as the status bar
    producers, products, by_star = counts["producers"], counts["products"], counts["by_stars"]
    with read_session(ctx.engine) as s:
        # products per producer and star (read from the covering index, no join), then the producers'
        # places and types once: three groupings for the price of one scan
        per_producer = s.execute(select(col(Product.producer_id), col(Product.star), func.count()).where(*recognised)
                                 .group_by(col(Product.producer_id), col(Product.star))).all()
        places = {pid: (commune, district, legal) for pid, commune, district, legal in s.execute(
            select(col(Producer.id), col(Producer.commune_code), col(Producer.former_district_code),
                   col(Producer.legal_type)))}
        by_set = s.execute(select(col(Product.product_set), col(Product.star), func.count()).where(*recognised)
                           .group_by(col(Product.product_set), col(Product.star))).all()
        # the year as text from the stored ISO date (cheaper than strftime on 80,000 rows, and portable)
        year = func.substr(cast(col(Product.certificate_date), String), 1, 4)
        by_year = s.execute(select(year, col(Product.star), func.count())
                            .where(*recognised, col(Product.certificate_date).is_not(None))
                            .group_by(year, col(Product.star))).all()
        soon = s.execute(select(func.count()).where(
            *recognised, col(Product.certificate_expiry) >= today,
            col(Product.certificate_expiry) <= today + timedelta(days=RENEWAL_DAYS))).scalar_one()
        expired = s.execute(select(func.count()).where(*recognised, col(Product.certificate_expiry) < today)).scalar_one()
        goal = targets(ctx)
        progress: list[TargetProgress] = []
        if goal:
            in_period = (*recognised, col(Product.certificate_date) >= date(goal["period_from"], 1, 1),
                         col(Product.certificate_date) <= date(goal["period_to"], 12, 31))
            new_products = s.execute(select(func.count()).where(*in_period)).scalar_one()
            new_producers = s.execute(select(func.count(func.distinct(col(Product.producer_id))))
                                      .where(*in_period)).scalar_one()
            period = f"{goal['period_from']}–{goal['period_to']}"
            progress = [
                TargetProgress("new_products", f"Sản phẩm được công nhận {period}", int(new_products), goal["new_products"]),
                TargetProgress("new_producers", f"Chủ thể có sản phẩm được công nhận {period}", int(new_producers),
                               goal["new_producers"]),
                TargetProgress("five_star", "Sản phẩm 5 sao", by_star["5"], goal["five_star"]),
            ]
        rounds = s.execute(select(col(EvaluationRound.title), func.count(col(RoundEntry.id)),
                                  func.count(col(RoundEntry.result_status)))
                           .join(RoundEntry, col(RoundEntry.round_id) == col(EvaluationRound.id), isouter=True)
                           .where(col(EvaluationRound.deleted).is_(False), col(EvaluationRound.status) == "open")
                           .group_by(col(EvaluationRound.id), col(EvaluationRound.title))).all()
    by_commune: list[tuple[Any, Any, int]] = []
    by_district: list[tuple[Any, Any, int]] = []
    by_type: list[tuple[Any, Any, int]] = []
    for pid, star, n in per_producer:
        commune, district, legal = places.get(pid, (None, None, None))
        by_commune.append((commune, star, n))
        if district is not None:
            by_district.append((district, star, n))
        by_type.append((legal, star, n))
    nganh: dict[str, dict[str, int]] = defaultdict(_stars)
    nhom: dict[str, dict[str, int]] = defaultdict(_stars)
    for set_no, star, n in by_set:
        info = sets.get(int(set_no))
        if info:
            nganh[info.nganh_code][str(star)] += int(n)
            nhom[info.nhom][str(star)] += int(n)
    nganh_names = {s.nganh_code: f"{s.nganh_code}. {s.nganh}" for s in sets.values()}
    return Dashboard(
        producers=int(producers), products=int(products), recognised=sum(by_star.values()), by_stars=by_star,
        by_district=_grouped(by_district, {c: d.name for c, d in units.former_districts.items()}),
        by_commune=_grouped(by_commune, {c: x.name for c, x in units.communes.items()}),
        by_nganh=sorted((Row(k, nganh_names[k], v) for k, v in nganh.items()), key=lambda r: r.key),
        by_nhom=sorted((Row(k, k, v) for k, v in nhom.items()), key=lambda r: (-r.total, r.label)),
        by_set=_grouped(by_set, {str(k): v.label for k, v in sets.items()}),
        by_producer_type=_grouped(by_type, dict(LEGAL_TYPES)),
        by_year=_grouped([(int(y), st, n) for y, st, n in by_year], {}, keep_order=True),
        targets=progress, expiring=int(soon), expired=int(expired),
        rounds=[{"title": t, "entries": int(e), "concluded": int(c)} for t, e, c in rounds],
    )
