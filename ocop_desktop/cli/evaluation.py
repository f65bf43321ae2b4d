"""CLI commands of the evaluation cycle: rounds, councils, score sheets, results, recognition."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from ocop_desktop import evaluation
from ocop_desktop.evaluation import recognition, results, sheets
from ocop_desktop.evaluation.scoring import CouncilResult, round_display
from ocop_desktop.infra.errors import OcopError
from ocop_desktop.language.formats import format_date, format_decimal, parse_date
from ocop_desktop.records.listing import ListRequest
from ocop_desktop.reference.vocab import RESULT_STATUSES
from ocop_desktop.registry.products import product_rows
from ocop_desktop.store.context import AppContext


def _print_json(value: Any) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=1, default=str))


def cmd_round(ctx: AppContext, args: argparse.Namespace) -> int:
    if args.verb == "create":
        rid = evaluation.create_round(ctx, args.year, args.number, args.level, args.title,
                                      parse_date(args.start), parse_date(args.end))
        print(rid)
    elif args.verb == "add-product":
        product_id = _product_id(ctx, args.product)
        print(evaluation.add_entry(ctx, args.round, product_id, args.council, args.dossier))
    else:
        for r in evaluation.list_rounds(ctx):
            print(f"{r.id} | {r.year} đợt {r.number} | {r.title} | {r.catalog_id}")
    return 0


def _product_id(ctx: AppContext, text: str) -> str:
    """A product id, or the id of the one product whose code is ``text``."""
    if len(text) == 32 and all(c in "0123456789abcdef" for c in text):
        return text
    rows = [r for r in product_rows(ctx, ListRequest(search=text), 0, 50) if r[1] == text.strip()]
    if len(rows) != 1:
        raise OcopError(f"Không tìm thấy đúng một sản phẩm có mã '{text}'.", f"product code {text}")
    return str(rows[0][0])


def cmd_council(ctx: AppContext, args: argparse.Namespace) -> int:
    members = []
    for spec in args.member:
        parts = [p.strip() for p in spec.split("|")]
        if len(parts) < 2:
            raise OcopError(f"Thành viên '{spec}' phải có dạng 'TÊN|VAI TRÒ|CƠ QUAN'.", "bad member spec")
        members.append((parts[0], parts[1], parts[2] if len(parts) > 2 else None))
    council_id = evaluation.create_council(ctx, args.round, args.name, args.decision_no or None,
                                           parse_date(args.decision_date), members)
    view = evaluation.get_council(ctx, council_id)
    if args.json:
        _print_json({"id": view.id, "members": [{"id": m.id, "name": m.name, "role": m.role} for m in view.members]})
    else:
        print(view.id)
        for m in view.members:
            print(f"  {m.id} | {m.name} | {m.role}")
    return 0


def result_json(entry: evaluation.EntryView, result: CouncilResult) -> dict[str, Any]:
    return {
        "entry": entry.id, "product": entry.product_name, "code": entry.product_code, "set": entry.product_set,
        "status": result.status, "members": result.members, "submitted": len(result.sheets),
        "quorum_needed": result.quorum_needed,
        "sheets": [{"member": s.member, "A": s.parts[0], "B": s.parts[1], "C": s.parts[2], "total": s.total}
                   for s in result.sheets],
        "mean": None if result.mean is None else format_decimal(round_display(result.mean)),
        "mean_exact": None if result.mean is None else f"{result.mean.numerator}/{result.mean.denominator}",
        "spread": result.spread, "band_star": result.band_star, "star": result.final_star,
        "failed_minimums": [{"level": f.level, "criterion": f.code, "required": f.required,
                             "consolidated": f.consolidated} for f in result.failed],
        "decidable": result.decidable, "recognisable": result.recognisable, "propose_central": result.propose_central,
        "adopted": entry.result_status is not None,
        "explanation": result.explanation(),
    }


def cmd_score(ctx: AppContext, args: argparse.Namespace) -> int:
    if args.verb == "import":
        path = Path(args.file)
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise OcopError(f"Không đọc được tệp phiếu '{path}': {exc}", f"read {path}") from exc
        created = sheets.import_sheets(ctx, document)
        print(f"Đã nhập {len(created)} phiếu.")
        return 0
    if args.verb == "adopt":
        result = results.adopt_result(ctx, args.entry)
        print("\n".join(result.explanation()))
        return 0
    items = [result_json(e, r) for e, r in results.council_results(ctx, args.council)]
    if args.json:
        _print_json(items)
        return 0
    for item in items:
        print(f"{item['product']} ({item['code'] or '-'}) — {RESULT_STATUSES.get(item['status'], item['status'])}")
        for s in item["sheets"]:
            print(f"    {s['member']}: A {s['A']} · B {s['B']} · C {s['C']} = {s['total']}")
        for line in item["explanation"]:
            print(f"  {line}")
    return 0


def cmd_recognise(ctx: AppContext, args: argparse.Namespace) -> int:
    rec_id = recognition.recognise(ctx, args.entry, args.decision_no, parse_date(args.decision_date),
                                   args.certificate_no or None, parse_date(args.issue_date))
    print(rec_id)
    return 0


def cmd_certificates(ctx: AppContext, args: argparse.Namespace) -> int:
    rows = recognition.expiring(ctx, args.days)
    if args.json:
        _print_json([{"product": r.product_name, "stars": r.stars, "certificate_no": r.certificate_no,
                      "expiry": r.expiry_date} for r in rows])
        return 0
    for r in rows:
        assert r.expiry_date is not None
        start, end = recognition.reevaluation_window(r.expiry_date)
        print(f"{r.product_name} | {r.stars}★ | GCN {r.certificate_no or '-'} | hết hạn {format_date(r.expiry_date)} "
              f"| nộp hồ sơ đánh giá lại từ {format_date(start)} đến {format_date(end)}")
    if not rows:
        print("Không có giấy chứng nhận nào sắp hết hạn.")
    return 0


def cmd_settings(ctx: AppContext, args: argparse.Namespace) -> int:
    from ocop_desktop.evaluation.policy import scoring_policy, set_scoring_policy

    policy = scoring_policy(ctx)
    if args.quorum or args.spread is not None or args.consolidation:
        policy = set_scoring_policy(ctx, args.quorum or str(policy.quorum),
                                    policy.spread_limit if args.spread is None else args.spread,
                                    args.consolidation or policy.consolidation)
    how = "trung vị dưới" if policy.consolidation == "median" else "từng thành viên"
    print(f"Số phiếu tối thiểu: {policy.quorum} số thành viên; chênh lệch tối đa: {policy.spread_limit} điểm; "
          f"yêu cầu tối thiểu xét theo {how}.")
    return 0


def cmd_print(ctx: AppContext, args: argparse.Namespace) -> int:
    from ocop_desktop.reports.printing import documents

    out = Path(args.out)
    if args.verb == "blank-sheet":
        product = _product_id(ctx, args.product) if args.product else None
        path = documents.blank_sheet(ctx, args.set, out, product)
    elif args.verb == "sheet":
        path = documents.filled_sheet(ctx, args.sheet, out)
    elif args.verb == "round-blank-sheets":
        path = documents.round_blank_sheets(ctx, args.round, out)
    elif args.verb == "council-sheets":
        path = documents.council_filled_sheets(ctx, args.council, out)
    elif args.verb == "summary":
        path = documents.council_summary(ctx, args.council, out, parse_date(args.date))
    elif args.verb == "minutes":
        path = documents.council_minutes(ctx, args.council, out, parse_date(args.date))
    elif args.verb == "recognition-list":
        path = documents.recognition_list(ctx, args.round, out, args.decision_no or None, parse_date(args.decision_date))
    elif args.verb == "certificate":
        path = documents.certificate(ctx, args.recognition, out)
    else:
        path = documents.statistics_report(ctx, out)
    print(f"Đã ghi {path}")
    return 0
