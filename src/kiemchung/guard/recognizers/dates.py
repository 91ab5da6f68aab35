"""Dates of birth: a date is personal data when the text says it is someone's birth date.

Ordinary dates ("họp ngày 12/3/2024") are not reported; a date right after "sinh ngày",
"ngày sinh", "NS" or "DOB" is.
"""

from __future__ import annotations

from kiemchung.guard.recognizers.base import WEAK, VietnameseRecognizer

_DAY = r"(?:0?[1-9]|[12]\d|3[01])"
_MONTH = r"(?:0?[1-9]|1[0-2])"
_YEAR = r"(?:19|20)\d{2}"


class VnDateOfBirthRecognizer(VietnameseRecognizer):
    ENTITY = "DATE_OF_BIRTH"
    PATTERNS = (
        ("numeric_date", rf"(?<![\d/.\-]){_DAY}([/.\-]){_MONTH}\1{_YEAR}(?![\d/.\-]\d)", WEAK),
        ("written_date", rf"n(?<!\wn)gày {_DAY} tháng {_MONTH} năm {_YEAR}(?!\d)", WEAK),
    )
    CONTEXT = (
        "sinh ngày",
        "ngày sinh",
        "ns",
        "dob",
        "date of birth",
        "sinh",
        "năm sinh",
        "ngày tháng năm sinh",
    )
    LABELS = ("sinh ngày", "ngày sinh", "dob", "date of birth", "năm sinh", "ngày tháng năm sinh")
    REQUIRES_CONTEXT = True
    WINDOW_BEFORE = 22
    WINDOW_AFTER = 0
    EXPLANATION = "A date of birth (a date right after 'ngày sinh' / 'sinh ngày')"
    EXPLANATION_VI = "Ngày sinh"
