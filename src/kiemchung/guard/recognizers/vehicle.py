"""Vehicle licence plates: a 2-digit province code, a series, and a 4- or 5-digit number.

Cars: "30A-123.45", "51F 678.90", "29LD-012.34"; motorbikes: "29-B1 234.56", "59X2-123.45".
Province codes run from 11 to 99; the series is one or two letters, or a letter and a digit.
"""

from __future__ import annotations

from kiemchung.guard.recognizers.base import MEDIUM, VietnameseRecognizer, number_start


class VnLicensePlateRecognizer(VietnameseRecognizer):
    ENTITY = "LICENSE_PLATE"
    PATTERNS = (
        (
            "vn_plate",
            number_start("[1-9]", r"\w.") + r"\d[ \-]?[A-Z](?:[A-Z]|\d)?[ \-.]{0,2}"
            r"(?:\d{3}\.\d{2}|\d{5}|\d{4})(?![\w]|[.,]\d)",
            MEDIUM,
        ),
    )
    CONTEXT = ("biển số", "biển kiểm soát", "bks", "bsx", "biển", "xe", "ô tô", "xe máy", "plate")
    LABELS = ("biển số", "biển kiểm soát", "bks", "bsx", "plate")
    CASE_SENSITIVE = True
    EXPLANATION = "A Vietnamese vehicle licence plate"
    EXPLANATION_VI = "Biển số xe"

    def validate_result(self, pattern_text: str) -> bool | None:
        return None if int(pattern_text[:2]) >= 11 else False  # province codes run 11–99
