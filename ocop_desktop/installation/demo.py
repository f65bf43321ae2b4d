"""The demo database: the seed province's OCOP register as the seed article described it.

175 producers and 453 recognised products (1 five-star, 86 four-star, 366 three-star) spread over
the 12 districts of the former Đồng Tháp, with local specialities. Names and people are invented
and every row is marked as demo data.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlmodel import col

from database.engine import read_session, write_session
from database.tables import Producer, Product, Recognition
from ocop_desktop import records
from ocop_desktop.infra.errors import OcopError
from ocop_desktop.infra.tasks import JobControl
from ocop_desktop.installation.setup import init_installation
from ocop_desktop.language.formats import add_months
from ocop_desktop.records.search_keys import producer_key, product_key
from ocop_desktop.records.stamping import current_installation
from ocop_desktop.store.context import AppContext

PRODUCERS = 175
STARS = {5: 1, 4: 86, 3: 366}  # 453 products
SEED = 20240127

# Former district → (place name, weight, specialities as (product name, product set)).
DISTRICTS: dict[str, tuple[str, int, list[tuple[str, int]]]] = {
    "866": ("Cao Lãnh", 14, [("Xoài cát Hòa Lộc", 1), ("Xoài sấy dẻo", 7), ("Khô cá lóc", 8),
                             ("Mứt xoài", 7), ("Nước ép xoài", 17), ("Bánh xoài", 6)]),
    "867": ("Sa Đéc", 18, [("Hoa hồng Sa Đéc", 23), ("Cúc mâm xôi", 23), ("Bonsai mai vàng", 24),
                           ("Hủ tiếu Sa Đéc", 6), ("Bột gạo Sa Đéc", 6), ("Kiểng lá trang trí", 24),
                           ("Du lịch làng hoa Sa Đéc", 26)]),
    "868": ("Hồng Ngự", 12, [("Mắm cá linh", 9), ("Khô cá linh", 8), ("Cá linh kho tiêu", 8),
                             ("Nước mắm cá linh", 9)]),
    "869": ("Tân Hồng", 10, [("Mật ong rừng tràm", 4), ("Khô cá sặc", 8), ("Bánh phồng sữa", 6),
                             ("Gạo nếp Tân Hồng", 3)]),
    "870": ("Hồng Ngự", 10, [("Chả cá thác lác", 8), ("Khô cá lóc một nắng", 8), ("Mắm cá lóc", 9),
                             ("Cá lóc đồng", 2)]),
    "871": ("Tam Nông", 12, [("Gạo hữu cơ Tràm Chim", 3), ("Mật ong Tràm Chim", 4),
                             ("Du lịch sinh thái Tràm Chim", 26), ("Khô cá linh Tam Nông", 8),
                             ("Đệm bàng", 21)]),
    "872": ("Tháp Mười", 22, [("Trà tim sen", 12), ("Hạt sen sấy", 7), ("Ngó sen ngâm chua ngọt", 7),
                              ("Mứt hạt sen", 7), ("Trà lá sen", 12), ("Sữa hạt sen", 17),
                              ("Khăn tơ sen", 22), ("Gạo Tháp Mười", 3), ("Rượu sen", 15)]),
    "873": ("Cao Lãnh", 14, [("Xoài keo", 1), ("Mật ong hoa xoài", 4), ("Bột nghệ", 10),
                             ("Nhãn sấy", 7), ("Chuối sấy", 7)]),
    "874": ("Thanh Bình", 12, [("Nấm rơm", 1), ("Bánh tráng Thanh Bình", 6), ("Dưa hấu", 1),
                               ("Khô cá rô", 8), ("Chuột đồng sả ớt", 8)]),
    "875": ("Lấp Vò", 16, [("Nem Lấp Vò", 8), ("Bánh phồng Lấp Vò", 6), ("Rượu nếp Lấp Vò", 14),
                           ("Bánh tráng sữa", 6), ("Chả lụa", 8)]),
    "876": ("Lai Vung", 20, [("Quýt hồng Lai Vung", 1), ("Nem Lai Vung", 8), ("Bánh phồng tôm Lai Vung", 6),
                             ("Mứt quýt hồng", 7), ("Rượu quýt hồng", 15), ("Nước cốt quýt", 17)]),
    "877": ("Châu Thành", 14, [("Chanh không hạt", 1), ("Bột củ sen", 7), ("Mắm tép", 9),
                               ("Tắc xí muội", 7), ("Nhãn xuồng", 1)]),
}
SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý")
MIDDLE_F = ("Thị", "Ngọc", "Thị Kim", "Thị Mỹ", "Thanh")
MIDDLE_M = ("Văn", "Hữu", "Minh", "Thành", "Quốc")
GIVEN_F = ("Hoa", "Lan", "Mai", "Hạnh", "Thủy", "Loan", "Nga", "Tuyết", "Hòa", "Diễm")
GIVEN_M = ("Hùng", "Phúc", "Tâm", "Nghĩa", "Dũng", "Lộc", "Trung", "Hải", "Tài", "Thuận")
BRANDS = ("Phước Thịnh", "Hương Sen", "Tư Nhanh", "Út Lành", "Bảy Hòa", "Kim Ngân", "Thành Đạt",
          "Hai Lúa", "Mười Tập", "Sáu Hiền", "Đất Sen Hồng", "Miền Tây", "Gò Tháp", "Ba Thưa")


def _person(rng: random.Random) -> tuple[str, str]:
    if rng.random() < 0.45:
        return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE_F)} {rng.choice(GIVEN_F)}", "nu"
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE_M)} {rng.choice(GIVEN_M)}", "nam"


def _split(total: int, parts: int, rng: random.Random) -> list[int]:
    """``parts`` counts of at least 1 summing to ``total`` (1–6 products per producer)."""
    counts = [1] * parts
    while sum(counts) < total:
        i = rng.randrange(parts)
        if counts[i] < 6:
            counts[i] += 1
    return counts


def has_demo(ctx: AppContext) -> bool:
    with read_session(ctx.engine) as s:
        return bool(s.execute(select(func.count()).where(col(Producer.is_demo).is_(True))).scalar_one())


def create_demo(ctx: AppContext, job: JobControl | None = None) -> int:
    """Fill an empty (or not yet set-up) store with the demo register; returns products written.

    Refuses a store that holds real producers, and does nothing if the demo is already there.
    All rows are written in one transaction: cancelling leaves the store as it was.
    """
    job = job or JobControl()
    inst = ctx.installation()
    if inst is not None and not inst.is_demo:
        raise OcopError(
            "Thư mục này là một cài đặt thật; dữ liệu demo chỉ tạo trong thư mục riêng "
            "(dùng --data-dir, hoặc mục 'Mở dữ liệu demo' trong giao diện).",
            "refusing demo in a real installation",
        )
    if inst is None:
        init_installation(ctx, "82", "province", "Cán bộ demo", is_demo=True)
    units = ctx.units()
    rng = random.Random(SEED)
    with write_session(ctx.engine) as s:
        real = s.execute(select(func.count()).where(col(Producer.is_demo).is_(False))).scalar_one()  # belt and braces
        if real:
            raise OcopError(
                "Cơ sở dữ liệu này đã có dữ liệu thật; dữ liệu demo chỉ tạo trong thư mục trống "
                "(dùng --data-dir để chọn thư mục khác).",
                "refusing demo over real data",
            )
        if s.execute(select(func.count()).where(col(Producer.is_demo).is_(True))).scalar_one():
            return 0
        inst_row = current_installation(s)
        inst_row.is_demo = True
        s.add(inst_row)
        codes = list(DISTRICTS)
        weights = [DISTRICTS[c][1] for c in codes]
        districts = [codes[i % len(codes)] for i in range(len(codes))]  # each district at least once
        districts += rng.choices(codes, weights=weights, k=PRODUCERS - len(codes))
        per_producer = _split(sum(STARS.values()), PRODUCERS, rng)
        stars = [star for star, n in STARS.items() for _ in range(n)]
        rng.shuffle(stars)
        serial: dict[str, int] = {}
        done = 0
        for i, (district, n_products) in enumerate(zip(districts, per_producer, strict=True)):
            place, _, items = DISTRICTS[district]
            communes = units.communes_in_former_district(district)
            commune = rng.choice(communes)
            legal = rng.choices(["htx", "cty_tnhh", "ho_kd", "tht", "dntn", "ctcp"], [22, 20, 45, 5, 5, 3])[0]
            brand = rng.choice(BRANDS)
            prefix = {"htx": "Hợp tác xã", "cty_tnhh": "Công ty TNHH", "ho_kd": "Cơ sở", "tht": "Tổ hợp tác",
                      "dntn": "Doanh nghiệp tư nhân", "ctcp": "Công ty cổ phần"}[legal]
            rep, gender = _person(rng)
            values: dict[str, Any] = {
                "name": f"{prefix} {brand} {place}" if legal != "ho_kd" else f"{prefix} {brand} ({rep})",
                "legal_type": legal,
                "registration_no": f"{rng.randint(1, 99):02d}{rng.randint(10000000, 99999999)}",
                "rep_name": rep, "rep_gender": gender, "rep_ethnicity": "Kinh" if rng.random() < 0.95 else "Khmer",
                "phone": f"09{rng.randint(10000000, 99999999)}",
                "province_code": units.code, "commune_code": commune, "former_district_code": district,
                "address_detail": f"Ấp {rng.randint(1, 6)}",
                "founded_year": rng.randint(1995, 2020), "workforce": rng.randint(3, 120),
                "notes": "Dữ liệu demo (không phải hồ sơ thật).",
            }
            producer = Producer(**values, is_demo=True, search_key=producer_key(values, units),
                                owner_unit=inst_row.unit_code, origin_device=inst_row.device_id)
            records.insert(s, inst_row, producer)
            for name, product_set in rng.sample(items, k=min(n_products, len(items))) + [
                (f"{rng.choice(items)[0]} loại {k + 2}", rng.choice(items)[1])
                for k in range(max(0, n_products - len(items)))
            ]:
                star = stars[done]
                year = rng.choice((2021, 2022, 2022, 2023, 2023, 2023))
                serial[commune] = serial.get(commune, 0) + 1
                issued = date(year, rng.randint(1, 12), 1) + timedelta(days=rng.randint(0, 27))
                code = f"87-{district}-{commune}-{serial[commune]}-{year}"
                product = Product(
                    producer_id=producer.id, name=name, product_set=product_set, code=code,
                    description="Sản phẩm demo.", raw_material_origin=f"Vùng nguyên liệu {place}",
                    status="recognised", star=star, decision_no=f"{rng.randint(100, 999)}/QĐ-UBND",
                    decision_date=issued, certificate_no=f"{rng.randint(1, 999)}/{year}/GCN-OCOP",
                    certificate_date=issued, certificate_expiry=add_months(issued, 36), is_demo=True,
                    search_key=product_key(name, code, producer.name, units.unit_name(commune)),
                    owner_unit=inst_row.unit_code, origin_device=inst_row.device_id,
                )
                records.insert(s, inst_row, product)
                low, high = {3: (50, 69), 4: (70, 89), 5: (90, 96)}[star]
                records.insert(s, inst_row, Recognition(
                    product_id=product.id, source="legacy",
                    instrument="QĐ 148/QĐ-TTg" if issued >= date(2023, 2, 24) else "QĐ 1048/QĐ-TTg",
                    total=f"{rng.randint(low, high)}.{rng.randint(0, 9)}", stars=star,
                    decision_no=product.decision_no or "", decision_date=issued,
                    certificate_no=product.certificate_no, issue_date=issued, expiry_date=product.certificate_expiry,
                    owner_unit=inst_row.unit_code, origin_device=inst_row.device_id))
                done += 1
            job.step(i + 1, PRODUCERS, producer.name)
        return done
