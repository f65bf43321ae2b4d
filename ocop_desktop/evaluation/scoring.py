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
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cache
from itertools import compress, count, repeat
from operator import ge, getitem, itemgetter, lt
from typing import NamedTuple

from ocop_desktop.evaluation.catalog import STAR_LEVELS, CatalogSet, Ground
from ocop_desktop.language.formats import format_decimal

BANDS = ((90, 5), (70, 4), (50, 3), (30, 2))
PARTS = ("A", "B", "C")


@dataclass(frozen=True)
class ScoringPolicy:
    """Rules left to each province's Quy chế (docs/domain-rules.md §5); defaults as recommended there."""

    quorum: Fraction = Fraction(2, 3)
    spread_limit: int = 10
    consolidation: str = "median"  # "median": lower median of members' points; "all": every member

    def quorum_needed(self, members: int) -> int:
        return _quorum(self.quorum.numerator, self.quorum.denominator, members)


DEFAULT_POLICY = ScoringPolicy()


@cache
def _quorum(numerator: int, denominator: int, members: int) -> int:
    return max(1, math.ceil(Fraction(numerator, denominator) * members))


@dataclass(frozen=True)
class SheetInput:
    member: str
    answers: Mapping[str, int]


class SheetScore(NamedTuple):
    member: str
    parts: tuple[int, int, int]
    total: int


class FailedMinimum(NamedTuple):
    level: int
    code: str
    title: str
    required: int
    consolidated: int
    members_below: tuple[str, ...]


@dataclass(slots=True)
class CouncilResult:
    members: int
    policy: ScoringPolicy
    quorum_needed: int
    inputs: Sequence[SheetInput] = ()
    totals: list[int] = field(default_factory=list)
    compiled: _Compiled | None = None
    total_sum: int = 0
    spread: int | None = None
    band_star: int | None = None
    minimum_star: int | None = None
    final_star: int | None = None
    failed: list[FailedMinimum] = field(default_factory=list)
    eliminated: Ground | None = None

    @property
    def sheets(self) -> list[SheetScore]:
        """Each member's part subtotals and total (built when shown: deciding needs only totals)."""
        if self.compiled is None:
            return []
        a, b = self.compiled.part_ends
        out = []
        for sheet in self.inputs:
            got = _member_points(self.compiled, sheet.answers)
            out.append(SheetScore(sheet.member, (sum(got[:a]), sum(got[a:b]), sum(got[b:])), sum(got)))
        return out

    @property
    def mean(self) -> Fraction | None:
        """The exact mean of the submitted totals (built on demand: it is not needed to decide)."""
        return Fraction(self.total_sum, len(self.totals)) if self.totals else None

    @property
    def quorum_ok(self) -> bool:
        return len(self.totals) >= self.quorum_needed

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
        n = len(self.totals)
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


@dataclass(frozen=True)
class _Compiled:
    """A set prepared for fast scoring: parallel tuples walked by C-level ``map`` calls."""

    codes: tuple[str, ...]
    rows: tuple[tuple[int, ...], ...]  # per item: index 0 = explicit zero, then option n
    part_ends: tuple[int, int]  # items are in part order: A = [0, a), B = [a, b), C = [b, end)
    applies: tuple[tuple[int, int, int], ...]  # (item, the item it depends on, minimum points of that one)
    rules: tuple[tuple[str, tuple[int, ...], int, str, tuple[int, ...]], ...]  # the same, by code and row
    check_items: tuple[int, ...]  # per star-minimum check: the item index ...
    check_levels: tuple[int, ...]  # ... and for which star level
    take_answers: Callable[[Mapping[str, int]], tuple[int, ...]]  # every criterion's answer, in order
    table: dict[str, tuple[int, ...]]  # criterion code → its point row
    index: dict[str, int]
    by_band: dict[int, _Checks]  # for a band of 3, 4 or 5 stars: the checks up to that level
    fast: bool  # no checked criterion depends on another one (so checks read answers directly)


@dataclass(frozen=True)
class _Checks:
    """The star-minimum checks that can matter for one band, ready for C-level ``map`` calls."""

    positions: tuple[int, ...]  # index into the compiled check lists
    take: Callable[[Mapping[str, int]], tuple[int, ...]]  # the answers of the checked criteria
    rows: tuple[tuple[int, ...], ...]  # their point rows
    required: tuple[int, ...]
    lowest: tuple[int, ...] | None  # the lowest passing answer per check, when every row only rises


_COMPILED: dict[int, tuple[CatalogSet, _Compiled]] = {}


def _compile(cset: CatalogSet) -> _Compiled:
    """The prepared form of a set, kept per set object (hashing a whole set would cost more than
    scoring it)."""
    known = _COMPILED.get(id(cset))
    if known is not None and known[0] is cset:
        return known[1]
    compiled = _build(cset)
    _COMPILED[id(cset)] = (cset, compiled)
    return compiled


def _build(cset: CatalogSet) -> _Compiled:
    items = cset.items
    parts = [i.part for i in items]
    if parts != sorted(parts, key=PARTS.index):
        raise ValueError(f"set {cset.no}: criteria are not in part order")
    checks = []  # per criterion, only the levels where the requirement rises (a lower miss decides)
    for i, item in enumerate(items):
        previous = 0
        for level, required in zip(STAR_LEVELS, item.required, strict=True):
            if required and required > previous:
                checks.append((i, level, required))
                previous = required
    codes = [i.code for i in items]
    take_answers = itemgetter(*codes) if len(codes) > 1 else (lambda m: (m[codes[0]],))
    def band_checks(top: int) -> _Checks:
        positions = tuple(j for j, c in enumerate(checks) if c[1] <= top)
        keys = [codes[checks[j][0]] for j in positions]
        take: Callable[[Mapping[str, int]], tuple[int, ...]] = (
            itemgetter(*keys) if len(keys) > 1 else ((lambda m: (m[keys[0]],)) if keys else (lambda m: ())))
        rows = tuple((0, *(o.points for o in items[checks[j][0]].options)) for j in positions)
        required = tuple(checks[j][2] for j in positions)
        rising = all(list(row) == sorted(row) for row in rows)
        lowest = tuple(next(n for n, p in enumerate(row) if p >= r) for row, r in zip(rows, required, strict=True))
        return _Checks(positions, take, rows, required, lowest if rising else None)

    dependent = {n for n, i in enumerate(items) if i.applies_if}

    def row_of(n: int) -> tuple[int, ...]:
        return (0, *(o.points for o in items[n].options))
    return _Compiled(
        codes=tuple(i.code for i in items),
        rows=tuple((0, *(o.points for o in i.options)) for i in items),
        part_ends=(parts.count("A"), parts.count("A") + parts.count("B")),
        applies=tuple((n, cset.index[i.applies_if[0]], i.applies_if[1]) for n, i in enumerate(items) if i.applies_if),
        check_items=tuple(c[0] for c in checks),
        check_levels=tuple(c[1] for c in checks),
        take_answers=take_answers,
        rules=tuple((codes[o], row_of(o), m, codes[d], row_of(d))
                    for d, o, m in ((n, cset.index[i.applies_if[0]], i.applies_if[1])
                                    for n, i in enumerate(items) if i.applies_if)),
        table=dict(zip(codes, (tuple((0, *(o.points for o in i.options))) for i in items), strict=True)),
        index=dict(cset.index),
        by_band={top: band_checks(top) for top in STAR_LEVELS},
        fast=not dependent & {c[0] for c in checks},
    )


def _member_points(comp: _Compiled, answers: Mapping[str, int]) -> list[int]:
    try:
        chosen: Iterable[int] = comp.take_answers(answers)  # every criterion answered: one C call
    except KeyError:
        chosen = map(answers.get, comp.codes, repeat(0))
    got = list(map(getitem, comp.rows, chosen))
    for item, other, minimum in comp.applies:
        if got[other] < minimum:
            got[item] = 0
    return got


def score_sheet(cset: CatalogSet, sheet: SheetInput) -> SheetScore:
    comp = _compile(cset)
    got = _member_points(comp, sheet.answers)
    a, b = comp.part_ends
    pa, pb, pc = sum(got[:a]), sum(got[a:b]), sum(got[b:])
    return SheetScore(sheet.member, (pa, pb, pc), pa + pb + pc)


def council_result(cset: CatalogSet, sheets: Sequence[SheetInput], members: int,
                   policy: ScoringPolicy | None = None, eliminated: Ground | None = None) -> CouncilResult:
    """The council's result from its members' submitted sheets (pass only submitted ones)."""
    policy = policy or DEFAULT_POLICY
    result = CouncilResult(members=members, policy=policy, quorum_needed=policy.quorum_needed(members))
    if eliminated is not None:
        result.eliminated = eliminated
        return result
    if not sheets:
        return result
    comp = _compile(cset)
    result.compiled = comp
    result.inputs = sheets
    totals = result.totals
    table, rules, size = comp.table, comp.rules, len(comp.rows)
    complete = True
    for sheet in sheets:
        answers = sheet.answers
        total = 0
        for code, answer in answers.items():  # the plainest loop is the fastest in CPython
            total += table[code][answer]
        for other_code, other_row, minimum, dep_code, dep_row in rules:
            if other_row[answers.get(other_code, 0)] < minimum:
                total -= dep_row[answers.get(dep_code, 0)]
        if len(answers) != size:
            complete = False
        totals.append(total)
    n = len(totals)
    result.total_sum = total_sum = sum(totals)
    result.spread = max(totals) - min(totals)
    top = 1
    for floor, star in BANDS:  # compare n·mean with n·floor: exact, no fractions needed
        if total_sum >= floor * n:
            top = star
            break
    result.band_star = top
    level_met = 5
    checks = comp.by_band.get(top)
    if checks is not None and checks.positions:
        # only minimums up to the band can lower the star: the others are not looked at
        median = policy.consolidation == "median"
        middle = (n - 1) // 2
        if comp.fast and complete and checks.lowest is not None and median:
            # rows only rise, so the median answer gives the median points: work on answers directly
            taken = list(map(checks.take, (sh.answers for sh in sheets)))
            lowest = checks.lowest
            if all(all(map(ge, row, lowest)) for row in taken):  # everyone meets every minimum
                result.minimum_star = level_met
                result.final_star = top
                return result
            answers_by_check = list(zip(*taken, strict=True))
            medians = list(map(itemgetter(middle), map(sorted, answers_by_check)))
            if all(map(ge, medians, checks.lowest)):
                result.minimum_star = level_met
                result.final_star = top if top < 3 else min(top, level_met)
                return result
            consolidated: list[int] = list(map(getitem, checks.rows, medians))
            points: list[tuple[int, ...]] | None = None
        else:
            if comp.fast and complete:
                points = [tuple(map(getitem, checks.rows, checks.take(sh.answers))) for sh in sheets]
            else:
                pick = itemgetter(*(comp.check_items[j] for j in checks.positions))
                points = [tuple(pick(_member_points(comp, sh.answers))) if len(checks.positions) > 1
                          else (_member_points(comp, sh.answers)[comp.check_items[checks.positions[0]]],)
                          for sh in sheets]
            columns = zip(*points, strict=True)
            consolidated = list(map(itemgetter(middle), map(sorted, columns))) if median else list(map(min, columns))
        required = checks.required
        for k in compress(count(), map(lt, consolidated, required)):
            j = checks.positions[k]
            level = comp.check_levels[j]
            level_met = min(level_met, level - 1)
            item = cset.items[comp.check_items[j]]
            if points is None:
                row_k = checks.rows[k]
                members_below = tuple(sh.member for sh, answer in zip(sheets, answers_by_check[k], strict=True)
                                      if row_k[answer] < required[k])
            else:
                members_below = tuple(sh.member for sh, row in zip(sheets, points, strict=True) if row[k] < required[k])
            result.failed.append(FailedMinimum(level, item.code, item.title, required[k], consolidated[k],
                                               members_below))
    result.minimum_star = level_met
    result.final_star = min(top, level_met) if top >= 3 else top
    return result


def unanswered(cset: CatalogSet, answers: Mapping[str, int]) -> list[str]:
    """Codes of criteria that apply but have no answer (explicit 0 counts as an answer)."""
    comp = _compile(cset)
    got = _member_points(comp, answers)
    skipped = {item for item, other, minimum in comp.applies if got[other] < minimum}  # e.g. 5.2 without a story
    return [code for i, code in enumerate(comp.codes) if i not in skipped and code not in answers]
