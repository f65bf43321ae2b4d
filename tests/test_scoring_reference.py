"""The optimised scoring agrees with a plain reading of the rules on thousands of councils."""

from __future__ import annotations

import random
from fractions import Fraction

import pytest

from ocop_desktop.evaluation.catalog import STAR_LEVELS, CatalogSet, load_catalog
from ocop_desktop.evaluation.scoring import BANDS, ScoringPolicy, SheetInput, council_result

CAT = load_catalog()


def reference(cset: CatalogSet, sheets: list[SheetInput], consolidation: str) -> tuple[list[int], int, int, set[str]]:
    """Straight from docs/domain-rules.md §4–5, item by item, with Fractions: (totals, band, final star, failed items)."""
    columns: list[dict[str, int]] = []
    totals: list[int] = []
    for sheet in sheets:
        got: dict[str, int] = {}
        for item in cset.items:
            got[item.code] = item.points(sheet.answers.get(item.code))
        for item in cset.items:
            if item.applies_if and got[item.applies_if[0]] < item.applies_if[1]:
                got[item.code] = 0
        columns.append(got)
        totals.append(sum(got.values()))
    mean = Fraction(sum(totals), len(totals))
    band = next((star for floor, star in BANDS if mean >= floor), 1)
    met = 5
    failed: set[str] = set()
    for item in cset.items:
        values = sorted(c[item.code] for c in columns)
        value = values[(len(values) - 1) // 2] if consolidation == "median" else values[0]
        for level, required in zip(STAR_LEVELS, item.required, strict=True):
            if required and level <= band and value < required:
                met = min(met, level - 1)
                failed.add(item.code)
    final = min(band, met) if band >= 3 else band
    return totals, band, final, failed


@pytest.mark.parametrize("consolidation", ["median", "all"])
def test_fast_scoring_matches_the_reference(consolidation: str) -> None:
    rng = random.Random(11)
    policy = ScoringPolicy(consolidation=consolidation)
    for trial in range(1500):
        cset = CAT.sets[trial % 26 + 1]
        quality = rng.uniform(0.2, 1.0)
        n = rng.randint(1, 9)
        sheets = []
        for m in range(n):
            answers = {}
            for item in cset.items:
                if rng.random() < 0.03:
                    continue  # an unanswered criterion now and then
                k = len(item.options)
                answers[item.code] = max(0, min(k, round(quality * k + rng.uniform(-1.5, 1.5))))
            sheets.append(SheetInput(f"TV{m}", answers))
        result = council_result(cset, sheets, n, policy)
        totals, band, final, failed = reference(cset, sheets, consolidation)
        assert [s.total for s in result.sheets] == totals == result.totals, trial
        assert (result.band_star, result.final_star) == (band, final), trial
        assert {f.code for f in result.failed} == failed, trial
