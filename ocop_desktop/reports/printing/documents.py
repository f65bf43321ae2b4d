"""The documents users print, gathered from the store: score sheets (blank, filled, in batches),
the council summary and minutes, the recognition list and the certificate."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from database.engine import read_session
from database.tables import Producer, Product, Recognition
from ocop_desktop import evaluation, records
from ocop_desktop.evaluation import results, sheets
from ocop_desktop.evaluation.catalog import DEFAULT_CATALOG, load_catalog
from ocop_desktop.evaluation.scoring import CouncilResult, round_display
from ocop_desktop.infra.errors import OcopError
from ocop_desktop.infra.tasks import JobControl
from ocop_desktop.language.formats import date_line, format_date, format_decimal
from ocop_desktop.reference.vocab import DOSSIER_TYPES, MEMBER_ROLES
from ocop_desktop.reports.printing.layout import (
    BODY,
    CELL,
    CENTER,
    TITLE,
    WIDTH,
    escape,
    grid,
    national_header,
    signature_block,
    style,
    write_pdf,
)
from ocop_desktop.reports.printing.score_sheet_pdf import PrintedSheet, SheetHeader, write_sheets
from ocop_desktop.store.context import AppContext

COUNCIL_AGENCY = "Hội đồng đánh giá, phân hạng sản phẩm OCOP"


def _province(ctx: AppContext) -> tuple[str, str]:
    """(the province's full name, the short name for the place line); a unit without a name is refused."""
    units = ctx.units()
    if not units.name.strip() or not units.short_name.strip():
        raise OcopError("Đơn vị hành chính của cài đặt chưa có tên; không thể in văn bản.", "unit without name")
    return units.name, units.short_name


def print_path(ctx: AppContext, kind: str) -> Path:
    """Where a document printed from the app is written (kept: a printed paper has its file)."""
    from datetime import datetime

    folder = ctx.data_dir / "prints"
    return folder / f"{kind}-{datetime.now().strftime('%Y%m%d-%H%M%S-%f')}.pdf"


def in_sentence(unit_name: str) -> str:
    """A unit's name inside a sentence: "Tỉnh Đồng Tháp" → "tỉnh Đồng Tháp" (proper names keep their capitals)."""
    for kind in ("Tỉnh ", "Thành phố ", "Xã ", "Phường "):
        if unit_name.startswith(kind):
            return kind.lower() + unit_name[len(kind):]
    return unit_name


def product_header(ctx: AppContext, product_id: str) -> SheetHeader:
    units = ctx.units()
    with read_session(ctx.engine) as s:
        product = records.get_live(s, Product, product_id, "sản phẩm")
        producer = s.get(Producer, product.producer_id)
    if producer is None:
        raise OcopError("Sản phẩm không có chủ thể.", "product without producer")
    address = ", ".join(p for p in (producer.address_detail, units.unit_name(producer.commune_code),
                                    units.name) if p)
    return SheetHeader(product.name, product.code or "", producer.name, producer.phone or "", address)


def blank_sheet(ctx: AppContext, set_no: int | None, target: Path, product_id: str | None = None) -> Path:
    """A blank sheet of a set (1–26); with a product, its header is filled and its set is used."""
    header = SheetHeader()
    if product_id:
        header = product_header(ctx, product_id)
        with read_session(ctx.engine) as s:
            product = records.get_live(s, Product, product_id, "sản phẩm")
            set_no = product.product_set
    if not set_no:
        raise OcopError("Hãy chọn bộ sản phẩm (1–26) cho phiếu trống.", "no set")
    catalog = load_catalog(DEFAULT_CATALOG)
    _, place = _province(ctx)
    sheet = PrintedSheet("blank", product_id or "", catalog.set(set_no), catalog, header, place=place)
    return write_sheets(target, [sheet], f"Phiếu đánh giá bộ {set_no}")


def _printed(ctx: AppContext, sheet_id: str, place: str) -> PrintedSheet:
    view = sheets.get_sheet(ctx, sheet_id)
    catalog = load_catalog(view.catalog_id, ctx.catalogs_dir)
    if catalog.hash != view.catalog_hash:
        raise OcopError("Phiếu được chấm theo phiên bản khác của bộ tiêu chí; không in được bằng phiên bản này.",
                        "sheet of another catalog version")
    entry = evaluation.get_entry(ctx, view.entry_id)
    return PrintedSheet("sheet", view.id, catalog.set(view.product_set), catalog,
                        product_header(ctx, entry.product_id), view.answers, view.member_name, view.comment or "",
                        place)


def filled_sheet(ctx: AppContext, sheet_id: str, target: Path) -> Path:
    _, place = _province(ctx)
    sheet = _printed(ctx, sheet_id, place)
    return write_sheets(target, [sheet], f"Phiếu đánh giá — {sheet.header.product_name} — {sheet.member}")


def round_blank_sheets(ctx: AppContext, round_id: str, target: Path, job: JobControl | None = None) -> Path:
    """One blank sheet, header filled, for every product of a round."""
    entries = evaluation.list_entries(ctx, round_id)
    if not entries:
        raise OcopError("Đợt đánh giá chưa có sản phẩm nào.", "round without entries")
    round_view = evaluation.get_round(ctx, round_id)
    catalog = load_catalog(round_view.catalog_id, ctx.catalogs_dir)
    _, place = _province(ctx)
    printed = [PrintedSheet("blank", e.product_id, catalog.set(e.product_set), catalog,
                            product_header(ctx, e.product_id), place=place) for e in entries]
    return write_sheets(target, printed, f"Phiếu trống — {round_view.title}", job)


def council_filled_sheets(ctx: AppContext, council_id: str, target: Path, job: JobControl | None = None) -> Path:
    """Every submitted or locked sheet of a council's products."""
    council = evaluation.get_council(ctx, council_id)
    _, place = _province(ctx)
    printed = []
    for entry in evaluation.list_entries(ctx, council.round_id, council_id):
        printed += [_printed(ctx, v.id, place) for v in sheets.list_sheets(ctx, entry.id) if v.status != "draft"]
    if not printed:
        raise OcopError("Hội đồng chưa có phiếu nào đã nộp.", "no submitted sheets")
    return write_sheets(target, printed, f"Phiếu đánh giá — {council.name}", job)


def _council_results(ctx: AppContext, council_id: str) -> list[tuple[evaluation.EntryView, CouncilResult]]:
    rows = results.council_results(ctx, council_id)
    if not rows:
        raise OcopError("Hội đồng chưa có sản phẩm nào.", "council without entries")
    missing = [e.product_name for e, r in rows if not r.totals and r.eliminated is None]
    if missing:
        raise OcopError("Hội đồng chưa chấm các sản phẩm: " + ", ".join(missing) + ".", "council not tallied")
    return rows


def council_summary(ctx: AppContext, council_id: str, target: Path, today: date | None = None) -> Path:
    """Bảng tổng hợp kết quả: members × part subtotals and totals, mean, spread, star, failed minimums."""
    province, place = _province(ctx)
    council = evaluation.get_council(ctx, council_id)
    story: list[Flowable] = national_header(f"UBND {province}", COUNCIL_AGENCY, None, date_line(place, today))
    story += [Spacer(1, 6 * mm), Paragraph("BẢNG TỔNG HỢP KẾT QUẢ ĐÁNH GIÁ, PHÂN HẠNG SẢN PHẨM OCOP", TITLE),
              Paragraph(escape(council.name), style("cn", 13, align=1)), Spacer(1, 4 * mm)]
    for i, (entry, result) in enumerate(_council_results(ctx, council_id)):
        if i:
            story.append(Spacer(1, 5 * mm))
        story.append(Paragraph(f"<b>{i + 1}. {escape(entry.product_name)}</b> — mã {escape(entry.product_code or '-')}"
                               f", bộ {entry.product_set}, {DOSSIER_TYPES[entry.dossier_type].lower()}", BODY))
        rows = [["TT", "Thành viên", "Phần A", "Phần B", "Phần C", "Tổng"]]
        rows += [[str(n + 1), Paragraph(escape(s.member), CELL), *map(str, s.parts), str(s.total)]
                 for n, s in enumerate(result.sheets)]
        mean = format_decimal(round_display(result.mean)) if result.mean is not None else "—"
        rows.append(["", Paragraph("<b>Điểm trung bình</b>", CELL), "", "", "", mean])
        story.append(grid(rows, [10 * mm, WIDTH - 90 * mm, 20 * mm, 20 * mm, 20 * mm, 20 * mm],
                          extra=[("ALIGN", (2, 1), (-1, -1), "CENTER"), ("SPAN", (1, -1), (4, -1))]))
        spread = result.spread if result.spread is not None else "—"
        star = f"{result.final_star} sao" if result.final_star else "—"
        story.append(Paragraph(f"Chênh lệch giữa các thành viên: {spread} điểm. Hạng: <b>{star}</b>.", BODY))
        story += [Paragraph("– " + escape(line), style("ex", 12, leading=15)) for line in result.explanation()]
    members = council.members
    chair = next((m.name for m in members if m.role == "chair"), "")
    secretary = next((m.name for m in members if m.role == "secretary"), "")
    story.append(Spacer(1, 6 * mm))
    story.append(signature_block(["CHỦ TỊCH HỘI ĐỒNG"], chair,
                                 left=_signer_left("THƯ KÝ", secretary)))
    return write_pdf(target, story, f"Bảng tổng hợp — {council.name}")


def _signer_left(title: str, name: str) -> Flowable:
    from reportlab.platypus import Table

    return Table([[Paragraph(f"<b>{title}</b>", CENTER)], [Spacer(1, 22 * mm)], [Paragraph(f"<b>{escape(name)}</b>", CENTER)]])


def council_minutes(ctx: AppContext, council_id: str, target: Path, held_on: date | None = None) -> Path:
    """Biên bản họp hội đồng: attendance, quorum, result per product."""
    province, place = _province(ctx)
    council = evaluation.get_council(ctx, council_id)
    rows_results = _council_results(ctx, council_id)
    story: list[Flowable] = national_header(f"UBND {province}", COUNCIL_AGENCY, None, date_line(place, held_on))
    story += [Spacer(1, 6 * mm), Paragraph("BIÊN BẢN HỌP HỘI ĐỒNG", TITLE),
              Paragraph("Đánh giá, phân hạng sản phẩm OCOP", style("st", 13, TITLE.fontName, align=1)),
              Spacer(1, 4 * mm)]
    decision = (f" (thành lập theo Quyết định số {escape(council.decision_no)}"
                f"{' ngày ' + format_date(council.decision_date) if council.decision_date else ''})"
                if council.decision_no else "")
    story.append(Paragraph(f"Hôm nay, {date_line(place, held_on).split(', ', 1)[1]}, {escape(council.name)}{decision} "
                           "họp đánh giá, phân hạng sản phẩm OCOP.", BODY))
    story.append(Paragraph("<b>I. Thành phần tham dự</b>", BODY))
    story += [Paragraph(f"{n + 1}. {escape(m.name)} — {MEMBER_ROLES[m.role]}"
                        f"{', ' + escape(m.organisation) if m.organisation else ''}", BODY)
              for n, m in enumerate(council.members)]
    needed = rows_results[0][1].quorum_needed
    story.append(Paragraph(f"Hội đồng có {len(council.members)} thành viên; theo quy chế, mỗi sản phẩm cần ít nhất "
                           f"{needed} phiếu để hội đồng kết luận.", BODY))
    story.append(Paragraph("<b>II. Kết quả đánh giá</b>", BODY))
    rows = [["TT", "Sản phẩm", "Số phiếu", "Điểm TB", "Hạng", "Kết luận"]]
    for n, (entry, result) in enumerate(rows_results):
        mean = format_decimal(round_display(result.mean)) if result.mean is not None else "—"
        verdict = ("Hồ sơ bị loại" if result.eliminated else
                   "Đề xuất Trung ương" if result.propose_central else
                   "Đề nghị công nhận" if result.recognisable else
                   "Chưa đủ số phiếu" if not result.quorum_ok else
                   "Chấm lại (chênh lệch)" if not result.spread_ok else "Không đạt")
        rows.append([str(n + 1), Paragraph(escape(entry.product_name), CELL),
                     f"{len(result.totals)}/{result.members}", mean,
                     f"{result.final_star} sao" if result.final_star else "—", Paragraph(verdict, CELL)])
    story.append(grid(rows, [10 * mm, WIDTH - 110 * mm, 20 * mm, 20 * mm, 20 * mm, 40 * mm],
                      extra=[("ALIGN", (2, 1), (4, -1), "CENTER")]))
    story.append(Paragraph("Biên bản được lập và thông qua tại cuộc họp.", BODY))
    chair = next((m.name for m in council.members if m.role == "chair"), "")
    secretary = next((m.name for m in council.members if m.role == "secretary"), "")
    story += [Spacer(1, 4 * mm), signature_block(["CHỦ TỊCH HỘI ĐỒNG"], chair, note="",
                                                 left=_signer_left("THƯ KÝ", secretary))]
    return write_pdf(target, story, f"Biên bản — {council.name}")


def recognition_list(ctx: AppContext, round_id: str, target: Path, decision_no: str | None = None,
                     decision_date: date | None = None) -> Path:
    """The annex of a recognition decision: recognised products of a round, grouped by star."""
    province, _ = _province(ctx)
    round_view = evaluation.get_round(ctx, round_id)
    entries = [e for e in evaluation.list_entries(ctx, round_id) if e.result_status == "decided" and (e.result_star or 0) >= 3]
    if not entries:
        raise OcopError("Đợt đánh giá chưa có sản phẩm nào được kết luận đạt từ 3 sao.", "nothing to list")
    units = ctx.units()
    story: list[Flowable] = [
        Paragraph("<b>Phụ lục</b>", CENTER),
        Paragraph("<b>DANH SÁCH SẢN PHẨM ĐƯỢC CÔNG NHẬN ĐẠT SẢN PHẨM OCOP</b>", TITLE),
        Paragraph(f"<i>(Kèm theo Quyết định số {escape(decision_no) or '……'}"
                  f" ngày {format_date(decision_date) or '……'} của Chủ tịch UBND {escape(in_sentence(province))})</i>", CENTER),
        Paragraph(f"<i>{escape(round_view.title)}</i>", CENTER), Spacer(1, 4 * mm)]
    with read_session(ctx.engine) as s:
        info = {}
        for e in entries:
            product = s.get(Product, e.product_id)
            producer = s.get(Producer, product.producer_id) if product else None
            info[e.id] = (producer.name if producer else "", units.unit_name(producer.commune_code) if producer else "")
    groups = [(star, [e for e in entries if e.result_star == star]) for star in (5, 4, 3)]
    for number, (star, group) in zip(("I", "II", "III"), [g for g in groups if g[1]], strict=False):
        story.append(Paragraph(f"<b>{number}. Sản phẩm đạt {star} sao ({len(group)} sản phẩm)</b>", BODY))
        rows = [["TT", "Tên sản phẩm", "Mã sản phẩm", "Chủ thể", "Địa chỉ", "Điểm"]]
        for n, e in enumerate(group):
            mean = results.stored_mean(e)
            rows.append([str(n + 1), Paragraph(escape(e.product_name), CELL), Paragraph(escape(e.product_code or ""), CELL),
                         Paragraph(escape(info[e.id][0]), CELL), Paragraph(escape(info[e.id][1]), CELL),
                         format_decimal(round_display(mean)) if mean is not None else ""])
        story.append(grid(rows, [10 * mm, 40 * mm, 32 * mm, WIDTH - 132 * mm, 35 * mm, 15 * mm]))
        story.append(Spacer(1, 3 * mm))
    return write_pdf(target, story, f"Danh sách công nhận — {round_view.title}")


def certificate(ctx: AppContext, recognition_id: str, target: Path) -> Path:
    """Giấy chứng nhận for a recognised product (no national template exists; this is ours)."""
    province, place = _province(ctx)
    with read_session(ctx.engine) as s:
        rec = records.get_live(s, Recognition, recognition_id, "quyết định công nhận")
        if rec.revoked:
            raise OcopError("Giấy chứng nhận này đã bị thu hồi; không in lại được.", "revoked")
        product = s.get(Product, rec.product_id)
        producer = s.get(Producer, product.producer_id) if product else None
        if product is None or producer is None:
            raise OcopError("Không tìm thấy sản phẩm của giấy chứng nhận.", "missing product")
        number, stars, decision_no, decision_date = rec.certificate_no, rec.stars, rec.decision_no, rec.decision_date
        issue = rec.issue_date or rec.decision_date
        expiry = rec.expiry_date
        product_name, product_code, producer_name = product.name, product.code, producer.name
    story: list[Flowable] = national_header("", f"UBND {province}", number, date_line(place, issue))
    story += [Spacer(1, 14 * mm), Paragraph("GIẤY CHỨNG NHẬN", style("gc", 26, TITLE.fontName, align=1, leading=32)),
              Paragraph("SẢN PHẨM ĐẠT HẠNG OCOP", style("gc2", 18, TITLE.fontName, align=1, leading=24)),
              Spacer(1, 8 * mm),
              Paragraph(f"Sản phẩm: <b>{escape(product_name)}</b>", style("c1", 16, align=1, leading=22)),
              Paragraph(f"Mã sản phẩm: {escape(product_code or '')}", style("c2", 14, align=1, leading=20)),
              Paragraph(f"Chủ thể: <b>{escape(producer_name)}</b>", style("c3", 14, align=1, leading=20)),
              Spacer(1, 6 * mm),
              Paragraph(f"Đạt hạng: <b>{stars} SAO</b>", style("c4", 20, align=1, leading=26)),
              Spacer(1, 6 * mm),
              Paragraph(f"Theo Quyết định số {escape(decision_no)} ngày {format_date(decision_date)}"
                        f" của Chủ tịch Ủy ban nhân dân {escape(in_sentence(province))}.", style("c5", 13, align=1)),
              Paragraph(f"Giấy chứng nhận có giá trị 36 tháng kể từ ngày cấp, đến ngày {format_date(expiry)}.",
                        style("c6", 13, align=1)),
              Spacer(1, 10 * mm),
              signature_block(["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"], "", note="")]
    return write_pdf(target, story, f"Giấy chứng nhận — {product_name}")


def statistics_report(ctx: AppContext, target: Path, today: date | None = None) -> Path:
    """Báo cáo thống kê sản phẩm OCOP: the dashboard's figures in the official layout."""
    from ocop_desktop.reports.dashboard import Row, dashboard

    province, place = _province(ctx)
    today = today or date.today()
    figures = dashboard(ctx, today)
    story: list[Flowable] = national_header(f"UBND {province}", "Sở Nông nghiệp và Môi trường", None,
                                            date_line(place, today))
    story += [Spacer(1, 6 * mm), Paragraph("BÁO CÁO THỐNG KÊ SẢN PHẨM OCOP", TITLE),
              Paragraph(f"<i>Số liệu đến ngày {format_date(today)}</i>", CENTER), Spacer(1, 4 * mm),
              Paragraph(f"Toàn tỉnh có <b>{figures.recognised}</b> sản phẩm OCOP còn trong hồ sơ "
                        f"({figures.by_stars['5']} sản phẩm 5 sao, {figures.by_stars['4']} sản phẩm 4 sao, "
                        f"{figures.by_stars['3']} sản phẩm 3 sao) của {figures.producers} chủ thể; "
                        f"{figures.expiring} giấy chứng nhận hết hạn trong 180 ngày tới, "
                        f"{figures.expired} giấy chứng nhận đã hết hạn.", BODY)]

    def table(title: str, label: str, rows: list[Row]) -> None:
        story.append(Paragraph(f"<b>{title}</b>", BODY))
        data = [["TT", label, "3 sao", "4 sao", "5 sao", "Tổng"]]
        data += [[str(n + 1), Paragraph(escape(r.label), CELL), str(r.by_star["3"]), str(r.by_star["4"]),
                  str(r.by_star["5"]), str(r.total)] for n, r in enumerate(rows)]
        data.append(["", Paragraph("<b>Cộng</b>", CELL), *(str(sum(r.by_star[s] for r in rows)) for s in "345"),
                     str(sum(r.total for r in rows))])
        story.append(grid(data, [10 * mm, WIDTH - 90 * mm, 20 * mm, 20 * mm, 20 * mm, 20 * mm],
                          extra=[("ALIGN", (2, 1), (-1, -1), "CENTER")]))
        story.append(Spacer(1, 3 * mm))

    table("1. Theo huyện (địa giới trước 07/2025)", "Huyện", figures.by_district)
    table("2. Theo ngành", "Ngành", figures.by_nganh)
    table("3. Theo loại hình chủ thể", "Loại hình", figures.by_producer_type)
    table("4. Theo năm công nhận", "Năm", figures.by_year)
    if figures.targets:
        story.append(Paragraph("<b>5. Tiến độ thực hiện kế hoạch</b>", BODY))
        data = [["TT", "Chỉ tiêu", "Kế hoạch", "Đạt", "Tỷ lệ"]]
        data += [[str(n + 1), Paragraph(escape(t.label), CELL), str(t.target), str(t.value),
                  format_decimal(round(100 * t.value / t.target, 1)) + " %" if t.target else "—"]
                 for n, t in enumerate(figures.targets)]
        story.append(grid(data, [10 * mm, WIDTH - 80 * mm, 22 * mm, 22 * mm, 26 * mm],
                          extra=[("ALIGN", (2, 1), (-1, -1), "CENTER")]))
    story += [Spacer(1, 6 * mm), signature_block(["GIÁM ĐỐC"], "", note="(Ký, ghi rõ họ tên, đóng dấu)")]
    return write_pdf(target, story, "Báo cáo thống kê sản phẩm OCOP")


def _halves(grouped: str) -> tuple[str, str]:
    """A grouped fingerprint on two lines that break between groups, never inside one."""
    groups = grouped.split("-")
    middle = (len(groups) + 1) // 2
    return "-".join(groups[:middle]) + "-", "-".join(groups[middle:])


def key_sheet(ctx: AppContext, target: Path, today: date | None = None) -> Path:
    """The page an office prints, signs and stamps so that the other side can compare its key's
    fingerprint out of band; the QR code carries ``OCOPKEY1|purpose|fingerprint``."""
    from ocop_desktop.reports.printing.score_sheet_pdf import qr_flowable
    from ocop_desktop.sync import trust
    from ocop_desktop.sync.trust import keys

    province, place = _province(ctx)
    inst = ctx.require_installation()
    try:
        info = keys.read_header(trust.device_key_path(ctx).read_bytes())[2]
    except OSError as exc:
        raise OcopError("Cài đặt này chưa có khóa ký; hãy tạo khóa trước.", f"no key: {exc}") from exc
    unit = ctx.units().unit_name(inst.unit_code)
    story: list[Flowable] = national_header(f"UBND {province}" if inst.level == "local" else "", f"UBND {unit}"
                                            if inst.level == "local" else f"UBND {province}", None,
                                            date_line(place, today))
    story += [Spacer(1, 8 * mm), Paragraph("PHIẾU XÁC NHẬN KHÓA KÝ GÓI DỮ LIỆU OCOP", TITLE), Spacer(1, 6 * mm),
              Paragraph(f"Đơn vị: <b>{escape(unit)}</b> (mã {escape(inst.unit_code)})", BODY),
              Paragraph(f"Máy: {escape(inst.device_id)}", BODY),
              Paragraph(f"Cán bộ: {escape(inst.officer_name)}", BODY),
              Paragraph(f"Mục đích khóa: {escape(info.purpose)}", BODY), Spacer(1, 4 * mm),
              Paragraph("Mã nhận dạng khóa (đọc từng nhóm bốn ký tự khi đối chiếu qua điện thoại):", BODY),
              Paragraph("<b>{}</b>".format("<br/>".join(_halves(keys.grouped(info.key_id)))),
                        style("fp", 14, "Courier-Bold", align=1, leading=20)),
              Spacer(1, 4 * mm), qr_flowable(f"OCOPKEY1|{info.purpose}|{info.key_id}", 40 * mm), Spacer(1, 6 * mm),
              Paragraph("Bên nhận chỉ chấp nhận khóa khi mã trên tệp trùng với mã trên phiếu này.", BODY),
              Spacer(1, 6 * mm), signature_block(["THỦ TRƯỞNG ĐƠN VỊ"], "", note="(Ký, ghi rõ họ tên, đóng dấu)")]
    return write_pdf(target, story, "Phiếu xác nhận khóa ký")
