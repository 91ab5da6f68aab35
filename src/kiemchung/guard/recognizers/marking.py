"""Confidentiality markings on state documents: MẬT, TỐI MẬT, TUYỆT MẬT, and their companions.

The Law on Protection of State Secrets (2018) sets three levels, stamped on the document. In a
draft they appear as a marking: a line of their own, a bracketed stamp, or after "Độ mật:". The
same words in running text are not markings: "mật ong" (honey), "bí mật gia truyền" (a family
secret), "mật khẩu" (a password). "Lưu hành nội bộ" (internal circulation only) is reported
anywhere; "Không phổ biến" (not for distribution) only as a marking, since mid-sentence it means
"uncommon". An upper-case "TÀI LIỆU MẬT" (or VĂN BẢN, HỒ SƠ, BÁO CÁO) opening a line is a stamp;
"rò rỉ tài liệu mật" in a sentence is news about one.
"""

from __future__ import annotations

from kiemchung.guard.recognizers.base import STRONG, VietnameseRecognizer

_LEVEL = r"(?:TUYỆT MẬT|TỐI MẬT|MẬT)"
_STAMP = r"(?:KHÔNG PHỔ BIẾN|Không phổ biến)"
_OPEN = r"[\[(«\"*]*"
_CLOSE = r"[\])»\"*]*"


class VnClassifiedMarkingRecognizer(VietnameseRecognizer):
    ENTITY = "CLASSIFIED_MARKING"
    PATTERNS = (
        # a level alone on its line, optionally bracketed: "MẬT", "[TỐI MẬT]"
        ("level_line", rf"^[ \t]*{_OPEN}(?P<value>{_LEVEL}){_CLOSE}[ \t]*[.:]?[ \t]*$", STRONG),
        # a bracketed stamp inside a line: "(MẬT)", "[TUYỆT MẬT]"
        ("level_bracketed", rf"[\[(«](?P<value>{_LEVEL})[\])»]", STRONG),
        # "Độ mật: Tối mật"
        (
            "level_field",
            r"(?i:độ mật|mức độ mật)\s*[:\-]\s*(?P<value>(?i:tuyệt mật|tối mật|mật))(?!\w)",
            STRONG,
        ),
        # a titled stamp opening a line: "TÀI LIỆU MẬT - KHÔNG PHỔ BIẾN", "VĂN BẢN TỐI MẬT"
        (
            "level_titled_line",
            rf"^[ \t]*{_OPEN}(?:TÀI LIỆU|VĂN BẢN|HỒ SƠ|BÁO CÁO) (?P<value>{_LEVEL}){_CLOSE}"
            r"(?=[ \t]*(?:[-–—.:,]|$))",
            STRONG,
        ),
        # an upper-case level right before a document's number or a line end: "MẬT Số: 12/BC"
        ("level_header", rf"(?<![\w ]){_LEVEL}(?=\s+(?:Số|SỐ)\s*:)", STRONG),
        ("internal", r"(?i:lưu hành nội bộ)", STRONG),
        (
            "not_public_line",
            rf"^[ \t]*{_OPEN}(?P<value>{_STAMP}){_CLOSE}[ \t]*[.:]?[ \t]*$",
            STRONG,
        ),
        ("not_public_bracketed", rf"[\[(«](?P<value>{_STAMP})[\])»]", STRONG),
        ("not_public_caps", r"K(?<!\wK)HÔNG PHỔ BIẾN(?!\w)", STRONG),
    )
    CASE_SENSITIVE = True
    EXPLANATION = "A confidentiality marking (state-secret level or internal-only stamp)"
    EXPLANATION_VI = "Dấu chỉ độ mật hoặc 'lưu hành nội bộ' của tài liệu"
