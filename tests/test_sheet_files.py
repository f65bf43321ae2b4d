"""Score-sheet files are read as strictly as packages (issue 13, item 9): every bad file gets a
Vietnamese message and writes nothing; a file with thousands of problems is summarised."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import func, select

from database.engine import read_session
from database.tables import ScoreSheet
from ocop_desktop.evaluation import sheet_files
from ocop_desktop.evaluation.catalog import load_catalog
from ocop_desktop.infra.errors import OcopError, ValidationFailed
from ocop_desktop.store.context import AppContext
from tests.conftest import CouncilCase
from tests.scoring_helpers import answers_for

SET7 = load_catalog().set(7)


def _sheets(ctx: AppContext) -> int:
    with read_session(ctx.engine) as s:
        return int(s.exec(select(func.count()).select_from(ScoreSheet)).one())


def _document(case: CouncilCase, **item: Any) -> dict[str, Any]:
    _ctx, _product, _round, _council, entry, members = case
    sheet = {"entry": entry, "member": members[0].id, "answers": answers_for(SET7, 80, 4), **item}
    return {"format": "ocop-sheets/1", "sheets": [sheet]}


def _write(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "phieu.json"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


@pytest.mark.parametrize(("text", "says"), [
    ('{"format": "ocop-sheets/1", "format": "x", "sheets": []}', "hai lần"),
    ('{"format": "ocop-sheets/1", "sheets": [{"answers": {"1.1": NaN}}]}', "NaN"),
    ('{"format": "ocop-sheets/1", "sheets": [{"answers": {"1.1": 1' + "0" * 40 + '}}]}', "số quá lớn"),
    ('{"a": ' + "[" * 40 + "]" * 40 + "}", "lồng quá sâu"),
    ('{"format": "ocop-sheets/1", "sheets": [{"comment": "\\ud800"}]}', "surrogate"),
    (b'{"format": "ocop-sheets/1", "sheets": [{"comment": "\xff\xfe"}]}', "UTF-8"),
    ("{not json", "JSON"),
], ids=["duplicate-key", "nan", "huge-integer", "deep-nesting", "lone-surrogate", "not-utf8", "not-json"])
def test_a_malformed_file_is_refused_with_a_message(council_case: CouncilCase, tmp_path: Path, text: str | bytes,
                                                    says: str) -> None:
    ctx = council_case[0]
    with pytest.raises(OcopError) as info:
        sheet_files.import_sheet_file(ctx, _write(tmp_path, text))
    assert info.value.message_vi.startswith("Không đọc được tệp phiếu") and says in info.value.message_vi
    assert _sheets(ctx) == 0


def test_a_file_over_the_size_cap_is_not_read(council_case: CouncilCase, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    ctx = council_case[0]
    path = _write(tmp_path, json.dumps(_document(council_case)))
    monkeypatch.setattr(sheet_files, "MAX_FILE", path.stat().st_size - 1)
    with pytest.raises(OcopError) as info:
        sheet_files.import_sheet_file(ctx, path)
    assert "quá lớn" in info.value.message_vi and _sheets(ctx) == 0


@pytest.mark.parametrize(("item", "says"), [
    ({"submit": "yes"}, "'submit' phải là true hoặc false"),
    ({"submit": 1}, "'submit' phải là true hoặc false"),
    ({"comment": 5}, "'comment' phải là văn bản"),
    ({"comment": "x" * (sheet_files.MAX_COMMENT + 1)}, "tối đa"),
    ({"comment": "Tốt\x07"}, "ký tự điều khiển"),
    ({"comment": "\u200b\u200b\u2060"}, "vô hình"),
], ids=["submit-text", "submit-number", "comment-number", "comment-too-long", "comment-control", "comment-invisible"])
def test_a_bad_field_is_named_and_nothing_is_written(council_case: CouncilCase, item: dict[str, Any],
                                                     says: str) -> None:
    ctx = council_case[0]
    with pytest.raises(ValidationFailed) as info:
        sheet_files.import_sheets(ctx, _document(council_case, **item))
    assert any(says in message for message in info.value.errors.values()), info.value.errors
    assert _sheets(ctx) == 0


def test_the_catalog_hash_is_checked_even_without_the_catalog_id(council_case: CouncilCase) -> None:
    ctx = council_case[0]
    document = {**_document(council_case), "catalog_hash": "0" * 64}
    with pytest.raises(ValidationFailed) as info:
        sheet_files.import_sheets(ctx, document)
    assert "bộ tiêu chí" in next(iter(info.value.errors.values()))
    assert _sheets(ctx) == 0
    assert len(sheet_files.import_sheets(ctx, {**document, "catalog_hash": load_catalog().hash})) == 1


def test_thousands_of_problems_are_summarised(council_case: CouncilCase) -> None:
    ctx = council_case[0]
    document = {"format": "ocop-sheets/1", "sheets": [{"entry": f"e{i}", "member": "m", "answers": {}}
                                                      for i in range(5000)]}
    with pytest.raises(ValidationFailed) as info:
        sheet_files.import_sheets(ctx, document)
    errors = info.value.errors
    assert len(errors) == sheet_files.SHOWN_PROBLEMS + 1
    assert errors["more"] == f"… và {5000 - sheet_files.SHOWN_PROBLEMS} lỗi khác (tổng cộng 5000 lỗi)"


def test_a_good_file_with_a_comment_is_entered(council_case: CouncilCase, tmp_path: Path) -> None:
    ctx = council_case[0]
    path = _write(tmp_path, json.dumps(_document(council_case, comment="  Sản phẩm tốt  ", submit=False),
                                       ensure_ascii=False))
    [sheet_id] = sheet_files.import_sheet_file(ctx, path)
    with read_session(ctx.engine) as s:
        row = s.get(ScoreSheet, sheet_id)
        assert row is not None and (row.comment, row.status) == ("Sản phẩm tốt", "draft")
