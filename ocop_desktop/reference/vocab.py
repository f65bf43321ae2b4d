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
    "sync_receipt": "biên nhận",
    "catalog_release": "bộ tiêu chí",
}

#: What an import does with each record of a package, in the order they are shown.
IMPORT_DECISIONS = {"new": "mới", "updated": "cập nhật", "unchanged": "không đổi", "stale": "cũ hơn (bỏ qua)",
                    "conflicts": "xung đột"}

#: Where a sent package stands, from the receipts that came back.
OUTBOX_STATUSES = {"sent": "đã gửi, chưa có biên nhận", "waiting": "nơi nhận giữ lại, chờ gói trước",
                   "acknowledged": "đã nhận (có biên nhận)", "missing": "có thể thất lạc: gói sau đã được nhận"}

#: Column names as people read them (conflict screen); columns not listed show their own name.
FIELD_LABELS = {
    "name": "Tên", "producer_id": "Chủ thể (mã)", "product_set": "Bộ sản phẩm", "code": "Mã sản phẩm",
    "description": "Mô tả", "raw_material_origin": "Nguồn nguyên liệu", "status": "Trạng thái", "star": "Hạng sao",
    "decision_no": "Số quyết định", "decision_date": "Ngày quyết định", "certificate_no": "Số giấy chứng nhận",
    "certificate_date": "Ngày cấp giấy", "certificate_expiry": "Ngày hết hạn", "is_demo": "Dữ liệu demo",
    "legal_type": "Loại hình", "registration_no": "Số đăng ký", "tax_code": "Mã số thuế",
    "rep_name": "Người đại diện", "rep_gender": "Giới tính người đại diện", "rep_ethnicity": "Dân tộc",
    "rep_disability": "Người khuyết tật", "phone": "Điện thoại", "email": "Thư điện tử",
    "province_code": "Tỉnh", "commune_code": "Xã/phường", "former_district_code": "Huyện cũ",
    "address_detail": "Địa chỉ", "founded_year": "Năm thành lập", "workforce": "Số lao động", "notes": "Ghi chú",
    "owner_unit": "Đơn vị sở hữu", "origin_device": "Máy tạo", "version_vector": "Phiên bản (đồng bộ)",
    "updated_at": "Cập nhật lúc", "deleted": "Đã xóa", "answers": "Điểm từng tiêu chí", "comment": "Nhận xét",
    "filename": "Tên tệp", "caption": "Chú thích",
}
