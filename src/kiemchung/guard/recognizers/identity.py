"""Identity numbers: citizen ID (CCCD), old ID card (CMND), passport, social insurance, tax code.

Structures follow the issuing rules: the CCCD's first three digits are the birth province's code
(Circular 07/2016/TT-BCA), the fourth encodes century and sex, the next two the birth year; a
tax code's tenth digit is a weighted check digit; a health-insurance card is two letters, a
benefit digit, a province code and the 10-digit social-insurance number.
"""

from __future__ import annotations

import datetime as _dt

from kiemchung.guard.recognizers import cues
from kiemchung.guard.recognizers.base import (
    MEDIUM,
    WEAK,
    VietnameseRecognizer,
    digits_of,
    number_start,
)

#: CCCD / personal-identification province codes (63 provinces and cities).
PROVINCE_CODES = frozenset(
    "001 002 004 006 008 010 011 012 014 015 017 019 020 022 024 025 026 027 030 031 033 034 035 "
    "036 037 038 040 042 044 045 046 048 049 051 052 054 056 058 060 062 064 066 067 068 070 072 "
    "074 075 077 079 080 082 083 084 086 087 089 091 092 093 094 095 096".split()
)

NOT_AN_ID = cues.NOT_AN_ID
#: A number not glued to digits before it (letters may touch it: "CCCD001203004567").
_NUMBER_START = number_start(r"\d", r"\d.,")
_DIGIT_RUN_12 = _NUMBER_START + r"\d{2}[ .]?\d{3}[ .]?\d{3}[ .]?\d{3}(?![\d]|[.,]\d)"


def citizen_id_is_plausible(digits: str, today: _dt.date | None = None) -> bool:
    """Province code, century/sex digit and birth year of a 12-digit CCCD all make sense."""
    if len(digits) != 12 or digits[:3] not in PROVINCE_CODES:
        return False
    century_sex, year = int(digits[3]), int(digits[4:6])
    if century_sex > 3:  # 0/1: born 1900–1999; 2/3: born 2000–2099
        return False
    this_year = (today or _dt.date.today()).year
    born = (1900 if century_sex < 2 else 2000) + year
    return this_year - 120 <= born <= this_year and len(set(digits[6:])) > 1


class VnCitizenIdRecognizer(VietnameseRecognizer):
    ENTITY = "VN_CITIZEN_ID"
    PATTERNS = (("cccd_12_digits", _DIGIT_RUN_12, MEDIUM),)
    CONTEXT = (
        "cccd",
        "căn cước",
        "căn cước công dân",
        "thẻ căn cước",
        "số định danh",
        "định danh cá nhân",
        "cmnd",
        "chứng minh",
        "cmt",
        "id card",
        "số cc",
    )
    NEGATIVE_CONTEXT = (
        *NOT_AN_ID,
        "stk",
        "số tài khoản",
        "tài khoản",
        "mst",
        "mã số thuế",
        "bhxh",
    )
    EXPLANATION = "A 12-digit citizen ID (CCCD) with a valid province code and birth year"
    EXPLANATION_VI = "Số căn cước công dân 12 chữ số (mã tỉnh và năm sinh hợp lệ)"

    def validate_result(self, pattern_text: str) -> bool | None:
        return None if citizen_id_is_plausible(digits_of(pattern_text)) else False


class VnOldIdCardRecognizer(VietnameseRecognizer):
    ENTITY = "VN_OLD_ID"
    PATTERNS = (
        (
            "cmnd_9_digits",
            _NUMBER_START + r"\d{2}[ .]?\d{3}[ .]?\d{3}(?![\d]|[.,]\d)",
            WEAK,
        ),
    )
    CONTEXT = ("cmnd", "chứng minh nhân dân", "chứng minh thư", "cmt", "số chứng minh", "cmtnd")
    NEGATIVE_CONTEXT = NOT_AN_ID
    REQUIRES_CONTEXT = True
    WINDOW_BEFORE = 30
    WINDOW_AFTER = 0
    EXPLANATION = "A 9-digit identity card number (CMND) named as such"
    EXPLANATION_VI = "Số chứng minh nhân dân 9 chữ số"

    def validate_result(self, pattern_text: str) -> bool | None:
        return None if len(set(digits_of(pattern_text))) > 1 else False


class VnPassportRecognizer(VietnameseRecognizer):
    ENTITY = "PASSPORT"
    PATTERNS = (("vn_passport", r"[A-Z](?<!\w[A-Z])\d{7}(?!\w)", WEAK),)
    CONTEXT = ("hộ chiếu", "passport", "số hộ chiếu", "hc số", "passport no")
    CASE_SENSITIVE = True
    REQUIRES_CONTEXT = True
    EXPLANATION = "A passport number (a letter and 7 digits) named as such"
    EXPLANATION_VI = "Số hộ chiếu (một chữ cái và 7 chữ số)"


class VnSocialInsuranceRecognizer(VietnameseRecognizer):
    ENTITY = "SOCIAL_INSURANCE"
    PATTERNS = (
        ("bhxh_10_digits", _NUMBER_START + r"\d{9}(?![\d]|[.,]\d)", WEAK),
        ("bhyt_card", r"[A-Z](?<!\w[A-Z])[A-Z][1-5]\d{2}\d{10}(?!\w)", MEDIUM),
    )
    CONTEXT = (
        "bhxh",
        "bảo hiểm xã hội",
        "mã số bhxh",
        "sổ bhxh",
        "bhyt",
        "bảo hiểm y tế",
        "thẻ bhyt",
        "mã số bảo hiểm",
    )
    REQUIRES_CONTEXT = True
    CASE_SENSITIVE = True
    EXPLANATION = "A social or health insurance number named as such"
    EXPLANATION_VI = "Mã số bảo hiểm xã hội / bảo hiểm y tế"


def tax_code_is_valid(digits: str) -> bool:
    """The tenth digit of a Vietnamese tax code is its check digit (weights 31 … 3, mod 11)."""
    if len(digits) not in (10, 13):
        return False
    weights = (31, 29, 23, 19, 17, 13, 7, 5, 3)
    remainder = sum(w * int(d) for w, d in zip(weights, digits[:9], strict=True)) % 11
    return remainder != 0 and int(digits[9]) == 10 - remainder


class VnTaxCodeRecognizer(VietnameseRecognizer):
    ENTITY = "TAX_CODE"
    PATTERNS = (
        ("mst_10", _NUMBER_START + r"\d{9}(?!\d|[.,\-]\d)", WEAK),
        ("mst_13", _NUMBER_START + r"\d{9}-\d{3}(?!\d)", WEAK),
    )
    CONTEXT = ("mst", "mã số thuế", "mã số doanh nghiệp", "msdn", "tax code", "mã số thuế cá nhân")
    REQUIRES_CONTEXT = True
    EXPLANATION = "A tax code (MST) with a valid check digit, named as such"
    EXPLANATION_VI = "Mã số thuế có chữ số kiểm tra hợp lệ"

    def validate_result(self, pattern_text: str) -> bool | None:
        return None if tax_code_is_valid(digits_of(pattern_text)) else False
