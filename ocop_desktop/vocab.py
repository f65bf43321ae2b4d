"""Closed vocabularies with their Vietnamese labels (codes are stored; labels are shown)."""

from __future__ import annotations

LEVELS = {"local": "Cấp xã / địa phương", "province": "Cấp tỉnh", "central": "Cấp trung ương"}

LEGAL_TYPES = {
    "htx": "Hợp tác xã",
    "tht": "Tổ hợp tác",
    "cty_tnhh": "Công ty TNHH",
    "ctcp": "Công ty cổ phần",
    "dntn": "Doanh nghiệp tư nhân",
    "ho_kd": "Hộ sản xuất, kinh doanh",
    "trang_trai": "Trang trại",
    "to_chuc": "Hội, hiệp hội, trung tâm điều hành (bộ 26)",
}

GENDERS = {"nu": "Nữ", "nam": "Nam", "khac": "Khác"}

ETHNICITIES = ("Kinh", "Khmer", "Hoa", "Chăm", "Tày", "Thái", "Mường", "Nùng", "H'Mông", "Dao", "Khác")

PRODUCT_STATUSES = {
    "draft": "Đang chuẩn bị hồ sơ",
    "registered": "Đã đăng ký",
    "commune_reviewed": "Xã đã đánh giá",
    "evaluating": "Đang đánh giá, phân hạng",
    "recognised": "Đã công nhận",
    "not_recognised": "Không đạt",
    "expired": "Hết hiệu lực",
    "revoked": "Bị thu hồi",
}

#: Statuses in which a product holds (or held) a star rating.
STATUSES_WITH_STAR = ("recognised", "expired", "revoked")

RECOGNISED_STARS = (3, 4, 5)

MEMBER_ROLES = {"chair": "Chủ tịch", "vice_chair": "Phó Chủ tịch", "member": "Thành viên", "secretary": "Thư ký"}

DOSSIER_TYPES = {"first": "Lần đầu", "upgrade": "Nâng hạng", "reevaluation": "Đánh giá lại"}

ROUND_LEVELS = {"province": "Cấp tỉnh", "central": "Cấp trung ương"}

SHEET_STATUSES = {"draft": "Nháp", "submitted": "Đã nộp", "locked": "Đã khóa"}

RESULT_STATUSES = {
    "decided": "Đã kết luận",
    "eliminated": "Hồ sơ bị loại",
    "no_quorum": "Chưa đủ số phiếu",
    "spread": "Chênh lệch điểm quá mức",
}

#: What each synchronised table holds, as counts of a package are shown to people.
TABLE_LABELS = {
    "producer": "chủ thể",
    "product": "sản phẩm",
    "attachment": "tệp đính kèm",
    "evaluation_round": "đợt đánh giá",
    "council": "hội đồng",
    "council_member": "thành viên hội đồng",
    "round_entry": "sản phẩm tham gia đợt",
    "score_sheet": "phiếu đánh giá",
    "recognition": "quyết định công nhận",
}
