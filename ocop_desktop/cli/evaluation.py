"""The evaluation cycle on the command line: ``round``, ``council``, ``score``, ``recognise``,
``certificates`` and ``settings scoring``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ocop_desktop import evaluation
from ocop_desktop.cli.common import bounded, print_json
from ocop_desktop.evaluation import recognition, results, sheet_files
from ocop_desktop.evaluation.scoring import CouncilResult, round_display
from ocop_desktop.infra.errors import OcopError
from ocop_desktop.language.formats import format_date, format_decimal, parse_date
from ocop_desktop.reference.vocab import RESULT_STATUSES
from ocop_desktop.registry.products import product_id_from_text

if TYPE_CHECKING:
    from ocop_desktop.cli.common import Subcommands
    from ocop_desktop.store.context import AppContext


def register(sub: Subcommands) -> None:
    rnd = sub.add_parser("round", help="đợt đánh giá, phân hạng")
    rnd_verbs = rnd.add_subparsers(dest="verb", metavar="VERB", required=True)
    create = rnd_verbs.add_parser("create", help="tạo đợt đánh giá")
    create.add_argument("--year", type=bounded(2000, 2100), required=True)
    create.add_argument("--number", type=bounded(1, 99), required=True)
    create.add_argument("--level", choices=["province", "central"], default="province")
    create.add_argument("--title", required=True)
    create.add_argument("--start", default="", help="dd/mm/yyyy")
    create.add_argument("--end", default="", help="dd/mm/yyyy")
    add = rnd_verbs.add_parser("add-product", help="đưa sản phẩm vào đợt")
    add.add_argument("--round", required=True)
    add.add_argument("--product", required=True, help="mã định danh hoặc mã sản phẩm")
    add.add_argument("--council", required=True)
    add.add_argument("--dossier", choices=["first", "upgrade", "reevaluation"], default="first")
    rnd_verbs.add_parser("list", help="liệt kê các đợt")

    council = sub.add_parser("council", help="hội đồng đánh giá")
    council_verbs = council.add_subparsers(dest="verb", metavar="VERB", required=True)
    cc = council_verbs.add_parser("create", help="thành lập hội đồng và thành viên")
    cc.add_argument("--round", required=True)
    cc.add_argument("--name", required=True)
    cc.add_argument("--decision-no", default="")
    cc.add_argument("--decision-date", default="", help="dd/mm/yyyy")
    cc.add_argument("--member", action="append", default=[], metavar="'TÊN|VAI TRÒ|CƠ QUAN'",
                    help="vai trò: chair, vice_chair, member, secretary; lặp lại cho mỗi thành viên")
    cc.add_argument("--json", action="store_true")

    score = sub.add_parser("score", help="phiếu đánh giá và kết quả hội đồng")
    score_verbs = score.add_subparsers(dest="verb", metavar="VERB", required=True)
    imp = score_verbs.add_parser("import", help="nhập phiếu từ tệp JSON (docs/score-sheets.md)")
    imp.add_argument("file")
    res = score_verbs.add_parser("result", help="kết quả của hội đồng kèm giải thích")
    res.add_argument("--council", required=True)
    res.add_argument("--json", action="store_true")
    adopt = score_verbs.add_parser("adopt", help="hội đồng kết luận một sản phẩm (khóa phiếu)")
    adopt.add_argument("--entry", required=True)

    rec = sub.add_parser("recognise", help="công nhận sản phẩm theo kết quả hội đồng đã kết luận")
    rec.add_argument("--entry", required=True)
    rec.add_argument("--decision-no", required=True)
    rec.add_argument("--decision-date", required=True, help="dd/mm/yyyy")
    rec.add_argument("--certificate-no", default="")
    rec.add_argument("--issue-date", default="", help="dd/mm/yyyy (mặc định: ngày quyết định)")

    certs = sub.add_parser("certificates", help="giấy chứng nhận")
    cert_verbs = certs.add_subparsers(dest="verb", metavar="VERB", required=True)
    exp = cert_verbs.add_parser("expiring", help="giấy chứng nhận sắp hết hạn")
    exp.add_argument("--days", type=bounded(0, 3650), default=180)
    exp.add_argument("--json", action="store_true")

    settings = sub.add_parser("settings", help="quy định chấm điểm của tỉnh")
    settings_verbs = settings.add_subparsers(dest="verb", metavar="VERB", required=True)
    scoring = settings_verbs.add_parser("scoring", help="xem hoặc đặt số phiếu tối thiểu, mức chênh lệch, cách tổng hợp")
    scoring.add_argument("--quorum", help="tỷ lệ thành viên phải nộp phiếu, ví dụ 2/3")
    scoring.add_argument("--spread", type=bounded(0, 100), help="chênh lệch tổng điểm tối đa giữa các thành viên")
    scoring.add_argument("--consolidation", choices=["median", "all"], help="cách xét yêu cầu tối thiểu")
    rnd.set_defaults(handler=cmd_round)
    council.set_defaults(handler=cmd_council)
    score.set_defaults(handler=cmd_score)
    rec.set_defaults(handler=cmd_recognise)
    certs.set_defaults(handler=cmd_certificates)
    settings.set_defaults(handler=cmd_settings)


def cmd_round(ctx: AppContext, args: argparse.Namespace) -> int:
    if args.verb == "create":
        rid = evaluation.create_round(ctx, args.year, args.number, args.level, args.title,
                                      parse_date(args.start), parse_date(args.end))
        print(rid)
    elif args.verb == "add-product":
        product_id = product_id_from_text(ctx, args.product)
        print(evaluation.add_entry(ctx, args.round, product_id, args.council, args.dossier))
    else:
        for r in evaluation.list_rounds(ctx):
            print(f"{r.id} | {r.year} đợt {r.number} | {r.title} | {r.catalog_id}")
    return 0


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
        print_json({"id": view.id, "members": [{"id": m.id, "name": m.name, "role": m.role} for m in view.members]})
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
        created = sheet_files.import_sheet_file(ctx, Path(args.file))
        print(f"Đã nhập {len(created)} phiếu.")
        return 0
    if args.verb == "adopt":
        result = results.adopt_result(ctx, args.entry)
        print("\n".join(result.explanation()))
        return 0
    items = [result_json(e, r) for e, r in results.council_results(ctx, args.council)]
    if args.json:
        print_json(items)
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
        print_json([{"product": r.product_name, "stars": r.stars, "certificate_no": r.certificate_no,
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
