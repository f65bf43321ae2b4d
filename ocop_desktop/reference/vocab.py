"""Closed vocabularies with their Vietnamese labels (codes are stored; labels are shown).

Each closed set of codes is a ``StrEnum``, so code compares and stores as the plain text it always
was ("draft" == SheetStatus.DRAFT) while a misspelt member is an error mypy sees; the label tables
are keyed by the members, in the order screens show them.
"""

from __future__ import annotations

from enum import StrEnum


class Level(StrEnum):
    LOCAL = "local"
    PROVINCE = "province"
    CENTRAL = "central"


class ProductStatus(StrEnum):
    DRAFT = "draft"
    REGISTERED = "registered"
    COMMUNE_REVIEWED = "commune_reviewed"
    EVALUATING = "evaluating"
    RECOGNISED = "recognised"
    NOT_RECOGNISED = "not_recognised"
    EXPIRED = "expired"
    REVOKED = "revoked"


class MemberRole(StrEnum):
    CHAIR = "chair"
    VICE_CHAIR = "vice_chair"
    MEMBER = "member"
    SECRETARY = "secretary"


class DossierType(StrEnum):
    FIRST = "first"
    UPGRADE = "upgrade"
    REEVALUATION = "reevaluation"


class SheetStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    LOCKED = "locked"


class ResultStatus(StrEnum):
    DECIDED = "decided"
    ELIMINATED = "eliminated"
    NO_QUORUM = "no_quorum"
    SPREAD = "spread"


class OutboxStatus(StrEnum):
    PREPARED = "prepared"  # made and kept in the outbox; its file is not yet where it was asked for
    SENT = "sent"
    WAITING = "waiting"
    ACKNOWLEDGED = "acknowledged"
    MISSING = "missing"


LEVELS: dict[str, str] = {Level.LOCAL: "Cấp xã / địa phương", Level.PROVINCE: "Cấp tỉnh", Level.CENTRAL: "Cấp trung ương"}

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

PRODUCT_STATUSES: dict[str, str] = {
    ProductStatus.DRAFT: "Đang chuẩn bị hồ sơ",
    ProductStatus.REGISTERED: "Đã đăng ký",
    ProductStatus.COMMUNE_REVIEWED: "Xã đã đánh giá",
    ProductStatus.EVALUATING: "Đang đánh giá, phân hạng",
    ProductStatus.RECOGNISED: "Đã công nhận",
    ProductStatus.NOT_RECOGNISED: "Không đạt",
    ProductStatus.EXPIRED: "Hết hiệu lực",
    ProductStatus.REVOKED: "Bị thu hồi",
}

#: Statuses in which a product holds (or held) a star rating.
STATUSES_WITH_STAR: tuple[str, ...] = (ProductStatus.RECOGNISED, ProductStatus.EXPIRED, ProductStatus.REVOKED)

RECOGNISED_STARS = (3, 4, 5)

MEMBER_ROLES: dict[str, str] = {MemberRole.CHAIR: "Chủ tịch", MemberRole.VICE_CHAIR: "Phó Chủ tịch", MemberRole.MEMBER: "Thành viên",
                MemberRole.SECRETARY: "Thư ký"}

DOSSIER_TYPES: dict[str, str] = {DossierType.FIRST: "Lần đầu", DossierType.UPGRADE: "Nâng hạng",
                 DossierType.REEVALUATION: "Đánh giá lại"}

ROUND_LEVELS: dict[str, str] = {Level.PROVINCE: "Cấp tỉnh", Level.CENTRAL: "Cấp trung ương"}

SHEET_STATUSES: dict[str, str] = {SheetStatus.DRAFT: "Nháp", SheetStatus.SUBMITTED: "Đã nộp", SheetStatus.LOCKED: "Đã khóa"}

RESULT_STATUSES: dict[str, str] = {
    ResultStatus.DECIDED: "Đã kết luận",
    ResultStatus.ELIMINATED: "Hồ sơ bị loại",
    ResultStatus.NO_QUORUM: "Chưa đủ số phiếu",
    ResultStatus.SPREAD: "Chênh lệch điểm quá mức",
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
OUTBOX_STATUSES: dict[str, str] = {OutboxStatus.PREPARED: "chưa ghi ra tệp: hãy lưu lại bản sao từ hộp thư đi",
                   OutboxStatus.SENT: "đã gửi, chưa có biên nhận", OutboxStatus.WAITING: "nơi nhận giữ lại, chờ gói trước",
                   OutboxStatus.ACKNOWLEDGED: "đã nhận (có biên nhận)",
                   OutboxStatus.MISSING: "có thể thất lạc: gói sau đã được nhận"}

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
