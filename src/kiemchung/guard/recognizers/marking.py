"""Confidentiality markings on state documents: MẬT, TỐI MẬT, TUYỆT MẬT, and their companions.

The Law on Protection of State Secrets (2018) sets three levels, stamped on the document. In a
draft they appear as a marking: a line of their own, a bracketed stamp, or after "Độ mật:". The
same words in running text are not markings: "mật ong" (honey), "bí mật gia truyền" (a family
secret), "mật khẩu" (a password). "Lưu hành nội bộ" (internal circulation only) is reported
anywhere; "Không phổ biến" (not for distribution) only as a marking, since mid-sentence it means
"uncommon". A marking is found in any case and with any punctuation around it when it stands as
one: alone on its line, bracketed, opening a line ("Tài liệu mật - không chuyển tiếp"), or an
upper-case level ending its phrase ("Kế hoạch này là MẬT."). "Rò rỉ tài liệu mật của bộ" in a
sentence is news about one, and stays unflagged.
"""

from __future__ import annotations

from kiemchung.guard.recognizers.base import STRONG, VietnameseRecognizer
from kiemchung.text.letters import UPPER

_LEVEL = r"(?:TUYỆT MẬT|TỐI MẬT|MẬT)"
_ANY_CASE_LEVEL = r"(?i:tuyệt mật|tối mật|mật)"
_TITLE = r"(?i:tài liệu|văn bản|hồ sơ|báo cáo|công văn)"
_STAMP = r"(?i:không phổ biến)"
#: Punctuation people put around a stamp: brackets, quotes, asterisks, dashes, rules.
_OPEN = r"[\[(«\"“*_=#~\-–— \t]*"
_CLOSE = r"[\])»\"”*_=#~\-–— \t]*"
#: An upper-case title right before a level: each its own look-behind, for their widths differ.
_AFTER_TITLE = "".join(
    f"|(?<={title} [TM])" for title in ("TÀI LIỆU", "VĂN BẢN", "HỒ SƠ", "BÁO CÁO", "CÔNG VĂN")
)
#: What may follow a marking inside a line: punctuation that ends it, or the line's end.
_ENDS = r"(?=[ \t]*(?:[-–—.:,;!|)\]»]|$))"


class VnClassifiedMarkingRecognizer(VietnameseRecognizer):
    ENTITY = "CLASSIFIED_MARKING"
    PATTERNS = (
        # a level alone on its line, in any case, with any punctuation: "MẬT", "[Tối mật]"
        (
            "level_line",
            rf"^{_OPEN}(?P<value>{_ANY_CASE_LEVEL}){_CLOSE}[.:!]?[ \t]*$",
            STRONG,
        ),
        # a bracketed stamp inside a line: "(MẬT)", "[TUYỆT MẬT]", "(Tối mật)"
        (
            "level_bracketed",
            rf"[\[(«](?P<value>{_LEVEL}|(?i:tuyệt mật|tối mật)|Mật)[\])»]",
            STRONG,
        ),
        # "Độ mật: Tối mật"
        (
            "level_field",
            rf"(?i:độ mật|mức độ mật)\s*[:\-]\s*(?P<value>{_ANY_CASE_LEVEL})(?!\w)",
            STRONG,
        ),
        # a titled stamp opening a line, in any case: "TÀI LIỆU MẬT - …", "Tài liệu mật:"
        (
            "level_titled_line",
            rf"^{_OPEN}{_TITLE} (?P<value>{_ANY_CASE_LEVEL}){_CLOSE}{_ENDS}",
            STRONG,
        ),
        # an upper-case level ending its phrase, after lower-case text or a document's title:
        # "Kế hoạch này là MẬT.", "gửi anh TÀI LIỆU MẬT - đọc xong xóa"
        (
            "level_caps",
            rf"(?P<value>[TM](?:(?<![{UPPER}][TM])(?<![{UPPER}] [TM]){_AFTER_TITLE})"
            rf"(?:UYỆT MẬT|ỐI MẬT|ẬT))(?![{UPPER}]){_ENDS}",
            STRONG,
        ),
        # an upper-case level right before a document's number or a line end: "MẬT Số: 12/BC"
        ("level_header", rf"(?<![\w ]){_LEVEL}(?=\s+(?:Số|SỐ)\s*:)", STRONG),
        ("internal", r"(?i:lưu hành nội bộ)", STRONG),
        (
            "not_public_line",
            rf"^{_OPEN}(?P<value>{_STAMP}){_CLOSE}[.:!]?[ \t]*$",
            STRONG,
        ),
        ("not_public_bracketed", rf"[\[(«](?P<value>{_STAMP})[\])»]", STRONG),
        # after another stamp's dash: "Tài liệu mật - Không phổ biến"
        (
            "not_public_after_stamp",
            rf"(?P<value>[kK](?<=[-–—|] [kK])(?i:hông phổ biến)){_CLOSE}{_ENDS}",
            STRONG,
        ),
        ("not_public_caps", r"K(?<!\wK)HÔNG PHỔ BIẾN(?!\w)", STRONG),
    )
    CASE_SENSITIVE = True
    EXPLANATION = "A confidentiality marking (state-secret level or internal-only stamp)"
    EXPLANATION_VI = "Dấu chỉ độ mật hoặc 'lưu hành nội bộ' của tài liệu"
