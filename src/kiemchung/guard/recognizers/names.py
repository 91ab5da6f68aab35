"""Character classes and word lists shared by the address and person recognizers."""

from __future__ import annotations

from kiemchung.text.letters import UPPER

#: A capitalised word: "Nguyễn", "Trãi", "HCM".
CAP_WORD = rf"[{UPPER}][^\W\d_]*"
#: One to five capitalised words on one line: "Hai Bà Trưng", "Nguyễn Thị Minh Khai".
CAP_NAME = rf"{CAP_WORD}(?:[ ]{CAP_WORD}){{0,4}}"

#: The 63 provinces and centrally-run cities, as written without their "tỉnh" / "thành phố".
PROVINCES = (
    "Hà Nội",
    "Hồ Chí Minh",
    "TP.HCM",
    "TP HCM",
    "TPHCM",
    "Sài Gòn",
    "Hải Phòng",
    "Đà Nẵng",
    "Cần Thơ",
    "An Giang",
    "Bà Rịa - Vũng Tàu",
    "Bà Rịa-Vũng Tàu",
    "Bắc Giang",
    "Bắc Kạn",
    "Bạc Liêu",
    "Bắc Ninh",
    "Bến Tre",
    "Bình Định",
    "Bình Dương",
    "Bình Phước",
    "Bình Thuận",
    "Cà Mau",
    "Cao Bằng",
    "Đắk Lắk",
    "Đắk Nông",
    "Điện Biên",
    "Đồng Nai",
    "Đồng Tháp",
    "Gia Lai",
    "Hà Giang",
    "Hà Nam",
    "Hà Tĩnh",
    "Hải Dương",
    "Hậu Giang",
    "Hòa Bình",
    "Hưng Yên",
    "Khánh Hòa",
    "Kiên Giang",
    "Kon Tum",
    "Lai Châu",
    "Lâm Đồng",
    "Lạng Sơn",
    "Lào Cai",
    "Long An",
    "Nam Định",
    "Nghệ An",
    "Ninh Bình",
    "Ninh Thuận",
    "Phú Thọ",
    "Phú Yên",
    "Quảng Bình",
    "Quảng Nam",
    "Quảng Ngãi",
    "Quảng Ninh",
    "Quảng Trị",
    "Sóc Trăng",
    "Sơn La",
    "Tây Ninh",
    "Thái Bình",
    "Thái Nguyên",
    "Thanh Hóa",
    "Thừa Thiên Huế",
    "Huế",
    "Tiền Giang",
    "Trà Vinh",
    "Tuyên Quang",
    "Vĩnh Long",
    "Vĩnh Phúc",
    "Yên Bái",
)

#: Common Vietnamese family names (together well over 95 % of the population).
SURNAMES = (
    "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đào Đoàn Vương Trịnh "
    "Trương Lâm Phùng Mai Tô Hà Tạ Cao Lương Đinh Chu Quách Lưu Kiều Đàm Thái Triệu La Châu Tăng "
    "Lục Mạc Khúc Tôn Diệp Hứa Lại Từ Quan Âu Ông Doãn Nghiêm Tiêu Vi Lò Lã Bạch "
    "Nông Hầu Khổng Phí Thạch Trình Tống Cù Ung Viên Dư Hàn Khương"
).split()
#: The family names as one regex alternation, the longest first ("Nguyễn" before "Nguy…").
SURNAME_ALTERNATION = "|".join(sorted(SURNAMES, key=len, reverse=True))
