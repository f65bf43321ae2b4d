"""Scoring of score sheets and council results, pure and exact (no binary floats).

A sheet scores the points of the chosen options (a criterion that applies only when another one
scored scores 0 otherwise). A council result is the mean of the submitted sheets' totals, checked
for quorum and spread; its star is the band of the mean, lowered to the highest level whose
star-marked minimums are all met on the consolidated answer of each criterion (the lower median
of the members' points by default). An elimination ground overrides everything. Every rule that
is the province's choice lives in :class:`ScoringPolicy`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cache

from ocop_desktop.catalog import STAR_LEVELS, CatalogSet, Ground
from ocop_desktop.formats import format_decimal

BANDS = ((90, 5), (70, 4), (50, 3), (30, 2))
PARTS = ("A", "B", "C")


@dataclass(frozen=True)
class ScoringPolicy:
    """Rules left to each province's Quy chế (ocop-domain §5); defaults as recommended there."""

    quorum: Fraction = Fraction(2, 3)
    spread_limit: int = 10
    consolidation: str = "median"  # "median": lower median of members' points; "all": every member

    def quorum_needed(self, members: int) -> int:
        return max(1, math.ceil(self.quorum * members))


@dataclass(frozen=True)
class SheetInput:
    member: str
    answers: Mapping[str, int]


@dataclass(frozen=True)
class SheetScore:
    member: str
    parts: tuple[int, int, int]
    total: int


@dataclass(frozen=True)
class FailedMinimum:
    level: int
    code: str
    title: str
    required: int
    consolidated: int
    members_below: tuple[str, ...]


@dataclass
class CouncilResult:
    members: int
    sheets: list[SheetScore]
    policy: ScoringPolicy
    quorum_needed: int
    mean: Fraction | None = None
    spread: int | None = None
    band_star: int | None = None
    minimum_star: int | None = None
    final_star: int | None = None
    failed: list[FailedMinimum] = field(default_factory=list)
    eliminated: Ground | None = None

    @property
    def quorum_ok(self) -> bool:
        return len(self.sheets) >= self.quorum_needed

    @property
    def spread_ok(self) -> bool:
        return self.spread is None or self.spread <= self.policy.spread_limit

    @property
    def decidable(self) -> bool:
        """A result the council can adopt: eliminated, or scored with quorum and agreement."""
        return self.eliminated is not None or (self.quorum_ok and self.spread_ok and self.mean is not None)

    @property
    def recognisable(self) -> bool:
        return self.decidable and self.eliminated is None and (self.final_star or 0) >= 3

    @property
    def propose_central(self) -> bool:
        return self.recognisable and self.mean is not None and self.mean >= 90 and self.final_star == 5

    @property
    def status(self) -> str:
        if self.eliminated is not None:
            return "eliminated"
        if not self.quorum_ok:
            return "no_quorum"
        if not self.spread_ok:
            return "spread"
        return "decided"

    def explanation(self) -> list[str]:
        """Every step of the decision in Vietnamese, naming each failed check and minimum."""
        lines: list[str] = []
        if self.eliminated is not None:
            where = "hồ sơ" if self.eliminated.key == "set" else f"tiêu chí {self.eliminated.key}"
            lines.append(f"Hồ sơ bị loại ({where}): {self.eliminated.text}. Không chấm điểm, không công nhận.")
            return lines
        n = len(self.sheets)
        lines.append(f"Số phiếu đã nộp: {n}/{self.members}; cần ít nhất {self.quorum_needed} "
                     f"({'đạt' if self.quorum_ok else 'KHÔNG đạt'}).")
        if self.mean is None:
            lines.append("Chưa có phiếu nào được nộp.")
            return lines
        lines.append(f"Điểm trung bình của hội đồng: {format_decimal(round_display(self.mean))} "
                     f"→ theo thang điểm: {self.band_star} sao.")
        if self.spread is not None:
            if self.spread_ok:
                lines.append(f"Chênh lệch tổng điểm giữa các thành viên: {self.spread} điểm (≤ {self.policy.spread_limit}).")
            else:
                lines.append(f"Chênh lệch tổng điểm giữa các thành viên: {self.spread} điểm, vượt {self.policy.spread_limit}: "
                             "hội đồng cần thảo luận và chấm lại trước khi kết luận.")
        how = "trung vị dưới của các thành viên" if self.policy.consolidation == "median" else "từng thành viên"
        for f in self.failed:
            below = f" (thành viên chấm thấp hơn: {', '.join(f.members_below)})" if f.members_below else ""
            lines.append(f"Không đạt yêu cầu tối thiểu {f.level} sao ở tiêu chí {f.title}: cần ≥ {f.required} điểm, "
                         f"điểm hội đồng ({how}) {f.consolidated}{below}.")
        if self.band_star is not None and self.final_star is not None and self.final_star < self.band_star:
            lines.append(f"Hạng sao hạ từ {self.band_star} xuống {self.final_star} sao vì chưa đạt các yêu cầu tối thiểu.")
        if not self.quorum_ok:
            lines.append("Kết quả chưa thể kết luận: chưa đủ số phiếu.")
        elif not self.spread_ok:
            lines.append("Kết quả chưa thể kết luận: chênh lệch điểm vượt mức cho phép.")
        elif self.final_star is not None and self.final_star < 3:
            lines.append(f"Kết quả: {self.final_star} sao — không đủ điều kiện công nhận sản phẩm OCOP.")
        elif self.propose_central:
            lines.append("Kết quả: đạt từ 90 điểm và đủ yêu cầu 5 sao — đề xuất Trung ương đánh giá, công nhận 5 sao.")
        else:
            lines.append(f"Kết quả: {self.final_star} sao — đủ điều kiện đề nghị công nhận.")
        return lines


def round_display(value: Fraction) -> Fraction:
    """The mean shown to people: two decimals (the comparison uses the exact value)."""
    return Fraction(round(value * 100), 100)


def band(mean: Fraction) -> int:
    for floor, star in BANDS:
        if mean >= floor:
            return star
    return 1


@dataclass(frozen=True)
class _Compiled:
    codes: tuple[str, ...]
    points: tuple[tuple[int, ...], ...]  # per item: index 0 = explicit zero, then option n
    parts: tuple[int, ...]  # per item: 0, 1 or 2
    applies: tuple[tuple[int, int] | None, ...]  # per item: (index of the other item, minimum points)
    checks: tuple[tuple[int, int, int], ...]  # (item index, level, required points)


@cache
def _compile(cset: CatalogSet) -> _Compiled:
    items = cset.items
    checks = []
    for i, item in enumerate(items):
        for level, required in zip(STAR_LEVELS, item.required, strict=True):
            if required is not None and required > 0:
                checks.append((i, level, required))
    return _Compiled(
        codes=tuple(i.code for i in items),
        points=tuple((0, *(o.points for o in i.options)) for i in items),
        parts=tuple(PARTS.index(i.part) for i in items),
        applies=tuple((cset.index[i.applies_if[0]], i.applies_if[1]) if i.applies_if else None for i in items),
        checks=tuple(checks),
    )


def _member_points(comp: _Compiled, answers: Mapping[str, int]) -> list[int]:
    points = comp.points
    got = [row[answers.get(code, 0)] for code, row in zip(comp.codes, points, strict=True)]
    for i, rule in enumerate(comp.applies):
        if rule is not None and got[rule[0]] < rule[1]:
            got[i] = 0
    return got


def score_sheet(cset: CatalogSet, sheet: SheetInput) -> SheetScore:
    comp = _compile(cset)
    got = _member_points(comp, sheet.answers)
    parts = [0, 0, 0]
    for part, p in zip(comp.parts, got, strict=True):
        parts[part] += p
    return SheetScore(sheet.member, (parts[0], parts[1], parts[2]), sum(got))


def council_result(cset: CatalogSet, sheets: Sequence[SheetInput], members: int,
                   policy: ScoringPolicy | None = None, eliminated: Ground | None = None) -> CouncilResult:
    """The council's result from its members' submitted sheets (pass only submitted ones)."""
    policy = policy or ScoringPolicy()
    result = CouncilResult(members=members, sheets=[], policy=policy, quorum_needed=policy.quorum_needed(members))
    if eliminated is not None:
        result.eliminated = eliminated
        return result
    if not sheets:
        return result
    comp = _compile(cset)
    columns: list[list[int]] = []
    totals = []
    for sheet in sheets:
        got = _member_points(comp, sheet.answers)
        parts = [0, 0, 0]
        for part, p in zip(comp.parts, got, strict=True):
            parts[part] += p
        total = parts[0] + parts[1] + parts[2]
        totals.append(total)
        result.sheets.append(SheetScore(sheet.member, (parts[0], parts[1], parts[2]), total))
        columns.append(got)
    n = len(totals)
    result.mean = Fraction(sum(totals), n)
    result.spread = max(totals) - min(totals)
    result.band_star = band(result.mean)
    use_median = policy.consolidation == "median"
    level_met = 5
    middle = (n - 1) // 2
    top = result.band_star
    for index, level, required in comp.checks:
        if level > top:
            continue  # minimums above the band cannot change the star and are not reported
        values = [column[index] for column in columns]
        consolidated = sorted(values)[middle] if use_median else min(values)
        if consolidated < required:
            if level - 1 < level_met:
                level_met = level - 1
            item = cset.items[index]
            below = tuple(s.member for s, v in zip(sheets, values, strict=True) if v < required)
            result.failed.append(FailedMinimum(level, item.code, item.title, required, consolidated, below))
    result.minimum_star = level_met
    result.final_star = min(result.band_star, level_met) if result.band_star >= 3 else result.band_star
    return result


def unanswered(cset: CatalogSet, answers: Mapping[str, int]) -> list[str]:
    """Codes of criteria that apply but have no answer (explicit 0 counts as an answer)."""
    comp = _compile(cset)
    got = _member_points(comp, answers)
    missing = []
    for i, code in enumerate(comp.codes):
        rule = comp.applies[i]
        if rule is not None and got[rule[0]] < rule[1]:
            continue  # does not apply: e.g. 5.2 without a product story
        if code not in answers:
            missing.append(code)
    return missing


def check_answers(cset: CatalogSet, answers: Mapping[str, object]) -> list[str]:
    """Problems with answers that are not in the catalog (Vietnamese), empty when all are valid."""
    problems = []
    for code, value in answers.items():
        if not cset.has_item(code):
            problems.append(f"tiêu chí '{code}' không có trong bộ {cset.no}")
            continue
        item = cset.item(code)
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= len(item.options):
            problems.append(f"tiêu chí {code}: lựa chọn '{value}' không có (chỉ có 0–{len(item.options)})")
    return problems
