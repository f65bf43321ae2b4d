"""The province's batch path through the command line: council, sheets from a file, result."""

from __future__ import annotations

import json
from pathlib import Path

from ocop_desktop.evaluation.catalog import load_catalog
from tests.scoring_helpers import answers_for
from tests.test_cli_demo import run


def test_sheets_file_to_council_result(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert run("demo", data_dir=data).returncode == 0
    products = json.loads(run("products", "list", "--search", "hat sen say", "--json", data_dir=data).stdout)
    product = next(p for p in products if p["product_set"] == 7)
    round_id = run("round", "create", "--year", "2026", "--number", "2", "--title", "Đợt 2 năm 2026",
                   "--start", "01/11/2026", data_dir=data).stdout.strip()
    roles = ["chair", "vice_chair", "member", "member", "member", "member", "secretary"]
    members = [f"Thành viên {i + 1}|{r}|Sở NN&MT" for i, r in enumerate(roles)]
    out = run("council", "create", "--round", round_id, "--name", "Hội đồng cấp tỉnh", "--json",
              *[a for m in members for a in ("--member", m)], data_dir=data)
    assert out.returncode == 0, out.stderr
    council = json.loads(out.stdout)
    entry = run("round", "add-product", "--round", round_id, "--product", product["code"], "--council",
                council["id"], "--dossier", "reevaluation", data_dir=data).stdout.strip()
    cset = load_catalog().set(7)
    totals = [80, 81, 79, 80, 82, 78, 80]
    document = {"format": "ocop-sheets/1", "catalog": "qd26-2026", "catalog_hash": load_catalog().hash,
                "sheets": [{"entry": entry, "member": m["id"], "answers": answers_for(cset, t, 4)}
                           for m, t in zip(council["members"], totals, strict=True)]}
    (tmp_path / "sheets.json").write_text(json.dumps(document), encoding="utf-8")
    out = run("score", "import", str(tmp_path / "sheets.json"), data_dir=data)
    assert out.returncode == 0 and "7 phiếu" in out.stdout, out.stderr
    again = run("score", "import", str(tmp_path / "sheets.json"), data_dir=data)
    assert again.returncode == 2 and "đã có phiếu" in again.stderr
    result = json.loads(run("score", "result", "--council", council["id"], "--json", data_dir=data).stdout)
    assert len(result) == 1
    r = result[0]
    assert (r["mean"], r["star"], r["status"], r["submitted"]) == ("80", 4, "decided", 7)
    assert [s["total"] for s in r["sheets"]] == totals
    assert r["explanation"][-1].startswith("Kết quả: 4 sao")
    text = run("score", "result", "--council", council["id"], data_dir=data).stdout
    assert "Điểm trung bình của hội đồng: 80" in text
    assert run("score", "adopt", "--entry", entry, data_dir=data).returncode == 0
    out = run("recognise", "--entry", entry, "--decision-no", "88/QĐ-UBND", "--decision-date", "20/11/2026",
              "--certificate-no", "5/2026/GCN", data_dir=data)
    assert out.returncode == 0, out.stderr
    products = json.loads(run("products", "list", "--search", product["code"], "--json", data_dir=data).stdout)
    assert products[0]["certificate_expiry"] == "2029-11-20" and products[0]["star"] == 4
    expiring = run("certificates", "expiring", "--days", "60", data_dir=data)
    assert expiring.returncode == 0


def test_bad_sheet_files_get_messages(tmp_path: Path) -> None:
    data = tmp_path / "data"
    run("init", "--unit", "82", "--level", "province", "--officer", "A", data_dir=data)
    (tmp_path / "x.json").write_text("{not json", encoding="utf-8")
    out = run("score", "import", str(tmp_path / "x.json"), data_dir=data)
    assert out.returncode == 2 and "Không đọc được tệp phiếu" in out.stderr and "Traceback" not in out.stderr
    (tmp_path / "y.json").write_text(json.dumps({"format": "other"}), encoding="utf-8")
    out = run("score", "import", str(tmp_path / "y.json"), data_dir=data)
    assert out.returncode == 2 and "ocop-sheets/1" in out.stderr
    (tmp_path / "z.json").write_text(json.dumps({"format": "ocop-sheets/1", "sheets": [
        {"entry": "nope", "member": "nope", "answers": {}}]}), encoding="utf-8")
    out = run("score", "import", str(tmp_path / "z.json"), data_dir=data)
    assert out.returncode == 2 and "không có hồ sơ 'nope'" in out.stderr


def test_province_scoring_rules(tmp_path: Path) -> None:
    data = tmp_path / "data"
    run("init", "--unit", "82", "--level", "province", "--officer", "A", data_dir=data)
    out = run("settings", "scoring", data_dir=data)
    assert out.returncode == 0 and "2/3" in out.stdout and "10 điểm" in out.stdout
    out = run("settings", "scoring", "--quorum", "3/4", "--spread", "8", data_dir=data)
    assert out.returncode == 0 and "3/4" in out.stdout and "8 điểm" in out.stdout
    bad = run("settings", "scoring", "--quorum", "5/4", data_dir=data)
    assert bad.returncode == 2 and "không hợp lệ" in bad.stderr
    assert "3/4" in run("settings", "scoring", data_dir=data).stdout
