"""Build score-sheet answers with a chosen total, meeting the star minimums up to a chosen level."""

from __future__ import annotations

from ocop_desktop.evaluation.catalog import CatalogSet


def answers_for(cset: CatalogSet, target: int, meet_level: int = 5, avoid: str | None = None) -> dict[str, int]:
    """Answers totalling exactly ``target`` that meet every minimum up to ``meet_level``.

    ``avoid`` names an item to keep at its lowest option (to fail its minimum on purpose).
    """
    answers: dict[str, int] = {}
    for item in cset.items:
        need = max((r for lvl, r in zip((3, 4, 5), item.required, strict=True) if r and lvl <= meet_level), default=0)
        if item.code == avoid:
            need = 0
        choice = 0
        if need:
            choice = min(o.n for o in item.options if o.points >= need and (o.case in (None, 1)))
        answers[item.code] = choice
    total = sum(cset.item(c).points(a) for c, a in answers.items())
    if total > target:
        raise ValueError(f"minimums alone give {total} > {target}")
    for item in cset.items:
        if item.code == avoid or total == target:
            continue
        current = item.points(answers[item.code])
        better = [o for o in item.options if o.case in (None, 1) and current < o.points <= current + target - total]
        if better:
            best = max(better, key=lambda o: o.points)
            answers[item.code] = best.n
            total += best.points - current
    if total != target:
        raise ValueError(f"could reach {total}, not {target}")
    for item in cset.items:  # a 0 answer is the printed 0-point option where there is one
        zero = next((o.n for o in item.options if o.points == 0 and o.case in (None, 1)), None)
        if answers[item.code] == 0 and zero is not None:
            answers[item.code] = zero
    return answers
