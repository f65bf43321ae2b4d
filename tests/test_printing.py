"""Printed documents: Vietnamese text intact, the sheet complete, the QR code readable back."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pypdfium2 as pdfium
import pytest
import zxingcpp

from ocop_desktop.evaluation import recognition, results, sheet_files, sheets
from ocop_desktop.evaluation.catalog import load_catalog
from ocop_desktop.infra.errors import OcopError
from ocop_desktop.language.formats import date_line
from ocop_desktop.reports.printing import documents
from ocop_desktop.reports.printing.score_sheet_pdf import decode_payload
from ocop_desktop.store.context import AppContext
from tests.conftest import CouncilCase
from tests.scoring_helpers import answers_for

SET7 = load_catalog().set(7)


def pdf_text(path: Path) -> str:
    pdf = pdfium.PdfDocument(str(path))
    try:
        return "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    finally:
        pdf.close()


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def qr_of_first_page(path: Path) -> str:
    pdf = pdfium.PdfDocument(str(path))
    try:
        image = pdf[0].render(scale=3).to_pil()
    finally:
        pdf.close()
    found = zxingcpp.read_barcodes(image)
    assert found, "no QR code found on the page"
    return str(found[0].text)


def test_date_line_follows_decree_30() -> None:
    assert date_line("Đồng Tháp", date(2026, 2, 5)) == "Đồng Tháp, ngày 05 tháng 02 năm 2026"
    assert date_line("Đồng Tháp", date(2026, 5, 22)) == "Đồng Tháp, ngày 22 tháng 5 năm 2026"
    assert date_line("Đồng Tháp", None) == "Đồng Tháp, ngày …… tháng …… năm ……"


def test_blank_sheet_of_set_7_is_complete(ctx: AppContext, tmp_path: Path) -> None:
    out = documents.blank_sheet(ctx, 7, tmp_path / "blank7.pdf")
    text = flat(pdf_text(out))
    assert "PHIẾU ĐÁNH GIÁ SẢN PHẨM OCOP" in text and flat(SET7.title) in text
    assert "Hồ sơ bị loại khi:" in text and "TỔNG CỘNG" in text
    for item in SET7.items:
        assert flat(item.title) in text, item.code
        for option in item.options:
            assert flat(option.text) in text, (item.code, option.text)
    # the points printed for the criteria of each part add up to the part and to 100
    assert sum(item.max for item in SET7.items) == 100
    assert "*** - 3 sao" in text.replace("***- 3", "*** - 3")
    assert "Người đánh giá" in text and "(Ký và ghi rõ họ tên)" in text
    payload = decode_payload(qr_of_first_page(out))
    assert payload["kind"] == "blank" and load_catalog().hash.startswith(payload["catalog_hash"])


def test_filled_sheet_shows_choices_totals_and_binds_the_record(council_case: CouncilCase, tmp_path: Path) -> None:
    ctx, _product, _round, _council, entry, members = council_case
    sheet_id = sheets.start_sheet(ctx, entry, members[0].id)
    for code, option in answers_for(SET7, 83, 4).items():
        sheets.save_answer(ctx, sheet_id, code, option)
    sheets.save_comment(ctx, sheet_id, "Sản phẩm đặc trưng của xã Tháp Mười")
    sheets.submit_sheet(ctx, sheet_id)
    out = documents.filled_sheet(ctx, sheet_id, tmp_path / "sheet.pdf")
    text = flat(pdf_text(out))
    assert "Hạt sen sấy" in text and "HTX Sen Tháp Mười" in text and "Thành viên 1" in text
    assert "☒" in text and "Sản phẩm đặc trưng của xã Tháp Mười" in text
    assert "TỔNG CỘNG 100 83" in text
    payload = decode_payload(qr_of_first_page(out))
    view = sheets.get_sheet(ctx, sheet_id)
    assert payload["kind"] == "sheet" and payload["record_id"] == sheet_id
    assert view.catalog_hash.startswith(payload["catalog_hash"]) and len(payload["content_hash"]) == 32


def test_council_papers_recognition_list_and_certificate(council_case: CouncilCase, tmp_path: Path) -> None:
    ctx, _product, rnd, council, entry, members = council_case
    document = {"format": "ocop-sheets/1", "sheets": [
        {"entry": entry, "member": m.id, "answers": answers_for(SET7, t, 4)}
        for m, t in zip(members, [72, 73, 74, 75, 76, 77, 75], strict=True)]}
    sheet_files.import_sheets(ctx, document)
    summary = flat(pdf_text(documents.council_summary(ctx, council, tmp_path / "summary.pdf", date(2026, 2, 5))))
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in summary and "Độc lập - Tự do - Hạnh phúc" in summary
    assert "BẢNG TỔNG HỢP KẾT QUẢ" in summary and "Đồng Tháp, ngày 05 tháng 02 năm 2026" in summary
    assert "74,57" in summary  # 522 / 7, two decimals with a comma
    minutes = flat(pdf_text(documents.council_minutes(ctx, council, tmp_path / "minutes.pdf", date(2026, 12, 1))))
    assert "cần ít nhất 5 phiếu" in minutes
    assert "BIÊN BẢN HỌP HỘI ĐỒNG" in minutes and "Thành viên 7 — Thư ký" in minutes and "Đề nghị công nhận" in minutes
    results.adopt_result(ctx, entry)
    listing = flat(pdf_text(documents.recognition_list(ctx, rnd, tmp_path / "list.pdf", "88/QĐ-UBND", date(2026, 12, 5))))
    assert "DANH SÁCH SẢN PHẨM ĐƯỢC CÔNG NHẬN" in listing and "Sản phẩm đạt 4 sao (1 sản phẩm)" in listing
    assert "88/QĐ-UBND" in listing and "05/12/2026" in listing
    rec = recognition.recognise(ctx, entry, "88/QĐ-UBND", date(2026, 11, 20), "5/2026/GCN", None)
    cert = flat(pdf_text(documents.certificate(ctx, rec, tmp_path / "cert.pdf")))
    assert "GIẤY CHỨNG NHẬN" in cert and "Hạt sen sấy" in cert and "4 SAO" in cert
    assert "Đồng Tháp, ngày 20 tháng 11 năm 2026" in cert and "20/11/2029" in cert


def test_bad_requests_leave_no_file(council_case: CouncilCase, tmp_path: Path) -> None:
    ctx, _product, rnd, council, _entry, _members = council_case
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    with pytest.raises(OcopError) as info:
        documents.council_summary(ctx, council, tmp_path / "summary.pdf")
    assert "chưa chấm" in info.value.message_vi
    with pytest.raises(OcopError):
        documents.blank_sheet(ctx, None, tmp_path / "blank.pdf")
    with pytest.raises(OcopError):
        documents.recognition_list(ctx, rnd, tmp_path / "list.pdf")
    assert list(tmp_path.iterdir()) == []
