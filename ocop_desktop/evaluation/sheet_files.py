"""Score-sheet files (``ocop-sheets/1``, docs/score-sheets.md): read with the strict JSON reader that
packages use, checked sheet by sheet, and entered all together in one transaction or not at all.

A file comes from outside (another machine, a script, a typed-in batch), so it gets the same care
as a package: a size cap, no duplicate keys, no NaN or huge integers, bounded nesting, no lone
surrogates; ``submit`` is a boolean, a comment is text of bounded length without control characters,
and a file with thousands of problems is summarised rather than printed line by line.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from database.base import utcnow
from database.engine import write_session
from database.tables import CouncilMember, RoundEntry
from ocop_desktop import records
from ocop_desktop.evaluation.catalog import check_answers
from ocop_desktop.evaluation.scoring import unanswered
from ocop_desktop.evaluation.sheets import catalog_set_of, new_sheet
from ocop_desktop.infra.errors import OcopError, ValidationFailed
from ocop_desktop.language.text import nfc, visible
from ocop_desktop.records.stamping import current_installation
from ocop_desktop.reference.vocab import SheetStatus
from ocop_desktop.store.context import AppContext
from ocop_desktop.sync.package import strict_json
from ocop_desktop.sync.package.rejections import PackageRejected

SHEETS_FORMAT = "ocop-sheets/1"
MAX_FILE = 16 * 1024 * 1024  # bytes: 7 sheets × 30 criteria for a thousand products is under 2 MB
MAX_COMMENT = 4000  # characters: a page of opinion
SHOWN_PROBLEMS = 50  # problems listed one by one; the rest are counted
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def read_sheet_file(path: Path) -> Any:
    """The document in ``path``, read strictly; a Vietnamese message for anything it is not."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE:
            raise OcopError(f"Tệp phiếu '{path.name}' quá lớn ({size // (1024 * 1024)} MB; tối đa "
                            f"{MAX_FILE // (1024 * 1024)} MB).", f"sheets file {path}: {size} bytes")
        data = path.read_bytes()
    except OSError as exc:
        raise OcopError(f"Không đọc được tệp phiếu '{path.name}'.", f"read {path}: {exc}") from exc
    try:
        return strict_json.loads(data, path.name)
    except PackageRejected as rejected:
        raise OcopError(f"Không đọc được tệp phiếu — {rejected.message_vi}",
                        f"sheets file {path}: {rejected.code} {rejected.detail}") from rejected


def import_sheet_file(ctx: AppContext, path: Path) -> list[str]:
    """``score import FILE``: read the file strictly, then enter its sheets (all or none)."""
    return import_sheets(ctx, read_sheet_file(path))


def _comment(value: Any) -> tuple[str | None, str | None]:
    """(the comment to store, or the problem with it)."""
    if value is None:
        return None, None
    if not isinstance(value, str):
        return None, "'comment' phải là văn bản"
    text = nfc(value).strip()
    if len(text) > MAX_COMMENT:
        return None, f"nhận xét dài {len(text)} ký tự (tối đa {MAX_COMMENT})"
    if _CONTROL.search(text):
        return None, "nhận xét có ký tự điều khiển"
    if text and not visible(text):
        return None, "nhận xét chỉ gồm ký tự vô hình"
    return text or None, None


def _summary(problems: list[str]) -> dict[str, str]:
    shown = {f"sheet_{i}": p for i, p in enumerate(problems[:SHOWN_PROBLEMS])}
    if len(problems) > SHOWN_PROBLEMS:
        shown["more"] = f"… và {len(problems) - SHOWN_PROBLEMS} lỗi khác (tổng cộng {len(problems)} lỗi)"
    return shown


def import_sheets(ctx: AppContext, document: Any) -> list[str]:
    """Enter sheets from a document (docs/score-sheets.md) in one transaction: every sheet is
    checked first, and any problem refuses the whole file with each problem named (the first
    :data:`SHOWN_PROBLEMS` of them, then how many more)."""
    problems: list[str] = []
    if not isinstance(document, dict) or document.get("format") != SHEETS_FORMAT:
        raise OcopError(f"Tệp phiếu phải có \"format\": \"{SHEETS_FORMAT}\".", "bad sheets format")
    items = document.get("sheets")
    if not isinstance(items, list) or not items:
        raise OcopError("Tệp phiếu không có phiếu nào.", "no sheets")
    created: list[str] = []
    with write_session(ctx.engine) as s:
        seen: set[tuple[str, str]] = set()
        for n, item in enumerate(items, start=1):
            where = f"phiếu {n}"
            if not isinstance(item, dict):
                problems.append(f"{where}: không phải đối tượng JSON")
                continue
            entry = s.get(RoundEntry, str(item.get("entry", "")))
            member = s.get(CouncilMember, str(item.get("member", "")))
            if entry is None or entry.deleted:
                problems.append(f"{where}: không có hồ sơ '{item.get('entry')}'")
                continue
            if member is None or member.deleted:
                problems.append(f"{where}: không có thành viên '{item.get('member')}'")
                continue
            catalog_id, catalog_hash, cset = catalog_set_of(ctx, s, entry)
            wanted, wanted_hash = document.get("catalog"), document.get("catalog_hash")
            if (wanted is not None and wanted != catalog_id) or (wanted_hash is not None and wanted_hash != catalog_hash):
                problems.append(f"{where}: phiếu theo bộ tiêu chí '{wanted}' "
                                f"({str(document.get('catalog_hash', ''))[:12]}), hồ sơ dùng '{catalog_id}' ({catalog_hash[:12]})")
                continue
            answers = item.get("answers")
            if not isinstance(answers, dict):
                problems.append(f"{where}: thiếu 'answers'")
                continue
            submit = item.get("submit", True)
            if not isinstance(submit, bool):
                problems.append(f"{where}: 'submit' phải là true hoặc false")
                continue
            comment, comment_problem = _comment(item.get("comment"))
            if comment_problem:
                problems.append(f"{where}: {comment_problem}")
                continue
            bad = check_answers(cset, answers)
            problems += [f"{where}: {b}" for b in bad]
            if bad:
                continue
            if (entry.id, member.id) in seen:
                problems.append(f"{where}: trùng thành viên '{member.name}' cho cùng sản phẩm trong tệp")
                continue
            seen.add((entry.id, member.id))
            if submit:
                missing = unanswered(cset, answers)
                if missing:
                    problems.append(f"{where}: chưa chấm {len(missing)} tiêu chí: {', '.join(missing)}")
                    continue
            try:
                sheet = new_sheet(ctx, s, entry, member, {str(k): int(v) for k, v in answers.items()}, comment)
            except OcopError as exc:
                problems.append(f"{where}: {exc.message_vi}")
                continue
            if submit:
                records.update(s, current_installation(s), sheet, {"status": SheetStatus.SUBMITTED, "submitted_at": utcnow()})
            created.append(sheet.id)
        if problems:
            raise ValidationFailed(_summary(problems))
    return created
