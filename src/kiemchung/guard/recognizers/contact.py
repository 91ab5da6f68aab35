"""Phone numbers and e-mail addresses.

Mobile numbers are 10 digits after a leading 0 (or 9 after 84 / +84) and start with a carrier
prefix: Viettel 032–039, 086, 096–098; Vinaphone 081–085, 088, 091, 094; MobiFone 070, 076–079,
089, 090, 093; Vietnamobile 052, 056, 058, 092; Gmobile 059, 099; Reddi 055; Itel 087. Landlines are
11 digits: 02 + a 1–2 digit area code + the subscriber number. Hotlines (1800/1900 …) and
emergency numbers (113, 114, 115) start with 1 and are never matched.
"""

from __future__ import annotations

from kiemchung.guard.recognizers.base import (
    MEDIUM,
    STRONG,
    VietnameseRecognizer,
    digits_of,
    number_start,
)

_SEP = r"[ .\-]?"
#: The start of a number: (+84), +84, 84 or 0. Each branch opens with a literal and checks what
#: precedes it afterwards, which lets the regex engine skip ahead to candidate characters.
_NOT_BEFORE = r"\w+.,"
_LEAD = (
    r"(?:\((?<![\w+.,]\()\+84\)?|\+(?<![\w+.,]\+)84"
    f"|{number_start('8', _NOT_BEFORE)}4|{number_start('0', _NOT_BEFORE)})" + _SEP
)
_MOBILE_PREFIX = r"(?:3[2-9]|5[25689]|7[06-9]|8[1-9]|9[0-46-9])"


class VnPhoneRecognizer(VietnameseRecognizer):
    ENTITY = "PHONE"
    PATTERNS = (
        ("mobile", _LEAD + _MOBILE_PREFIX + rf"(?:{_SEP}\d){{7}}(?![\d]|[.,\-]\d)", MEDIUM),
        ("landline", _LEAD + rf"2\d(?:{_SEP}\d){{8}}(?![\d]|[.,\-]\d)", MEDIUM),
        # "(028) 3822 1234", "(0236) 382 1234": 11 digits with the area code in brackets
        (
            "landline_bracketed",
            r"\((?<![\w(]\()02\d{1,2}\) ?\d(?:[ .\-]?\d){6,7}(?![\d]|[.,\-]\d)",
            MEDIUM,
        ),
    )
    CONTEXT = (
        "sđt",
        "sdt",
        "số điện thoại",
        "điện thoại",
        "đt",
        "dt",
        "phone",
        "tel",
        "liên hệ",
        "gọi",
        "zalo",
        "hotline",
        "di động",
        "số máy",
    )
    NEGATIVE_CONTEXT = (
        "mst",
        "mã số thuế",
        "stk",
        "số tài khoản",
        "mã đơn",
        "đơn hàng",
        "mã vận đơn",
        "bhxh",
        "cccd",
        "cmnd",
        "serial",
        "s/n",
        "sn",
        "số seri",
    )
    CONTEXT_BOOST = 0.3
    EXPLANATION = "A Vietnamese phone number (carrier or area prefix and the right length)"
    EXPLANATION_VI = "Số điện thoại Việt Nam (đầu số nhà mạng hoặc mã vùng, đủ độ dài)"

    def validate_result(self, pattern_text: str) -> bool | None:
        if pattern_text.startswith("(") and len(digits_of(pattern_text)) != 11:
            return False
        return False if self.is_placeholder(pattern_text) else None

    def is_placeholder(self, value: str) -> bool:
        """0900000000: a prefix and one digit repeated is a placeholder, not a number."""
        digits = digits_of(value)
        national = digits[2:] if digits.startswith("84") and len(digits) in (11, 12) else digits
        return len(set(national.removeprefix("0")[2:])) <= 1


class VnEmailRecognizer(VietnameseRecognizer):
    ENTITY = "EMAIL"
    PATTERNS = (
        (
            "email",
            r"[A-Za-z0-9](?<![\w.+][A-Za-z0-9])(?:[A-Za-z0-9._%+\-]{0,63})@"
            # a dash after the top-level domain ends the address unless a domain label goes on
            r"(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}"
            r"(?!\w)(?!-[A-Za-z0-9\-]*\.[A-Za-z])",
            STRONG,
        ),
    )
    CONTEXT = ("email", "e-mail", "mail", "gmail", "thư điện tử")
    EXPLANATION = "An e-mail address"
    EXPLANATION_VI = "Địa chỉ email"

    def validate_result(self, pattern_text: str) -> bool | None:
        local = pattern_text.split("@", 1)[0]
        return False if ".." in pattern_text or local.endswith(".") else None

    def trim(self, text: str, start: int, end: int) -> tuple[int, int]:
        """Drop a neighbour joined by a dash: "0912345678-an.le@…", "Hồ Thị Mai-an.le@…".

        A dash is legal in the local part, but after a number or a capitalised word it is how
        people string items together; lower-case local parts ("nguyen-van-an@…") keep theirs.
        """
        local = text[start : text.index("@", start)]
        head, dash, _ = local.rpartition("-")
        if dash and any(c.isdigit() or c.isupper() for c in head):
            return start + len(head) + 1, end
        return start, end
