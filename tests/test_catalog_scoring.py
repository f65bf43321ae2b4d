"""The catalog loads and validates; hand-computed council results at every band boundary."""

from __future__ import annotations

import copy
import json
from fractions import Fraction

import pytest

from ocop_desktop.evaluation.catalog import CatalogInvalid, CatalogSet, Ground, build_catalog, load_catalog
from ocop_desktop.evaluation.scoring import (
    CouncilResult,
    ScoringPolicy,
    SheetInput,
    council_result,
    score_sheet,
    unanswered,
)
from ocop_desktop.infra.paths import resources_dir
from tests.scoring_helpers import answers_for

CAT = load_catalog()
SET7 = CAT.set(7)


def test_all_26_sets_load_and_each_sums_to_100() -> None:
    assert sorted(CAT.sets) == list(range(1, 27))
    for no, cset in CAT.sets.items():
        assert sum(p.max for p in cset.parts) == 100, no
        assert sum(i.max for i in cset.items) == 100, no
        assert [p.part for p in cset.parts] == ["A", "B", "C"]
    assert sum(len(s.items) for s in CAT.sets.values()) == 787
    assert CAT.instrument == "QĐ 26/2026/QĐ-TTg"


def test_every_criterion_maximum_is_its_best_option() -> None:
    for cset in CAT.sets.values():
        for item in cset.items:
            if item.cases:
                for case in range(1, len(item.cases) + 1):
                    assert max(o.points for o in item.options if o.case == case) == item.max
            else:
                assert max(o.points for o in item.options) == item.max, (cset.no, item.code)


def test_hash_is_stable_and_content_bound() -> None:
    document = json.loads((resources_dir() / "criteria" / "qd26-2026.json").read_text(encoding="utf-8"))
    assert build_catalog(document).hash == CAT.hash
    changed = copy.deepcopy(document)
    changed["sets"][0]["title"] += " "
    assert build_catalog(changed).hash != CAT.hash


def test_anomalies_are_resolved_as_recorded() -> None:
    ids = {r["id"] for r in CAT.resolutions}
    assert {"A1", "A2", "A3", "A4", "A5", "A6", "A7", "A8", "A9"} <= ids
    story = CAT.set(3).item("5.1").options[-1]
    assert story.min_star == 4 and "*" not in story.text
    assert max(o.points for o in CAT.set(4).item("7").options) == 3
    assert [o.points for o in CAT.set(11).item("6.1.1").options] == [0, 1, 2]
    assert [(o.points, o.case) for o in CAT.set(26).item("8").options] == [(1, 1), (3, 1), (1, 2), (3, 2)]
    assert CAT.set(26).parts[0].max == 40 and CAT.set(26).elimination == ""
    assert [o.points for o in CAT.set(7).item("2.4").options] == [0, 1]  # the printed yes/no criterion


def test_bad_catalog_is_refused_with_every_problem_named() -> None:
    document = json.loads((resources_dir() / "criteria" / "qd26-2026.json").read_text(encoding="utf-8"))
    broken = copy.deepcopy(document)
    broken["sets"][6]["parts"][0]["children"][0]["children"][0]["options"][0]["points"] = 7
    broken["sets"][0]["parts"][2]["max"] = 30
    with pytest.raises(CatalogInvalid) as info:
        build_catalog(broken)
    text = " ".join(info.value.problems)
    assert "bộ 7, mục 1.1" in text and "bộ 1: tổng điểm 95 ≠ 100" in text


def sheets(totals: list[int], meet_level: int = 5, cset: CatalogSet = SET7) -> list[SheetInput]:
    return [SheetInput(f"TV{i + 1}", answers_for(cset, t, meet_level)) for i, t in enumerate(totals)]


@pytest.mark.parametrize(("totals", "mean", "star"), [
    ([30] * 9 + [29], Fraction(299, 10), 1),
    ([30] * 7, Fraction(30), 2),
    ([50] * 9 + [49], Fraction(499, 10), 2),
    ([50] * 7, Fraction(50), 3),
    ([70] * 9 + [69], Fraction(699, 10), 3),
    ([70] * 7, Fraction(70), 4),
    ([90] * 9 + [89], Fraction(899, 10), 4),
    ([90] * 7, Fraction(90), 5),
])
def test_band_boundaries(totals: list[int], mean: Fraction, star: int) -> None:
    result = council_result(SET7, sheets(totals, meet_level=star if star >= 3 else 0), members=len(totals))
    assert [s.total for s in result.sheets] == totals
    assert result.mean == mean and result.band_star == star and result.final_star == star
    assert result.decidable and result.failed == []
    assert result.recognisable == (star >= 3)


def test_mean_keeps_decimals_and_is_shown_with_a_comma() -> None:
    result = council_result(SET7, sheets([72, 73]), members=2)
    assert result.mean == Fraction(145, 2)
    assert "72,5" in " ".join(result.explanation())


def test_failed_3_star_minimum_means_no_recognition() -> None:
    # 3.5 (sở hữu trí tuệ) needs 1 point for 3★; all members leave it at 0; mean 60 → band 3
    assert SET7.item("3.5").required[0] == 1
    members = [SheetInput(f"TV{i}", answers_for(SET7, 60, 3, avoid="3.5")) for i in range(5)]
    result = council_result(SET7, members, members=5)
    assert result.band_star == 3 and result.minimum_star == 2 and result.final_star == 2
    assert not result.recognisable
    text = " ".join(result.explanation())
    assert "Không đạt yêu cầu tối thiểu 3 sao ở tiêu chí 3.5. Sở hữu trí tuệ" in text
    assert "không đủ điều kiện công nhận" in text


def test_failed_4_star_minimum_lowers_to_3() -> None:
    # 1.5 (liên kết chuỗi) needs 2 points for 4★
    assert SET7.item("1.5").required == (None, 2, 3)
    members = [SheetInput(f"TV{i}", answers_for(SET7, 80, 4, avoid="1.5")) for i in range(7)]
    result = council_result(SET7, members, members=7)
    assert result.mean == 80 and result.band_star == 4 and result.final_star == 3
    assert [(f.level, f.code) for f in result.failed] == [(4, "1.5")]  # 5★ is above the band: not checked
    assert result.recognisable and "hạ từ 4 xuống 3 sao" in " ".join(result.explanation())


def test_failed_5_star_minimum_lowers_to_4() -> None:
    # 6.5 (vị) needs 5 points for 5★ and 3 for 4★; members give 3
    members = []
    for i in range(7):
        answers = answers_for(SET7, 95, 5)
        answers["6.5"] = 3  # 3 points: meets 4★, not 5★
        members.append(SheetInput(f"TV{i}", answers))
    result = council_result(SET7, members, members=7)
    assert result.mean == 93 and result.band_star == 5 and result.final_star == 4
    assert [(f.level, f.code, f.required, f.consolidated) for f in result.failed] == [(5, "6.5", 5, 3)]
    assert not result.propose_central


def test_median_consolidation_tolerates_a_minority() -> None:
    def council(below: int) -> CouncilResult:
        members = []
        for i in range(7):
            answers = answers_for(SET7, 80, 4)
            if i < below:
                answers["1.5"] = 1  # 0 points in 1.5 (option 1 = no linkage)
            members.append(SheetInput(f"TV{i}", answers))
        return council_result(SET7, members, members=7)

    three = council(3)
    assert three.final_star == 4 and three.failed == []
    four = council(4)
    assert four.final_star == 3 and four.failed[0].members_below == ("TV0", "TV1", "TV2", "TV3")
    nobody: list[tuple[SheetInput, dict[str, int]]] = []
    strict = council_result(SET7, [SheetInput(s.member, a) for s, a in nobody], members=7)
    assert strict.mean is None
    all_policy = ScoringPolicy(consolidation="all")
    members = [SheetInput(f"TV{i}", {**answers_for(SET7, 80, 4), **({"1.5": 1} if i == 0 else {})}) for i in range(7)]
    assert council_result(SET7, members, 7, all_policy).final_star == 3


def test_spread_failure_blocks_the_decision() -> None:
    result = council_result(SET7, sheets([70, 75, 81]), members=3)
    assert result.spread == 11 and not result.spread_ok and not result.decidable and not result.recognisable
    assert result.status == "spread"
    assert "vượt 10" in " ".join(result.explanation())
    assert council_result(SET7, sheets([70, 75, 80]), members=3).decidable


def test_quorum_failure_blocks_the_decision() -> None:
    result = council_result(SET7, sheets([80] * 4), members=7)
    assert result.quorum_needed == 5 and not result.quorum_ok and result.status == "no_quorum"
    assert "4/7" in " ".join(result.explanation())
    assert council_result(SET7, sheets([80] * 5), members=7).decidable
    assert council_result(SET7, sheets([80] * 5), members=7, policy=ScoringPolicy(quorum=Fraction(3, 4))).status == "no_quorum"


def test_elimination_overrides_the_score() -> None:
    ground = Ground("1.1", SET7.item("1.1").grounds[0])
    result = council_result(SET7, sheets([95] * 7), members=7, eliminated=ground)
    assert result.status == "eliminated" and result.final_star is None and not result.recognisable
    assert result.decidable
    assert "Bị loại nếu sử dụng toàn bộ nguyên liệu nhập khẩu" in result.explanation()[0]


def test_story_structure_counts_only_with_a_story() -> None:
    answers = answers_for(SET7, 60, 3)
    answers["5.1"] = 1  # "Không có câu chuyện sản phẩm" = 0 points
    answers["5.2"] = 3
    without = score_sheet(SET7, SheetInput("x", answers))
    answers["5.1"] = 2
    with_story = score_sheet(SET7, SheetInput("x", answers))
    assert with_story.total - without.total == 1 + 2  # 5.1 now 1 point, and 5.2's 2 points count
    missing = dict(answers)
    del missing["5.2"]
    missing["5.1"] = 1
    assert "5.2" not in unanswered(SET7, missing)
    missing["5.1"] = 2
    assert "5.2" in unanswered(SET7, missing)


def test_part_subtotals() -> None:
    best = {i.code: max(i.options, key=lambda o: o.points).n for i in SET7.items}
    score = score_sheet(SET7, SheetInput("x", best))
    assert score.parts == (40, 25, 35) and score.total == 100
