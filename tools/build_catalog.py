"""Convert the transcription in resources/criteria/source/qd26-2026.json into the app's catalog
format (docs/catalog-format.md), resolving each known anomaly explicitly and recording how
(the source and its anomalies: docs/criteria-provenance.md).

Run once when the source changes:  .venv/bin/python tools/build_catalog.py [SOURCE]
SOURCE defaults to the transcription kept in the repository. The output,
resources/criteria/qd26-2026.json, is legal data and is committed.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "resources" / "criteria" / "source" / "qd26-2026.json"
OUT = ROOT / "resources" / "criteria" / "qd26-2026.json"

GROUND_PATTERNS = (
    "bị loại nếu", "không chấp nhận được", "tạp chất lạ", "không đánh giá các bước tiếp theo",
    "không xem xét các chỉ tiêu khác", "nếu được 0 điểm", "không đánh giá những sản phẩm",
)

RESOLUTIONS: list[dict[str, Any]] = [
    {"id": "A1", "sets": [4, 7, 10, 11], "item": "1.2",
     "printed": "option 'Không được cấp giấy chứng nhận chất lượng' without points",
     "resolution": "0 points (the other sets print 0)"},
    {"id": "A2", "sets": [3], "item": "5.1",
     "printed": "last option carries a spaced marker '* * * *' left in its text, no min_star",
     "resolution": "asterisks stripped from the text; min_star 4 (all other sets mark this option 4★)"},
    {"id": "A3", "sets": [4], "item": "7", "printed": "option 'Có trên 2 chỉ tiêu' = 13 points (group max 3)",
     "resolution": "3 points"},
    {"id": "A4", "sets": [11], "item": "6.1.1", "printed": "option 'Có rất ít tạp chất, chấp nhận được' = 11 points",
     "resolution": "1 point (max 2, ascending 0/1/2)"},
    {"id": "A5", "sets": [7], "item": "3.1",
     "printed": "option 'Công ty TNHH; … <51%' = 1 point (all 25 other sets print 2)",
     "resolution": "kept as printed (1) until checked against the official gazette; flagged in the UI note"},
    {"id": "A6", "sets": [26], "item": "A, 8, 9, 15",
     "printed": "Part A heading says 35 points, sub-totals sum to 40; criteria 8, 9, 15 hold two alternative "
                "option lists one after the other",
     "resolution": "Part A = 40; each alternative list is a case ('Trường hợp 1' / 'Trường hợp 2'); a member "
                   "answers one option of one case"},
    {"id": "A7", "sets": [23], "item": "6.2", "printed": "two options both 1 point ('Chấp nhận được', 'Phù hợp…')",
     "resolution": "kept as printed; both score 1"},
    {"id": "A8", "sets": [26], "item": "-", "printed": "no 'Hồ sơ bị loại khi' box, no star legend, no 5★ minimum",
     "resolution": "set has no set-level elimination ground; 5★ needs only the band (no minimum printed)"},
    {"id": "A9", "sets": [23], "item": "9", "printed": "points cell '4 1'", "resolution": "4 points (options 2/4)"},
    {"id": "Y1", "sets": list(range(1, 23)), "item": "2.4 (2.3 in sets 21–22)",
     "printed": "'song ngữ' label criterion without printed options",
     "resolution": "two options: 'Không' = 0, 'Có' = 1"},
    {"id": "Z1", "sets": list(range(1, 27)), "item": "all",
     "printed": "many criteria print no 0-point option",
     "resolution": "a member may answer 0 ('không đạt mức nào') on any criterion; an unanswered criterion "
                   "blocks submission rather than silently scoring 0"},
]


def fix_option(set_no: int, code: str, option: dict[str, Any]) -> dict[str, Any]:
    text, points, star = option["text"], option["points"], option.get("min_star")
    if set_no == 3 and code == "5.1" and "* * * *" in text:
        text, star = text.replace("* * * *", "").rstrip(), 4
    if set_no == 4 and code == "7" and points == 13:
        points = 3
    if set_no == 11 and code == "6.1.1" and points == 11:
        points = 1
    out: dict[str, Any] = {"text": text, "points": int(points)}
    if star:
        out["min_star"] = int(star)
    return out


def convert_node(set_no: int, node: dict[str, Any]) -> dict[str, Any]:
    code = node["code"]
    out: dict[str, Any] = {"code": code, "title": node["title"], "max": int(node["max"])}
    notes = list(node.get("notes", []))
    grounds = [n for n in notes if any(p in n.lower() for p in GROUND_PATTERNS)]
    if grounds:
        out["grounds"] = grounds
    if any(n.startswith("Chỉ áp dụng khi có câu chuyện") for n in notes):
        out["applies_if"] = {"item": code.rsplit(".", 1)[0] + ".1", "min_points": 1}
    case_notes = [n for n in notes if re.match(r"^[ab]\. Trường hợp [12]", n)]
    out["notes"] = notes
    if node["children"]:
        out["children"] = [convert_node(set_no, c) for c in node["children"]]
        return out
    if node.get("yes_no"):
        out["options"] = [{"text": "Không", "points": 0}, {"text": "Có", "points": 1}]
        return out
    options = [fix_option(set_no, code, o) for o in node["options"]]
    if case_notes:  # set 26: two alternative lists, split where the points drop
        case = 1
        for i, option in enumerate(options):
            if i and option["points"] < options[i - 1]["points"]:
                case = 2
            option["case"] = case
        out["cases"] = [re.sub(r"^[ab]\. ", "", n) for n in case_notes]
    out["options"] = options
    return out


def convert(source: dict[str, Any]) -> dict[str, Any]:
    sets = []
    for s in source["sets"]:
        parts = []
        for p in s["parts"]:
            title = p["title"]
            if s["no"] == 26 and p["part"] == "A":
                title = title.replace("(35 Điểm)", "(40 Điểm)")
            parts.append({"part": p["part"], "title": title, "max": int(p["max"]),
                          "children": [convert_node(s["no"], c) for c in p["children"]]})
        sets.append({"no": s["no"], "title": s["title"], "elimination": s["elimination"],
                     "star_note": s["star_note"], "parts": parts})
    return {
        "format": "ocop-catalog/1",
        "id": "qd26-2026",
        "instrument": "QĐ 26/2026/QĐ-TTg",
        "title": "Bộ tiêu chí đánh giá, phân hạng sản phẩm OCOP (Phụ lục II)",
        "issued": "2026-05-22",
        "effective_from": "2026-05-22",
        "effective_to": None,
        "source": source["source"] + " — not yet compared with the official gazette.",
        "resolutions": RESOLUTIONS,
        "sets": sets,
    }


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else SOURCE
    source = json.loads(path.read_text(encoding="utf-8"))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(convert(source), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"written {OUT}")


if __name__ == "__main__":
    main()
