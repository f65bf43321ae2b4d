"""Why a package is refused: one code per check, each with its own plain Vietnamese message.

The code goes to the log and the test suite (English, stable); the message is what the officer
reads. ``{detail}`` in a message is filled with the specific member, field or value at fault.
"""

from __future__ import annotations

from ocop_desktop.infra.errors import OcopError

MESSAGES: dict[str, str] = {
    # file and container
    "FILE_UNREADABLE": "Không đọc được tệp gói ({detail}).",
    "EMPTY_FILE": "Tệp rỗng (0 byte); có thể việc sao chép chưa xong. Hãy chép lại gói từ máy gửi.",
    "NOT_A_PACKAGE": "Đây không phải gói đồng bộ OCOP mà là {detail} đổi tên thành .ocsync.",
    "TRUNCATED": "Gói bị cắt cụt (thiếu phần cuối); có thể USB bị rút ra khi đang chép. Hãy chép lại.",
    "CENTRAL_DIRECTORY": "Mục lục của gói bị hỏng ({detail}); không thể đọc an toàn.",
    "JUNK_BYTES": "Gói có dữ liệu lạ chen vào {detail}; gói đã bị sửa hoặc bị ghép với tệp khác.",
    "MULTI_DISK": "Gói được chia thành nhiều phần (nhiều đĩa); OCOP Desktop chỉ nhận gói một tệp.",
    "PACKAGE_TOO_LARGE": "Gói quá lớn ({detail}); vượt giới hạn cho phép.",
    "TOO_MANY_ENTRIES": "Gói có quá nhiều thành phần ({detail}).",
    "MEMBER_TOO_LARGE": "Thành phần '{detail}' lớn hơn giới hạn cho phép.",
    "TOTAL_TOO_LARGE": "Tổng dung lượng sau giải nén của gói vượt giới hạn ({detail}).",
    "RATIO_TOO_HIGH": "Thành phần '{detail}' nén với tỉ lệ bất thường (nghi là 'bom nén').",
    "OVERLAPPING_MEMBERS": "Các thành phần trong gói chồng lên nhau ({detail}); đây là dấu hiệu gói độc hại.",
    "MEMBER_INFLATES": "Thành phần '{detail}' giải nén ra khác với kích thước hoặc mã kiểm tra (CRC) đã ghi.",
    "ENCRYPTED_MEMBER": "Thành phần '{detail}' được mã hóa bằng mật khẩu ZIP; gói OCOP không dùng cách này.",
    "COMPRESSION_METHOD": "Thành phần '{detail}' dùng kiểu nén không được hỗ trợ (chỉ nhận 'stored' hoặc 'deflate').",
    "NON_CANONICAL_HEADER": "Phần đầu của thành phần '{detail}' khác chuẩn gói OCOP; gói đã bị sửa.",
    # names
    "PATH_TRAVERSAL": "Tên thành phần '{detail}' trỏ ra ngoài gói ('..'); gói bị từ chối.",
    "ABSOLUTE_PATH": "Tên thành phần '{detail}' là đường dẫn tuyệt đối hoặc ổ đĩa; gói bị từ chối.",
    "BACKSLASH_NAME": "Tên thành phần '{detail}' dùng dấu '\\'; gói OCOP chỉ dùng '/'.",
    "CONTROL_CHAR_NAME": "Tên thành phần {detail} chứa ký tự điều khiển hoặc NUL.",
    "NON_ASCII_NAME": "Tên thành phần {detail} có ký tự ngoài ASCII hoặc quá dài.",
    "RESERVED_NAME": "Tên thành phần '{detail}' là tên dành riêng của Windows hoặc kết thúc bằng dấu chấm, dấu cách, ':'.",
    "DIRECTORY_ENTRY": "Gói chứa một thư mục ('{detail}'); gói OCOP chỉ chứa tệp.",
    "LINK_ENTRY": "Gói chứa liên kết (symlink/hardlink) '{detail}'; gói bị từ chối.",
    "DUPLICATE_NAME": "Thành phần '{detail}' xuất hiện hai lần trong gói.",
    "CASEFOLD_DUPLICATE": "Hai thành phần chỉ khác nhau chữ hoa/thường ('{detail}'); trên Windows chúng trùng nhau.",
    "HEADER_NAME_MISMATCH": "Tên thành phần trong mục lục khác với tên ở phần đầu của nó ('{detail}').",
    "MEMBER_NOT_ALLOWED": "Gói chứa thành phần không được phép: '{detail}'.",
    "MEMBER_MISSING": "Thiếu thành phần '{detail}' mà bảng kê của gói có ghi.",
    "MEMBER_UNLISTED": "Thành phần '{detail}' có trong gói nhưng không có trong bảng kê đã ký (bị thêm vào).",
    # signature and trust
    "SIG_MISSING": "Gói không có chữ ký (manifest.sig).",
    "SIG_TOO_LARGE": "Tệp chữ ký của gói quá lớn; gói bị từ chối.",
    "SIG_MALFORMED": "Tệp chữ ký của gói không đúng định dạng ({detail}).",
    "SIG_ENCODING": "Chữ ký trong gói không đọc được ({detail}).",
    "SIG_INVALID": "Chữ ký không hợp lệ: nội dung gói đã bị thay đổi sau khi ký, hoặc chữ ký bị giả.",
    "KEY_UNKNOWN": "Gói được ký bằng một khóa chưa được đăng ký tin cậy trên máy này (gói từ tỉnh: hãy nhập tệp "
                   "tin cậy mới nhất của tỉnh trước, vì tỉnh có thể vừa đổi khóa).",
    "KEY_REVOKED": "Gói được ký bằng khóa đã bị thu hồi ({detail}); không nhận gói từ khóa này.",
    "KEY_MISMATCH": "Gói ghi tên người gửi khác với khóa đã ký nó ({detail}).",
    "SENDER_SCOPE": "Khóa ký gói thuộc đơn vị {detail}; không được gửi dữ liệu thay đơn vị khác.",
    "KIND_NOT_ALLOWED": "Khóa này không được phép ký loại gói '{detail}'.",
    "PAYLOAD_TYPE_UNKNOWN": "Loại gói '{detail}' không được hỗ trợ.",
    "KIND_MISMATCH": "Loại gói trong chữ ký khác với loại gói trong bảng kê ({detail}).",
    "TOO_MANY_SIGNATURES": "Gói có quá nhiều chữ ký ({detail}).",
    "DUPLICATE_SIGNATURE": "Một khóa ký hai lần trong cùng gói; chữ ký trùng không được tính.",
    # manifest
    "JSON_DUPLICATE_KEY": "{detail}: một khóa JSON xuất hiện hai lần.",
    "JSON_NON_FINITE": "{detail}: có giá trị NaN hoặc Infinity, không phải JSON hợp lệ.",
    "JSON_SURROGATE": "{detail}: có ký tự Unicode không hợp lệ (surrogate đơn lẻ).",
    "JSON_ENCODING": "{detail}: không phải UTF-8 hợp lệ hoặc có BOM ở đầu.",
    "JSON_LIMITS": "{detail}: lồng quá sâu hoặc số quá lớn.",
    "JSON_MALFORMED": "{detail}: không phải JSON hợp lệ.",
    "FORMAT_UNSUPPORTED": "Gói theo định dạng phiên bản {detail}, phiên bản này của OCOP Desktop không đọc được.",
    "MANIFEST_FIELD": "Bảng kê của gói thiếu, thừa hoặc sai kiểu trường: {detail}.",
    "WRONG_RECIPIENT": "Gói này gửi cho đơn vị {detail}, không phải cho đơn vị của máy này.",
    "WRONG_ENVIRONMENT": "Gói của môi trường {detail} không được nhập vào môi trường này (tập huấn và thật tách riêng).",
    "EPOCH_NOT_AUTHORISED": "Thế hệ khóa (epoch {detail}) của máy gửi chưa được tỉnh cấp phép.",
    "SEQ_REPLAYED": "Gói số {detail} cũ hơn gói đã nhận từ máy này; không nhận gói cũ (phát lại).",
    "EQUIVOCATION": "CẢNH BÁO: máy gửi đã gửi hai gói khác nhau cùng số thứ tự {detail} (nghi máy bị sao chép hoặc khóa bị lộ).",
    "CHAIN_FORK": "CẢNH BÁO: gói số {detail} không nối tiếp gói cuối cùng đã nhận từ máy này (mã gói trước "
                  "không khớp): máy gửi có hai nhánh dữ liệu khác nhau (nghi máy bị sao chép hoặc khóa bị lộ).",
    "EXPIRED": "Gói đã hết hạn sử dụng từ {detail}; hãy xin tỉnh gửi gói mới.",
    "FUTURE_CREATED": "Gói ghi thời điểm tạo {detail}, quá xa trong tương lai; đồng hồ của máy gửi bị sai.",
    "FILES_ENTRY_INVALID": "Bảng kê ghi một thành phần không hợp lệ: {detail}.",
    "MEMBER_HASH": "Nội dung thành phần '{detail}' khác với mã băm đã ký (bị thay đổi).",
    "MEMBER_SIZE": "Kích thước thành phần '{detail}' khác với kích thước đã ký.",
    "COUNT_MISMATCH": "Số bản ghi của bảng {detail} khác với số đã ký trong bảng kê.",
    # records and attachments
    "LINE_TOO_LONG": "Một dòng dữ liệu trong '{detail}' dài quá giới hạn.",
    "LINE_MALFORMED": "Dòng dữ liệu không hợp lệ trong {detail}.",
    "TABLE_UNKNOWN": "Gói chứa bảng dữ liệu không biết: '{detail}'.",
    "RECORD_SCHEMA": "Bản ghi không hợp lệ: {detail}.",
    "RECORD_DATE": "Ngày tháng không hợp lý: {detail}.",
    "SCORE_NOT_OPTION": "Phiếu chấm có điểm không phải lựa chọn của tiêu chí: {detail}.",
    "CATALOG_UNKNOWN": "Phiếu chấm theo bộ tiêu chí không có trên máy này: {detail}.",
    "RECORD_OUT_OF_SCOPE": "Bản ghi {detail} thuộc đơn vị khác với đơn vị gửi; gói bị từ chối cả gói.",
    "TABLE_NOT_ALLOWED": "Loại gói này không được chứa bảng '{detail}' (bảng do cấp khác quản lý).",
    "DANGLING_REFERENCE": "Bản ghi tham chiếu tới dữ liệu không có: {detail}.",
    "RECORD_DUPLICATE_ID": "Một mã bản ghi xuất hiện hai lần với nội dung khác nhau: {detail}.",
    "ATTACHMENT_NAME_HASH": "Tệp đính kèm '{detail}' có nội dung không khớp với tên (mã băm) của nó.",
    "ATTACHMENT_TYPE": "Tệp đính kèm {detail} không đúng loại đã khai báo.",
    "ATTACHMENT_IMAGE": "Ảnh đính kèm {detail} quá lớn hoặc bị cắt cụt.",
    "CATALOG_INVALID": "Bộ tiêu chí trong gói không dùng được: {detail}.",
    "FILE_UNREFERENCED": "Gói chứa tệp {detail} mà không bản ghi đính kèm nào dùng đến.",
    # the province's trust root (docs/threat-model.md items 5–8, 15)
    "TRUST_MALFORMED": "Tệp tin cậy của tỉnh bị hỏng hoặc không đúng định dạng ({detail}).",
    "TRUST_NOT_PINNED": "Máy này chưa ghi nhận gốc tin cậy của tỉnh: hãy nhập tệp tin cậy của tỉnh và đối chiếu "
                        "mã nhận dạng đọc qua điện thoại hoặc văn bản.",
    "TRUST_FINGERPRINT": "Mã nhận dạng gốc tin cậy không khớp với mã tỉnh đọc qua điện thoại hoặc văn bản; không ghi nhận.",
    "TRUST_VERSION": "Phiên bản tin cậy {detail}: các phiên bản phải nối tiếp nhau (N rồi N+1), không bỏ qua, "
                     "không lùi lại.",
    "TRUST_OLD_THRESHOLD": "Bản tin cậy mới không có đủ chữ ký của các khóa gốc đang có hiệu lực "
                           "(có {detail}); không áp dụng.",
    "TRUST_NEW_THRESHOLD": "Bản tin cậy không có đủ chữ ký của chính các khóa gốc nó khai báo (có {detail}); "
                           "không áp dụng.",
    "TRUST_DUPLICATE_SIGNATURE": "Bản tin cậy có một khóa gốc xuất hiện hai lần {detail}; không được tính hai lần "
                                 "vào ngưỡng chữ ký.",
    "TRUST_TOO_MANY_SIGNATURES": "Bản tin cậy có quá nhiều chữ ký ({detail}).",
    "TRUST_PROVINCE": "Bản tin cậy là của tỉnh hoặc môi trường khác ({detail}).",
    "TRUST_EXPIRED": "Bản tin cậy của tỉnh đã hết hạn từ {detail}; hãy xin tỉnh gửi bản mới.",
    "UNREADABLE": "Gói có cấu trúc bất thường mà bộ kiểm tra không đọc được ({detail}); gói bị từ chối.",
}


class PackageRejected(OcopError):
    """A package failed a check; nothing was written. ``code`` names the check (see MESSAGES)."""

    def __init__(self, code: str, detail: str = "") -> None:
        template = MESSAGES[code]
        super().__init__(template.format(detail=detail), f"{code}: {detail}")
        self.code = code
        self.detail = detail
