"""Scoring and score-entry benchmarks (issue: score sheets).

* 10,000 councils of 7 members spread over all 26 sets: ``council_result`` (totals, mean,
  quorum, spread, band, minimums on the median answer) against a plain Python loop that only sums
  the same answers, timed in the same run; the ratio is the rate of scoring over the rate of summing.
* The score screen with the largest set: mean time to handle one digit keypress.
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from ocop_desktop.evaluation.catalog import load_catalog
from ocop_desktop.evaluation.scoring import SheetInput, council_result

COUNCILS, MEMBERS = 10_000, 7


def make_councils(seed: int = 3) -> list[tuple[int, list[SheetInput]]]:
    """Councils as they happen: each product has a level of quality, members agree on most
    criteria and differ by one option on about one criterion in six."""
    rng = random.Random(seed)
    catalog = load_catalog()
    councils = []
    for i in range(COUNCILS):
        cset = catalog.sets[i % 26 + 1]
        quality = rng.uniform(0.3, 1.0)
        base = {item.code: max(1, min(len(item.options), round(quality * len(item.options) + rng.uniform(-1, 1))))
                for item in cset.items}
        members = []
        for m in range(MEMBERS):
            answers = dict(base)
            for item in cset.items:
                if rng.random() < 1 / 6:
                    answers[item.code] = max(1, min(len(item.options), answers[item.code] + rng.choice((-1, 1))))
            members.append(SheetInput(f"TV{m}", answers))
        councils.append((cset.no, members))
    return councils


def plain_sum(councils: list[tuple[int, list[SheetInput]]]) -> int:
    """The baseline: look up and add the points of every answer, nothing else."""
    catalog = load_catalog()
    tables = {no: {item.code: (0, *(o.points for o in item.options)) for item in cset.items}
              for no, cset in catalog.sets.items()}
    grand = 0
    for no, sheets in councils:
        table = tables[no]
        for sheet in sheets:
            total = 0
            for code, answer in sheet.answers.items():
                total += table[code][answer]
            grand += total
    return grand


def score_all(councils: list[tuple[int, list[SheetInput]]]) -> Counter[int]:
    """Decide every council (totals, mean band, quorum, spread, minimums); count the stars."""
    catalog = load_catalog()
    stars: Counter[int] = Counter()
    for no, sheets in councils:
        result = council_result(catalog.sets[no], sheets, MEMBERS)
        stars[result.final_star or 0] += 1
    return stars


def bench_scoring(rounds: int = 3) -> dict[str, Any]:
    councils = make_councils()
    score_all(councils[:100])  # compile the sets once, as the app does on first use
    plain, scored = [], []
    for _ in range(rounds):
        t = time.perf_counter()
        plain_sum(councils)
        plain.append(time.perf_counter() - t)
        t = time.perf_counter()
        score_all(councils)
        scored.append(time.perf_counter() - t)
    p, s = statistics.median(plain), statistics.median(scored)
    spread = dict(sorted(score_all(councils).items()))
    return {"plain_s": p, "scoring_s": s, "ratio": p / s, "stars": spread}


def bench_keypress(presses: int = 300) -> dict[str, float]:
    """Mean handling time of a digit key in the score screen of the largest set."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from ocop_desktop import evaluation
    from ocop_desktop.evaluation import sheets
    from ocop_desktop.installation.setup import init_installation
    from ocop_desktop.registry.producers import ProducerData, save_producer
    from ocop_desktop.registry.products import ProductData, save_product
    from ocop_desktop.store.context import open_context
    from ui.app import create_qapp
    from ui.score_sheet import ScoreSheetDialog
    from ui.tasks import TaskRunner

    catalog = load_catalog()
    largest = max(catalog.sets.values(), key=lambda s: len(s.items))
    app = create_qapp()
    with tempfile.TemporaryDirectory() as folder:
        ctx = open_context(Path(folder))
        init_installation(ctx, "82", "province", "Bench")
        producer = save_producer(ctx, ProducerData(name="HTX Bench", legal_type="htx", commune_code="30037"))
        product = save_product(ctx, ProductData(producer_id=producer, name="Cà phê bench", product_set=largest.no))
        rnd = evaluation.create_round(ctx, 2026, 1, "province", "Bench")
        council = evaluation.create_council(ctx, rnd, "HĐ", members=[("A", "chair", None)])
        entry = evaluation.add_entry(ctx, rnd, product, council)
        member = evaluation.get_council(ctx, council).members[0]
        runner = TaskRunner()
        dialog = ScoreSheetDialog(ctx, sheets.start_sheet(ctx, entry, member.id), runner)
        dialog.show()
        app.processEvents()
        rng = random.Random(1)
        times = []
        for i in range(presses):
            card = dialog.cards[dialog.current]
            n = rng.randint(1, len(card.item.options))
            t = time.perf_counter()
            QTest.keyClick(dialog, Qt.Key(Qt.Key.Key_0 + n))
            times.append((time.perf_counter() - t) * 1000)
            if dialog.current == len(dialog.cards) - 1 or i % len(dialog.cards) == 0:
                dialog.move_to(0)
        runner.wait()
        dialog.close()
        ctx.close()
    return {"set": largest.no, "criteria": len(largest.items), "mean_ms": statistics.mean(times),
            "p95_ms": sorted(times)[int(len(times) * 0.95)]}


def report() -> bool:
    s = bench_scoring()
    print(f"scoring {COUNCILS:,} councils x {MEMBERS} members over the 26 sets: {s['scoring_s']:.2f} s; "
          f"plain loop summing the same answers: {s['plain_s']:.2f} s; rate ratio {s['ratio']:.2f} (at least 0.50); "
          f"stars decided: {s['stars']}")
    k = bench_keypress()
    print(f"score screen, set {int(k['set'])} ({int(k['criteria'])} criteria): a digit keypress takes "
          f"{k['mean_ms']:.1f} ms on average (p95 {k['p95_ms']:.1f} ms), ratio to a 16 ms frame {k['mean_ms'] / 16:.2f}")
    return s["ratio"] >= 0.5 and k["mean_ms"] < 16
