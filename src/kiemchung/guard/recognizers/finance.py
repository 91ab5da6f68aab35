"""Bank account numbers (only with bank context) and payment card numbers (Luhn-checked).

An account number has no public structure — 6 to 19 digits depending on the bank — so it is only
reported next to "STK", "số tài khoản" or a bank's name. Card numbers carry the Luhn check digit,
and start with a scheme prefix (Visa 4, Mastercard 51–55 / 22–27, Amex 34/37, JCB 35, domestic
Napas 9704).
"""

from __future__ import annotations

import re

from kiemchung.guard.recognizers.base import WEAK, VietnameseRecognizer, digits_of, number_start

#: Bank names and abbreviations people write next to an account number.
BANK_NAMES = (
    "vietcombank",
    "vcb",
    "vietinbank",
    "ctg",
    "bidv",
    "agribank",
    "techcombank",
    "tcb",
    "mb",
    "mbbank",
    "mb bank",
    "acb",
    "vpbank",
    "tpbank",
    "sacombank",
    "hdbank",
    "shb",
    "vib",
    "ocb",
    "msb",
    "seabank",
    "eximbank",
    "lpbank",
    "lienvietpostbank",
    "nam a bank",
    "bac a bank",
    "abbank",
    "scb",
    "pvcombank",
    "oceanbank",
    "kienlongbank",
    "vietabank",
    "baovietbank",
    "shinhan",
    "woori",
    "cake",
    "timo",
)


class VnBankAccountRecognizer(VietnameseRecognizer):
    ENTITY = "BANK_ACCOUNT"
    PATTERNS = (
        (
            "account_digits",
            number_start(r"\d") + r"(?:[ .\-]?\d){5,18}(?![\w]|[.,\-]\d)",
            WEAK,
        ),
    )
    CONTEXT = (
        "stk",
        "số tk",
        "số tài khoản",
        "tài khoản",
        "tk",
        "ngân hàng",
        "nh",
        "chuyển khoản",
        "ck",
        "account",
        "acc",
        *BANK_NAMES,
    )
    NEGATIVE_CONTEXT = ("mã giao dịch", "số tiền", "mã đơn", "mã vận đơn", "hotline", "mst")
    REQUIRES_CONTEXT = True
    WINDOW_BEFORE = 30
    WINDOW_AFTER = 25
    EXPLANATION = "A bank account number next to a bank name or 'số tài khoản'"
    EXPLANATION_VI = "Số tài khoản ngân hàng (có tên ngân hàng hoặc 'STK' bên cạnh)"

    def validate_result(self, pattern_text: str) -> bool | None:
        digits = digits_of(pattern_text)
        return None if 6 <= len(digits) <= 19 and len(set(digits)) > 1 else False


_CARD_PREFIX = re.compile(r"4|5[1-5]|2[2-7]|3[47]|35|9704")


def luhn_is_valid(digits: str) -> bool:
    """The Luhn (mod 10) check every payment card number carries."""
    total = 0
    for i, char in enumerate(reversed(digits)):
        value = int(char)
        if i % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


class VnCardNumberRecognizer(VietnameseRecognizer):
    ENTITY = "CARD_NUMBER"
    PATTERNS = (
        (
            "card_number",
            number_start(r"\d") + r"(?:[ \-]?\d){12,18}(?![\w]|[.,\-]\d)",
            WEAK,
        ),
    )
    CONTEXT = ("thẻ", "số thẻ", "card", "visa", "mastercard", "master", "jcb", "amex", "napas")
    NEGATIVE_CONTEXT = ("mã đơn", "mã vận đơn", "mã giao dịch", "serial", "số seri")
    EXPLANATION = "A payment card number with a valid Luhn check digit"
    EXPLANATION_VI = "Số thẻ thanh toán (chữ số kiểm tra Luhn hợp lệ)"

    def validate_result(self, pattern_text: str) -> bool | None:
        digits = digits_of(pattern_text)
        return (
            13 <= len(digits) <= 19
            and _CARD_PREFIX.match(digits) is not None
            and luhn_is_valid(digits)
            and len(set(digits)) > 2
        )
