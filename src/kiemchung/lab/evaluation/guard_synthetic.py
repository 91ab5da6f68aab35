"""The leak guard's labelled evaluation set: synthetic Vietnamese drafts with gold spans.

No public Vietnamese set labels personal data in drafts, and real drafts full of real ID numbers
must not be published, so the set is generated: templates written like the posts, messages and
forms people actually draft, filled by value generators that follow each format's real rules
(province codes, carrier prefixes, Luhn and tax check digits), plus negatives full of look-alikes
(hotlines, prices, order numbers, dates, "mật ong", streets named after people, public figures).

The generator and the recognizers were written by the same team, so figures on this set are an
upper bound for real drafts; it is a regression set, not a benchmark of the world. Regenerate with
``python -m kiemchung.lab.evaluation.guard_synthetic`` (fixed seed; a test checks the checked-in file
is exactly what the generator writes).
"""

from __future__ import annotations

import json
import random
import string
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kiemchung.guard.recognizers.finance import luhn_is_valid
from kiemchung.guard.recognizers.identity import PROVINCE_CODES
from kiemchung.guard.recognizers.person import load_public_figures
from kiemchung.resources import packaged_jsonl, packaged_path

SEED = 20261129
PUBLIC_FIGURES = load_public_figures()
N_POSITIVE = 1700
N_NEGATIVE = 600
DATA_FILE = "guard_eval.jsonl"

SURNAMES = "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đào Đinh".split()
MIDDLE = "Văn Thị Minh Thu Ngọc Đức Quang Thanh Hữu Hoài Bảo Gia Xuân Kim Thùy Quốc".split()
GIVEN = (
    "An Bình Chi Dũng Giang Hà Hải Hạnh Hiếu Hoa Hùng Huy Hương Khánh Lan Linh Long Mai Nam "
    "Nga Ngân Nhung Phong Phúc Phương Quân Quyên Sơn Tâm Thảo Thắng Trang Trung Tú Tuấn Vy Yến"
).split()
STREETS = (
    "Nguyễn Trãi",
    "Lê Lợi",
    "Trần Hưng Đạo",
    "Láng",
    "Kim Mã",
    "Cầu Giấy",
    "Lê Văn Sỹ",
    "Võ Văn Tần",
    "Hai Bà Trưng",
    "Nguyễn Thị Minh Khai",
    "Phan Đình Phùng",
    "Hoàng Quốc Việt",
    "Xuân Thủy",
    "Bạch Đằng",
    "Điện Biên Phủ",
    "Cách Mạng Tháng Tám",
    "Huế",
    "Tô Hiến Thành",
)
WARDS = ("Láng Thượng", "Dịch Vọng", "Bến Nghé", "Phước Long", "Yên Hòa", "Thạch Bàn", "Tân Định")
DISTRICTS = (
    "Đống Đa",
    "Cầu Giấy",
    "Hai Bà Trưng",
    "Hoàn Kiếm",
    "Bình Thạnh",
    "Hải Châu",
    "Ninh Kiều",
)
CITIES = ("Hà Nội", "TP.HCM", "Đà Nẵng", "Cần Thơ", "Hải Phòng", "Huế")
RURAL = (
    ("thôn Đông", "xã Yên Sở", "huyện Hoài Đức", "Hà Nội"),
    ("xóm 3", "xã Nghi Phong", "huyện Nghi Lộc", "Nghệ An"),
    ("ấp 2", "xã Tân Phú", "huyện Châu Thành", "tỉnh Long An"),
    ("tổ dân phố 5", "thị trấn Đông Anh", "huyện Đông Anh", "Hà Nội"),
)
BANKS = ("Vietcombank", "Techcombank", "BIDV", "Agribank", "MB Bank", "ACB", "VPBank", "TPBank")
#: Names of people from ethnic minorities, outside the common family-name list (NER's job).
MINORITY_NAMES = (
    "Ksor Y Phước",
    "Rơ Châm Thuận",
    "Y Moan Niê",
    "Lừ Văn Páo",
    "Siu Thị Hơi",
    "Rah Lan Chung",
    "Giàng A Sùng",
    "Sùng Thị Mỷ",
    "Hờ A Dế",
    "Mùa A Tủa",
)
CARRIER_PREFIXES = "32 33 34 35 36 37 38 39 86 96 97 98 81 82 83 84 85 88 91 94 70 76 77 78 79 89 90 93 56 58 92 59 99".split()


@dataclass
class Draft:
    """A text being built piece by piece, with the gold spans of its labelled pieces."""

    parts: list[str] = field(default_factory=list)
    spans: list[dict] = field(default_factory=list)
    length: int = 0

    def add(self, piece: str, label: str | None = None) -> Draft:
        if label:
            self.spans.append(
                {"start": self.length, "end": self.length + len(piece), "label": label}
            )
        self.parts.append(piece)
        self.length += len(piece)
        return self

    def text(self) -> str:
        return "".join(self.parts)


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(string.digits) for _ in range(n))


def citizen_id(rng: random.Random) -> str:
    century = rng.choice("0123")
    year = rng.randint(40, 99) if century in "01" else rng.randint(0, 8)
    return rng.choice(sorted(PROVINCE_CODES)) + century + f"{year:02d}" + _digits(rng, 6)


def phone(rng: random.Random) -> str:
    if rng.random() < 0.12:  # landline: 024 / 028 + 8 digits, or 02xx + 7 digits
        area = rng.choice(["24", "28", "236", "225", "292"])
        rest = _digits(rng, 10 - len(area))
        return rng.choice([f"0{area} {rest[:4]} {rest[4:]}", f"0{area}{rest}", f"(0{area}) {rest}"])
    number = rng.choice(CARRIER_PREFIXES) + _digits(rng, 7)
    return rng.choice(
        [
            "0" + number,
            f"0{number[:3]} {number[3:6]} {number[6:]}",
            f"0{number[:3]}.{number[3:6]}.{number[6:]}",
            f"0{number[:2]}-{number[2:5]}-{number[5:]}",
            f"+84 {number[:2]} {number[2:5]} {number[5:]}",
            "84" + number,
            f"+84{number}",
        ]
    )


def email(rng: random.Random) -> str:
    name = rng.choice(GIVEN).lower().replace("đ", "d")
    name = name.encode("ascii", "ignore").decode() or "user"
    local = rng.choice(
        [f"{name}{rng.randint(1, 99)}", f"{name}.{rng.choice(['ng', 'tran', 'le'])}"]
    )
    return f"{local}@{rng.choice(['gmail.com', 'yahoo.com.vn', 'outlook.com', 'fpt.edu.vn', 'congty.vn'])}"


def bank_account(rng: random.Random) -> str:
    digits = _digits(rng, rng.randint(9, 14))
    return (
        digits
        if rng.random() < 0.7
        else " ".join(digits[i : i + 4] for i in range(0, len(digits), 4))
    )


def card_number(rng: random.Random) -> str:
    prefix = rng.choice(["4", "51", "52", "55", "9704", "35"])
    body = prefix + _digits(rng, 15 - len(prefix))
    check = next(d for d in string.digits if luhn_is_valid(body + d))
    number = body + check
    return rng.choice([number, " ".join(number[i : i + 4] for i in range(0, 16, 4))])


def tax_code(rng: random.Random) -> str:
    weights = (31, 29, 23, 19, 17, 13, 7, 5, 3)
    while True:
        body = rng.choice(["01", "03", "02", "04", "08"]) + _digits(rng, 7)
        remainder = sum(w * int(d) for w, d in zip(weights, body, strict=True)) % 11
        if remainder != 0 and 10 - remainder < 10:
            code = body + str(10 - remainder)
            return code if rng.random() < 0.8 else f"{code}-{_digits(rng, 3)}"


def passport(rng: random.Random) -> str:
    return rng.choice("BCNP") + _digits(rng, 7)


def plate(rng: random.Random) -> str:
    code = rng.randint(11, 99)
    if rng.random() < 0.5:
        series, number = rng.choice("ABCDEFGHKLMP"), _digits(rng, 5)
        return rng.choice([f"{code}{series}-{number[:3]}.{number[3:]}", f"{code}{series} {number}"])
    series = rng.choice("BCDEFGHKLMNPSTUVXYZ") + str(rng.randint(1, 9))
    number = _digits(rng, 5)
    return rng.choice(
        [f"{code}-{series} {number[:3]}.{number[3:]}", f"{code}{series}-{number[:3]}.{number[3:]}"]
    )


def social_insurance(rng: random.Random) -> str:
    number = _digits(rng, 10)
    if rng.random() < 0.3:
        return (
            rng.choice(["DN", "HC", "GD", "HS", "CK"])
            + str(rng.randint(1, 5))
            + f"{rng.randint(1, 96):02d}"
            + number
        )
    return number


def person(rng: random.Random) -> str:
    """A private person's name; never one on the public-figures list, which is left unflagged."""
    name = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
    while name.casefold() in PUBLIC_FIGURES:
        name = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
    return name.upper() if rng.random() < 0.1 else name


def address(rng: random.Random) -> str:
    if rng.random() < 0.25:
        return ", ".join(rng.choice(RURAL))
    street = rng.choice(STREETS)
    house = rng.choice(
        [
            str(rng.randint(1, 300)),
            f"{rng.randint(1, 300)}/{rng.randint(1, 60)}",
            f"{rng.randint(1, 99)}A",
        ]
    )
    head = rng.choice(
        [
            f"số {house} {rng.choice(['đường', 'phố'])} {street}",
            f"{house} {street}",
            f"số {rng.randint(1, 60)} ngõ {rng.randint(1, 200)} {rng.choice(['đường', 'phố'])} {street}",
            f"hẻm {rng.randint(1, 400)} {street}",
        ]
    )
    ward = rng.choice(
        [f"phường {rng.choice(WARDS)}", f"P.{rng.randint(1, 15)}", f"phường {rng.randint(1, 15)}"]
    )
    district = rng.choice(
        [f"quận {rng.choice(DISTRICTS)}", f"Q.{rng.randint(1, 12)}", f"quận {rng.randint(1, 12)}"]
    )
    city = rng.choice(CITIES)
    return ", ".join(
        rng.choice([[head, ward, district, city], [head, district, city], [head, ward, district]])
    )


def date_of_birth(rng: random.Random) -> str:
    d, m, y = rng.randint(1, 28), rng.randint(1, 12), rng.randint(1950, 2010)
    return rng.choice(
        [
            f"{d:02d}/{m:02d}/{y}",
            f"{d}/{m}/{y}",
            f"{d:02d}-{m:02d}-{y}",
            f"{d}.{m}.{y}",
            f"ngày {d} tháng {m} năm {y}",
        ]
    )


def secret(rng: random.Random) -> str:
    alphabet = string.ascii_letters + string.digits
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(8, 14))) + rng.choice(
        ["@", "#", "!", ""]
    )


def api_key(rng: random.Random) -> str:
    alnum = string.ascii_letters + string.digits
    kind = rng.choice(["aws", "github", "google", "openai", "jwt", "db"])
    if kind == "aws":
        return "AKIA" + "".join(
            rng.choice(string.ascii_uppercase + string.digits) for _ in range(16)
        )
    if kind == "github":
        return "ghp_" + "".join(rng.choice(alnum) for _ in range(36))
    if kind == "google":
        return "AIza" + "".join(rng.choice(alnum + "-_") for _ in range(35))
    if kind == "openai":
        return "sk-proj-" + "".join(rng.choice(alnum) for _ in range(40))
    if kind == "jwt":
        part = lambda n: "".join(rng.choice(alnum + "-_") for _ in range(n))  # noqa: E731
        return f"eyJ{part(20)}.eyJ{part(30)}.{part(43)}"
    return f"postgresql://app_user:{secret(rng)}@db.noibo.vn:5432/crm"


Piece = tuple[str, str | None]


def _positive_templates(rng: random.Random) -> list[Callable[[], list[Piece]]]:
    """Each template returns the pieces of one draft: (text, label or None)."""
    filler = [
        "Cảm ơn mọi người nhiều ạ.",
        "Mọi người giúp em với!",
        "Ai cần thì inbox nhé.",
        "Hàng đẹp, giao nhanh.",
        "Nhờ cả nhà chia sẻ giúp.",
        "Trân trọng.",
        "",
    ]
    f = lambda: rng.choice(filler)  # noqa: E731
    return [
        lambda: [
            ("Mình tên ", None),
            (person(rng), "PERSON"),
            (", sđt ", None),
            (phone(rng), "PHONE"),
            (", ai nhặt được ví thì gọi giúp mình nhé. ", None),
            (f(), None),
        ],
        lambda: [
            ("Em mất CCCD số ", None),
            (citizen_id(rng), "VN_CITIZEN_ID"),
            (" ở khu vực Cầu Giấy, ai thấy liên hệ ", None),
            (phone(rng), "PHONE"),
            (" ạ.", None),
        ],
        lambda: [
            ("Chuyển khoản giúp mình vào STK ", None),
            (bank_account(rng), "BANK_ACCOUNT"),
            (f" {rng.choice(BANKS)}, chủ tài khoản ", None),
            (person(rng), "PERSON"),
            (". ", None),
            (f(), None),
        ],
        lambda: [
            ("Thông tin thẻ: ", None),
            (card_number(rng), "CARD_NUMBER"),
            (
                f", hết hạn {rng.randint(1, 12):02d}/{rng.randint(26, 30)}. Nhờ bạn thanh toán hộ đơn hàng.",
                None,
            ),
        ],
        lambda: [
            ("Công ty em MST ", None),
            (tax_code(rng), "TAX_CODE"),
            (", xuất hóa đơn gửi về email ", None),
            (email(rng), "EMAIL"),
            (" giúp em.", None),
        ],
        lambda: [
            ("Số hộ chiếu của mẹ em là ", None),
            (passport(rng), "PASSPORT"),
            (", sinh ngày ", None),
            (date_of_birth(rng), "DATE_OF_BIRTH"),
            (", nhờ anh làm visa giúp.", None),
        ],
        lambda: [
            ("Xe biển số ", None),
            (plate(rng), "LICENSE_PLATE"),
            (" đỗ chắn cổng nhà mình từ sáng. ", None),
            (f(), None),
        ],
        lambda: [
            ("Mã số BHXH của em: ", None),
            (social_insurance(rng), "SOCIAL_INSURANCE"),
            (", nhờ chị kiểm tra quá trình đóng giúp em.", None),
        ],
        lambda: [
            ("Ship giúp mình tới địa chỉ ", None),
            (address(rng), "ADDRESS"),
            (", người nhận ", None),
            (person(rng), "PERSON"),
            (", ĐT ", None),
            (phone(rng), "PHONE"),
            (".", None),
        ],
        lambda: [
            ("Nhà mình ở ", None),
            (address(rng), "ADDRESS"),
            (", ai ở gần qua chơi nhé. ", None),
            (f(), None),
        ],
        lambda: [
            ("Họ và tên: ", None),
            (person(rng), "PERSON"),
            ("\nNgày sinh: ", None),
            (date_of_birth(rng), "DATE_OF_BIRTH"),
            ("\nSố CCCD: ", None),
            (citizen_id(rng), "VN_CITIZEN_ID"),
            ("\nĐịa chỉ thường trú: ", None),
            (address(rng), "ADDRESS"),
        ],
        lambda: [
            (rng.choice(["MẬT", "TỐI MẬT", "TUYỆT MẬT"]), "CLASSIFIED_MARKING"),
            (
                "\nBÁO CÁO\nTình hình triển khai dự án quý III. Đề nghị các đơn vị không sao chép.",
                None,
            ),
        ],
        lambda: [
            ("Độ mật: ", None),
            (rng.choice(["Mật", "Tối mật", "Tuyệt mật"]), "CLASSIFIED_MARKING"),
            ("\nKính gửi: Ban Giám đốc\nNội dung: kế hoạch nhân sự năm tới.", None),
        ],
        lambda: [
            ("Tài liệu ", None),
            (rng.choice(["lưu hành nội bộ", "Lưu hành nội bộ"]), "CLASSIFIED_MARKING"),
            (", anh em đọc xong đừng share ra ngoài nhé.", None),
        ],
        lambda: [
            ("Quy chế chi tiêu 2026 ", None),
            (rng.choice(["(MẬT)", "[TỐI MẬT]", "(KHÔNG PHỔ BIẾN)"])[1:-1], "CLASSIFIED_MARKING"),
        ],
        lambda: [
            ("Wifi quán: CafeXanh, ", None),
            (rng.choice(["mật khẩu: ", "pass: ", "pw: ", "MK là "]), None),
            (secret(rng), "CREDENTIAL"),
            (" nhé cả nhà.", None),
        ],
        lambda: [
            ("Ai biết sao deploy lỗi không, config của em đây: ", None),
            (api_key(rng), "CREDENTIAL"),
            (" chạy hoài không được.", None),
        ],
        lambda: [
            ("Đăng nhập bằng tài khoản admin, password: ", None),
            (secret(rng), "CREDENTIAL"),
            ("\nLiên hệ ", None),
            (email(rng), "EMAIL"),
            (" nếu quên.", None),
        ],
        lambda: [
            ("Chị ", None),
            (person(rng), "PERSON"),
            (" (CMND ", None),
            (_digits(rng, 9), "VN_OLD_ID"),
            (") đã nộp hồ sơ. ", None),
            (f(), None),
        ],
        lambda: [
            ("Liên hệ ", None),
            (phone(rng), "PHONE"),
            (" hoặc ", None),
            (phone(rng), "PHONE"),
            (" (Zalo) để đặt hàng.", None),
        ],
        lambda: [
            (rng.choice(["Anh ", "Chị ", "Người nhận: ", "Bệnh nhân "]), None),
            (rng.choice(MINORITY_NAMES), "PERSON"),
            (f" ở {rng.choice(CITIES)} cần giúp đỡ, ai biết liên hệ ", None),
            (phone(rng), "PHONE"),
            (".", None),
        ],
    ]


def _fix_bracketed(pieces: list[Piece]) -> list[Piece]:
    """The bracketed-stamp template keeps its brackets around the labelled value."""
    if pieces and pieces[0][0].startswith("Quy chế"):
        return [(pieces[0][0] + "(", None), pieces[1], (")", None)]
    return pieces


def _negative_templates(rng: random.Random) -> list[Callable[[], str]]:
    public = [
        "Thủ tướng Phạm Minh Chính",
        "Tổng Bí thư Tô Lâm",
        "Chủ tịch nước Lương Cường",
        "ca sĩ Mỹ Tâm",
        "nhà thơ Xuân Diệu",
    ]
    return [
        lambda: (
            f"Gọi hotline {rng.choice(['1900', '1800'])} {_digits(rng, 4)} để được tư vấn miễn phí, hoặc {rng.choice(['113', '114', '115'])} khi khẩn cấp."
        ),
        lambda: (
            f"Giá chỉ {rng.randint(1, 99)}.{_digits(rng, 3)}.000đ, giảm {rng.randint(5, 50)}% đến hết ngày {rng.randint(1, 28)}/{rng.randint(1, 12)}."
        ),
        lambda: (
            f"Mã đơn hàng {_digits(rng, 12)} đã giao thành công, mã vận đơn {rng.choice(['GHN', 'SPX'])}{_digits(rng, 10)}."
        ),
        lambda: (
            f"Năm {rng.randint(1990, 2026)} dân số tỉnh đạt {rng.randint(1, 9)}.{_digits(rng, 3)}.{_digits(rng, 3)} người."
        ),
        lambda: (
            f"Cuộc họp diễn ra lúc {rng.randint(7, 17)}h ngày {rng.randint(1, 28)}/{rng.randint(1, 12)}/{rng.randint(2020, 2026)} tại hội trường."
        ),
        lambda: rng.choice(
            [
                "Mật ong rừng nguyên chất, bao test.",
                "Đây là bí mật gia truyền của nhà mình.",
                "MẬT ONG HOA NHÃN 500ML giá tốt.",
                "Bệnh này không phổ biến ở Việt Nam.",
            ]
        ),
        lambda: f"{rng.choice(public)} thăm và làm việc tại {rng.choice(CITIES)} hôm qua.",
        lambda: f"Quán cà phê trên đường {rng.choice(STREETS)} rất đẹp, view hồ.",
        lambda: f"Pass lại váy size M giá {rng.randint(1, 9)}00k, còn mới {rng.randint(80, 99)}%.",
        lambda: (
            f"Học sinh trường THPT {rng.choice(['Lê Quý Đôn', 'Nguyễn Trãi', 'Chu Văn An'])} đạt giải nhất."
        ),
        lambda: (
            f"Phiên bản {rng.randint(1, 9)}.{rng.randint(0, 20)}.{rng.randint(0, 99)} sửa {rng.randint(10, 300)} lỗi, tải về dung lượng {rng.randint(10, 999)} MB."
        ),
        lambda: (
            f"Tỉ số {rng.randint(0, 5)}-{rng.randint(0, 5)}, khán giả {rng.randint(10, 60)}.{_digits(rng, 3)} người."
        ),
        lambda: (
            f"Số tiền {_digits(rng, 3)}.{_digits(rng, 3)} đồng đã được hoàn vào ví, mã giao dịch {_digits(rng, 12)}."
        ),
        lambda: (
            f"Tài khoản Facebook của mình bị hack, mọi người cẩn thận nhé. Quận {rng.choice(DISTRICTS)} hôm nay mưa to."
        ),
        lambda: (
            f"Serial máy: {rng.choice(['SN', 'S/N'])} {_digits(rng, 10)}, bảo hành {rng.randint(6, 36)} tháng."
        ),
    ]


def generate(seed: int = SEED) -> list[dict]:
    """The whole set, deterministic for a seed."""
    rng = random.Random(seed)
    positives, negatives = _positive_templates(rng), _negative_templates(rng)
    items = []
    for i in range(N_POSITIVE):
        draft = Draft()
        for piece, label in _fix_bracketed(rng.choice(positives)()):
            draft.add(piece, label)
        items.append(
            {"id": f"p{i:04d}", "kind": "positive", "text": draft.text(), "spans": draft.spans}
        )
    for i in range(N_NEGATIVE):
        items.append(
            {"id": f"n{i:04d}", "kind": "negative", "text": rng.choice(negatives)(), "spans": []}
        )
    return items


def load_guard_set() -> list[dict]:
    return packaged_jsonl("kiemchung.lab", DATA_FILE)


def load_handwritten_set() -> list[dict]:
    """45 drafts written by hand with gold spans (``lab/data/guard_handwritten.jsonl``)."""
    return packaged_jsonl("kiemchung.lab", "guard_handwritten.jsonl")


def write(path: Path | None = None) -> Path:
    target = path or packaged_path("kiemchung.lab", DATA_FILE)
    lines = (json.dumps(item, ensure_ascii=False) for item in generate())
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target


if __name__ == "__main__":
    print(write())
