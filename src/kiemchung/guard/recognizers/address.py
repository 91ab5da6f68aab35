"""Street-level addresses: the whole address, from house number to province, as one span.

An address is a chain of parts separated by commas, dashes or spaces: a house number with its
street ("123/45 Nguyễn Trãi", "số 12 phố Huế"), lanes ("ngõ 34", "ngách 5", "hẻm 12", "kiệt 7"),
villages ("thôn Đông", "ấp 3", "tổ dân phố 5"), administrative units ("phường 13", "P.2",
"xã Yên Sở", "quận Hai Bà Trưng", "Q.5", "huyện …", "tỉnh …", "TP. …"), a bare province name
("Hà Nội", "TP.HCM"), and a ward or district named bare just before it ("Đống Đa, Hà Nội"). A
chain is reported when it holds a street-level part (a numbered house, a lane or a village) and
at least one more part — a ward or a city alone is not personal data.
"""

from __future__ import annotations

import re

from presidio_analyzer import RecognizerResult

from kiemchung.guard.recognizers import cues
from kiemchung.guard.recognizers.base import MEDIUM, STRONG, VietnameseRecognizer
from kiemchung.guard.recognizers.names import CAP_WORD, PROVINCES, SURNAME_ALTERNATION
from kiemchung.text.letters import LOWER, UPPER

#: A place's name: one to five capitalised words, stopping before a person's full name written
#: right after it ("quận Đống Đa Đinh Thùy Thảo"). Its first word may be a family name: streets
#: and wards are named after people ("phường Nguyễn Thái Bình").
CAP_NAME = (
    rf"{CAP_WORD}(?:[ ](?!(?:{SURNAME_ALTERNATION})(?:[ ]{CAP_WORD}(?![^\W\d_])){{2}}"
    rf"(?![ ][{UPPER}][{LOWER}]))"
    rf"{CAP_WORD}){{0,4}}"
)
#: A house number ("12", "12A", "123/45/6"), never a date ("27/11/2023") nor the end of
#: another number ("631.88", "0394304509-528").
_NUMBER = (
    r"(?<!\d[.,\-])(?!\d{1,2}/\d{1,2}/(?:19|20)\d\d(?!\d))"
    r"\d{1,4}[A-Za-z]?(?:/\d{1,4}[A-Za-z]?){0,3}"
)
_NAME_OR_NUMBER = rf"(?:{CAP_NAME}|\d{{1,3}}[A-Za-z]?)"
#: A street's name: a name, or a number as new towns give them ("đường số 7", "đường D2",
#: "đường 3/2").
_STREET = (
    rf"(?i:đường|phố|đại lộ)\s+"
    rf"(?:(?:(?i:số)\s*)?[A-Z]{{0,2}}\d{{1,3}}(?:/\d{{1,2}})?(?![\w/])|{CAP_NAME})"
)
_PROVINCE = "|".join(re.escape(p) for p in sorted(PROVINCES, key=len, reverse=True))

#: Each part, as a named group; the first group that matches names the part.
_PARTS = {
    "house": (rf"(?:(?i:số nhà|nhà số|số|nhà|sn)\s*)?{_NUMBER}\s*,?\s+(?:{_STREET}|{CAP_NAME})"),
    "house_number": (
        rf"(?:(?i:số nhà|nhà số|số|sn)\s*{_NUMBER}(?!\w)"
        rf"|{_NUMBER}(?=\s+(?i:ngõ|ngách|hẻm|kiệt)\s*\d))"
    ),
    # "K12/3" is how Đà Nẵng writes kiệt 12/3
    "lane": (
        rf"(?:(?i:ngõ|ngách|hẻm|hẽm|kiệt|hxh|ngo)\s*(?:số\s*)?|K(?=\d)){_NUMBER}"
        rf"(?:\s+{CAP_NAME})?"
    ),
    "street": _STREET,
    "village": (
        rf"(?i:thôn|xóm|ấp|tổ dân phố|tdp|tổ|khu phố|kp|khu|bản|khối|làng)\s*{_NAME_OR_NUMBER}"
    ),
    "admin": (
        rf"(?:(?i:phường|xã|thị trấn|quận|huyện|thị xã|thành phố|tỉnh)\s+{_NAME_OR_NUMBER}"
        rf"|(?i:p|q|tx|tt|tp)\.\s?{_NAME_OR_NUMBER}|T[PXTpxt]\s+{CAP_NAME})"
    ),
    "province": rf"(?:{_PROVINCE})(?!\w)",
}
#: A part never starts inside a word (the lookbehind also makes the scan ~3× faster).
_PART = re.compile(
    r"(?<![\w/])(?:" + "|".join(f"(?P<{name}>{regex})" for name, regex in _PARTS.items()) + ")"
)
_SEPARATOR = re.compile(r"\s*(?:,|-|–)?\s*")
#: Before a province, the gap may hold a ward or district named without its keyword ("Đống Đa").
_SEPARATOR_WITH_LOCALITY = re.compile(rf"\s*,\s*{CAP_NAME}\s*,\s*")
_STREET_LEVEL = frozenset({"house", "house_number", "lane", "village"})


class VnAddressRecognizer(VietnameseRecognizer):
    ENTITY = "ADDRESS"
    PATTERNS = (("address_chain", _PART.pattern, MEDIUM),)
    CONTEXT = (
        "địa chỉ",
        "đc",
        "dc",
        "thường trú",
        "tạm trú",
        "nơi ở",
        "nhà ở",
        "quê quán",
        "giao hàng đến",
        "giao tới",
        "ship tới",
        "ship đến",
        "address",
    )
    LABELS = ("địa chỉ", "thường trú", "tạm trú", "nơi ở", "quê quán", "address")
    CASE_SENSITIVE = True
    CONTEXT_BOOST = 0.25
    EXPLANATION = "A street-level address (house number, lane or village, and its ward/district)"
    EXPLANATION_VI = "Địa chỉ cụ thể (số nhà, ngõ/hẻm hoặc thôn, kèm phường/xã, quận/huyện)"

    def find(self, text: str) -> list[RecognizerResult]:
        results = []
        for start, end, kinds, parts in _chains(text):
            if not (kinds & _STREET_LEVEL) or parts < 2:
                continue
            # a place's name stops at a label written after it: "quận Cầu Giấy CMND 2149…"
            end = cues.end_before_label(text, start, end)
            score = min(STRONG, MEDIUM + 0.1 * (parts - 2))
            score, reason = self._apply_context(text, start, end, score)
            results.append(self._result(start, end, score, "address_chain", reason, None))
        return results


def _chains(text: str) -> list[tuple[int, int, set[str], int]]:
    """Runs of address parts joined only by separators: (start, end, kinds of part, parts)."""
    chains: list[tuple[int, int, set[str], int]] = []
    for match in _PART.finditer(text):
        kind = match.lastgroup or ""
        if chains:
            start, end, kinds, parts = chains[-1]
            gap = text[end : match.start()]
            joined = _SEPARATOR.fullmatch(gap) or (
                kind == "province" and _SEPARATOR_WITH_LOCALITY.fullmatch(gap)
            )
            if "\n" not in gap and joined:
                chains[-1] = (start, match.end(), kinds | {kind}, parts + 1)
                continue
        chains.append((match.start(), match.end(), {kind}, 1))
    return chains
