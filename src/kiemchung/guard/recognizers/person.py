"""Private individuals' full names; public figures, officials and place names are left alone.

A Vietnamese full name is a family name from a short, well-known list followed by one to three
capitalised syllables ("Nguyễn Thị Minh Khai"), or the same in capitals on forms ("NGUYỄN VĂN
AN"). Two-syllable names ("Lê Na") need a cue before them (anh, chị, ông, bà, họ tên …).

Not flagged: a name right after an office or a public role ("Thủ tướng Phạm Minh Chính", "ca sĩ
…"), a name in the public-figures list (``data/public_figures.txt``, extendable with the
``public_figures`` argument), and a name that is part of a place ("đường Nguyễn Trãi", "trường
THPT Lê Quý Đôn") — streets and schools are named after people.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from importlib.resources import files

from presidio_analyzer import RecognizerResult

from kiemchung.guard.recognizers.base import MEDIUM, WEAK, VietnameseRecognizer
from kiemchung.guard.recognizers.names import CAP_WORD, PROVINCES, SURNAMES, UPPER
from kiemchung.text.diacritics import fold_accents

_SURNAME = "|".join(sorted(SURNAMES, key=len, reverse=True))
_SURNAME_UPPER = "|".join(sorted({s.upper() for s in SURNAMES}, key=len, reverse=True))
_UPPER_WORD = rf"[{UPPER}]+(?![^\W\d_])"
_NAME = re.compile(
    rf"(?<![\w])(?:(?:{_SURNAME})(?:[ ]{CAP_WORD}){{1,3}}"
    rf"|(?:{_SURNAME_UPPER})(?:[ ]{_UPPER_WORD}){{1,3}})(?![\w])"
)

#: Words right before a name that make it a person (kinship terms, form fields, roles).
PERSON_CUES = (
    "anh",
    "chị",
    "em",
    "ông",
    "bà",
    "cô",
    "chú",
    "bác",
    "cháu",
    "bạn",
    "cậu",
    "dì",
    "mợ",
    "thím",
    "con",
    "bé",
    "họ tên",
    "họ và tên",
    "tên",
    "người nhận",
    "người gửi",
    "khách hàng",
    "bệnh nhân",
    "học sinh",
    "sinh viên",
    "nhân viên",
    "chủ hộ",
    "mr",
    "mrs",
    "ms",
)
#: Words right before a name that make it a public role or a place, not a private person.
NOT_PRIVATE = (
    # places named after people
    "đường",
    "phố",
    "ngõ",
    "hẻm",
    "phường",
    "xã",
    "quận",
    "huyện",
    "trường",
    "thpt",
    "thcs",
    "tiểu học",
    "bệnh viện",
    "bv",
    "cầu",
    "chợ",
    "công viên",
    "quảng trường",
    "đền",
    "chùa",
    "lăng",
    "tượng",
    "giải",
    "quỹ",
    "tòa nhà",
    "khu đô thị",
    "kdc",
    # offices and public roles
    "thủ tướng",
    "phó thủ tướng",
    "chủ tịch",
    "phó chủ tịch",
    "tổng bí thư",
    "bí thư",
    "bộ trưởng",
    "thứ trưởng",
    "chủ tịch nước",
    "chủ tịch quốc hội",
    "đại biểu",
    "đại tướng",
    "thượng tướng",
    "trung tướng",
    "thiếu tướng",
    "tướng",
    "người phát ngôn",
    "phát ngôn viên",
    "gs",
    "pgs",
    "giáo sư",
    "nhà thơ",
    "nhà văn",
    "nhạc sĩ",
    "ca sĩ",
    "nghệ sĩ",
    "diễn viên",
    "đạo diễn",
    "danh thủ",
    "cầu thủ",
    "vận động viên",
    "vđv",
    "hlv",
    "huấn luyện viên",
    "hoa hậu",
    "á hậu",
    "mc",
    "nhà báo",
    "tác giả",
    "vua",
    "danh tướng",
    "anh hùng",
)


def load_public_figures() -> frozenset[str]:
    """The shipped list of public figures (one name per line, '#' comments)."""
    text = (files("kiemchung.guard") / "data" / "public_figures.txt").read_text(encoding="utf-8")
    return frozenset(
        line.strip().casefold() for line in text.splitlines() if line.strip() and line[0] != "#"
    )


def _cue_before(cues: Iterable[str]) -> re.Pattern[str]:
    words = sorted({fold_accents(c) for c in cues}, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")\W{0,3}$")


class VnPersonRecognizer(VietnameseRecognizer):
    ENTITY = "PERSON"
    PATTERNS = (("vietnamese_full_name", _NAME.pattern, MEDIUM),)
    CONTEXT = PERSON_CUES
    CASE_SENSITIVE = True
    CONTEXT_BOOST = 0.3
    EXPLANATION = "A private person's full name (family name + given names)"
    EXPLANATION_VI = "Họ tên đầy đủ của một cá nhân"

    def __init__(
        self,
        context: list[str] | None = None,
        supported_language: str = "vi",
        public_figures: Iterable[str] = (),
        use_ner: bool = True,
    ) -> None:
        super().__init__(context, supported_language)
        self.use_ner = use_ner
        self.public_figures = (
            load_public_figures()
            | {n.strip().casefold() for n in public_figures}
            | {p.casefold() for p in PROVINCES}
        )
        self._cue = _cue_before(self.context)
        self._not_private = _cue_before(NOT_PRIVATE)
        cues = "|".join(re.escape(c) for c in sorted(self.context, key=len, reverse=True))
        self._cued_caps = re.compile(
            rf"(?<!\w)(?i:{cues})[ :]+(?P<name>{CAP_WORD}(?:[ ]{CAP_WORD})+)(?!\w)"
        )

    def find(self, text: str) -> list[RecognizerResult]:
        results = []
        for match in _NAME.finditer(text):
            start, end = match.span()
            name = match.group(0)
            if name.casefold() in self.public_figures:
                continue
            before = fold_accents(text[max(0, start - 24) : start].lower())
            if self._not_private.search(before):
                continue
            cue = self._cue.search(before)
            syllables = name.count(" ") + 1
            score = MEDIUM if syllables >= 3 else WEAK
            if cue:
                score = min(1.0, max(score, MEDIUM) + self.CONTEXT_BOOST)
            if score < 0.5:
                continue
            reason = cue.group(0).strip(" :,") if cue else ""
            results.append(self._result(start, end, score, "vietnamese_full_name", reason, None))
        if self.use_ner:
            results.extend(self._ner_names(text, results))
        return results

    def _ner_names(self, text: str, found: list[RecognizerResult]) -> list[RecognizerResult]:
        """Names the family-name list misses ("anh Ksor Y Phước"), from underthesea's NER.

        NER costs milliseconds a sentence, so it only reads the lines where a cue word ("anh",
        "chị", "họ tên" …) is followed by capitalised words that the rules did not claim.
        """
        results = []
        for match in self._cued_caps.finditer(text):
            start, end = match.span("name")
            claimed = any(r.start < end and start < r.end for r in [*found, *results])
            if claimed or match.group("name").casefold() in self.public_figures:
                continue
            line_start = text.rfind("\n", 0, start) + 1
            line_end = text.find("\n", end)
            line_end = len(text) if line_end < 0 else line_end
            for name_start, name_end in _ner_person_spans(text[line_start:line_end]):
                name_start, name_end = name_start + line_start, name_end + line_start
                if name_start < end and start < name_end and " " in text[name_start:name_end]:
                    hit = self._result(
                        name_start,
                        name_end,
                        MEDIUM + self.CONTEXT_BOOST,
                        "underthesea_ner",
                        match.group(0).split()[0].lower(),
                        None,
                    )
                    results.append(hit)
        return results


def _ner_person_spans(line: str) -> list[tuple[int, int]]:
    """Character spans of the PER entities underthesea's bundled CRF finds in ``line``."""
    from underthesea import ner

    spans: list[tuple[int, int]] = []
    cursor = 0
    for word, *_, tag in ner(line[:2000]):
        position = line.find(word, cursor)
        if position < 0:
            continue
        cursor = position + len(word)
        if tag == "B-PER" or (tag == "I-PER" and not spans):
            spans.append((position, cursor))
        elif tag == "I-PER":
            spans[-1] = (spans[-1][0], cursor)
    return spans
