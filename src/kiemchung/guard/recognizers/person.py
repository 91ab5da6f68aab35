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

import bisect
import re
from collections.abc import Callable, Iterable
from importlib.resources import files

from presidio_analyzer import RecognizerResult

from kiemchung.errors import InputError
from kiemchung.guard.recognizers import cues
from kiemchung.guard.recognizers.base import (
    MEDIUM,
    THRESHOLD,
    WEAK,
    VietnameseRecognizer,
    folded_alternation,
)
from kiemchung.guard.recognizers.finance import BANK_NAMES
from kiemchung.guard.recognizers.names import PROVINCES, SURNAME_ALTERNATION, SURNAMES
from kiemchung.text.diacritics import fold_accents
from kiemchung.text.letters import LOWER, UPPER, VOWELS

_SURNAME_UPPER = "|".join(sorted({s.upper() for s in SURNAMES}, key=len, reverse=True))
#: Capitalised words that follow names on a line but are never part of one: contact channels
#: and banks ("Nguyễn Văn Hùng Zalo 09…", "TRẦN THỊ MAI VIETCOMBANK").
NOT_NAME_WORDS = (
    "email",
    "mail",
    "gmail",
    "zalo",
    "tel",
    "phone",
    "mobile",
    "hotline",
    "fax",
    "viber",
    "telegram",
    "facebook",
    "otp",
    "pass",
    "password",
    "acc",
    "account",
    "visa",
    "master",
    "mastercard",
    "momo",
    "số",
    *(bank for bank in BANK_NAMES if " " not in bank),
)
_NOT_NAME = "|".join(sorted(NOT_NAME_WORDS, key=len, reverse=True))
#: One syllable of a name: capitalised (or all capitals), holding a vowel, and not a word above —
#: so a name stops before "SĐT", "CCCD" or "Zalo" written right after it.
_SYLLABLE = rf"(?!(?i:{_NOT_NAME})(?![^\W\d_]))(?=[^\W\d_]*[{VOWELS}])[{UPPER}][{LOWER}]*"
_SYLLABLE_UPPER = rf"(?!(?i:{_NOT_NAME})(?![^\W\d_]))(?=[^\W\d_]*[{VOWELS}])[{UPPER}]+(?![^\W\d_])"
#: The commonest family names as typed without diacritics ("Tran Van Nam", "NGUYEN THI LAN").
_FOLDED_SURNAMES = "Nguyen|Tran|Le|Pham|Hoang|Huynh|Phan|Vu|Vo|Dang|Bui|Do|Ho|Ngo|Duong|Ly|Dinh"
_ASCII_WORD = r"[A-Z][a-z]{0,6}"
_NAME = re.compile(
    rf"(?<![\w])(?:(?:{SURNAME_ALTERNATION})(?:[ ]{_SYLLABLE}){{1,3}}"
    rf"|(?:{_SURNAME_UPPER})(?:[ ]{_SYLLABLE_UPPER}){{1,3}}"
    rf"|(?P<folded>(?:{_FOLDED_SURNAMES})(?:[ ]{_ASCII_WORD}){{2,3}}"
    rf"|(?:{_FOLDED_SURNAMES.upper()})(?:[ ][A-Z]{{1,7}}){{2,3}}))(?![\w])"
)
#: Honorifics that are also family names ("Ông", "La"): at the front of a longer match they are
#: the honorific ("Ông Vũ Đình Khang").
_HONORIFIC_FIRST = frozenset({"ông", "bà", "anh", "chị", "cô", "chú", "bác", "em", "cháu"})

#: Form fields naming the person after them; they also name the value on a form line.
NAME_FIELDS = (
    "họ tên",
    "họ và tên",
    "người nhận",
    "người gửi",
    "chủ tk",
    "chủ tài khoản",
    "ctk",
    "tên tk",
    "tên tài khoản",
    "người thụ hưởng",
    "khách hàng",
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
    "tên",
    *NAME_FIELDS,
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


def _cue_before(words: Iterable[str]) -> re.Pattern[str]:
    """A cue word ending the folded text just before a name (a few punctuation marks allowed)."""
    return re.compile(rf"(?<!\w)(?:{folded_alternation(words)})\W{{0,3}}$")


class VnPersonRecognizer(VietnameseRecognizer):
    ENTITY = "PERSON"
    PATTERNS = (("vietnamese_full_name", _NAME.pattern, MEDIUM),)
    CONTEXT = PERSON_CUES
    #: Kinship words ("anh", "em") are cues for a name but name no number on a form.
    LABELS = NAME_FIELDS
    CASE_SENSITIVE = True
    CONTEXT_BOOST = 0.3
    EXPLANATION = "A private person's full name (family name + given names)"
    EXPLANATION_VI = "Họ tên đầy đủ của một cá nhân"

    def __init__(
        self,
        context: list[str] | None = None,
        supported_language: str = "vi",
        public_figures: Iterable[str] = (),
        name_tagger: str | None = "pos",
    ) -> None:
        super().__init__(context, supported_language)
        if name_tagger not in NAME_TAGGERS:
            raise InputError(f"name_tagger must be one of {sorted(NAME_TAGGERS, key=str)}")
        self.name_tagger = name_tagger
        self.public_figures = (
            load_public_figures()
            | {n.strip().casefold() for n in public_figures}
            | {p.casefold() for p in PROVINCES}
        )
        self._cue = _cue_before(self.context)
        self._not_private = _cue_before(NOT_PRIVATE)
        cue_words = "|".join(re.escape(c) for c in sorted(self.context, key=len, reverse=True))
        self._cued_caps = re.compile(
            rf"(?<!\w)(?i:{cue_words})[ :]+(?P<name>{_SYLLABLE}(?:[ ]{_SYLLABLE})+)(?!\w)"
        )

    def find(self, text: str) -> list[RecognizerResult]:
        results = []
        for match in _NAME.finditer(text):
            start, end = match.span()
            name = match.group(0)
            first, _, rest = name.partition(" ")
            if first.casefold() in _HONORIFIC_FIRST and rest.count(" ") >= 1:
                start, name = start + len(first) + 1, rest
            end = cues.end_before_label(text, start, end)
            name = text[start:end]
            if " " not in name:
                continue
            if name.casefold() in self.public_figures:
                continue
            before = fold_accents(text[max(0, start - 24) : start].lower())
            if self._not_private.search(before):
                continue
            cue = self._cue.search(before)
            syllables = name.count(" ") + 1
            # typed without diacritics, a name is only taken with a cue before it
            score = MEDIUM if syllables >= 3 and not match.group("folded") else WEAK
            if cue:
                score = min(1.0, max(score, MEDIUM) + self.CONTEXT_BOOST)
            if score < THRESHOLD:
                continue
            reason = cue.group(0).strip(" :,") if cue else ""
            results.append(self._result(start, end, score, "vietnamese_full_name", reason, None))
        if self.name_tagger:
            results.extend(self._tagged_names(text, results))
        return results

    def _tagged_names(self, text: str, found: list[RecognizerResult]) -> list[RecognizerResult]:
        """Names the family-name list misses ("anh Ksor Y Phước"), from underthesea's taggers.

        The tagger only reads the words from a cue ("anh", "chị", "họ tên" …) through the
        capitalised words after it that the rules did not claim; when it marks one of them a
        proper noun (POS ``Np``) or a person, the capitalised run is a person's name.
        ``name_tagger="pos"`` (default) runs underthesea's POS tagger (~0.3 ms a window); ``"ner"``
        its NER (~1.5 ms: POS, chunking and NER), which found no more names on the evaluation set.
        """
        results: list[RecognizerResult] = []
        claimed = sorted((r.start, r.end) for r in found)
        claimed_starts = [c[0] for c in claimed]
        for match in self._cued_caps.finditer(text):
            start, end = match.span("name")
            end = cues.end_before_label(text, start, end)
            if " " not in text[start:end]:
                continue
            i = bisect.bisect_left(claimed_starts, end)  # claimed spans starting before `end`
            taken = (i > 0 and claimed[i - 1][1] > start) or any(
                r.end > start for r in results[-1:]
            )
            if taken or match.group("name").casefold() in self.public_figures:
                continue
            window = text[match.start() : end]
            if NAME_TAGGERS[self.name_tagger](window, start - match.start()):
                cue = match.group(0).split()[0].lower()
                pattern = f"underthesea_{self.name_tagger}"
                score = MEDIUM + self.CONTEXT_BOOST
                results.append(self._result(start, end, score, pattern, cue, None))
        return results


def _confirms_name(tagged: list[tuple[str, ...]], window: str, name_start: int) -> bool:
    """Whether a tagger marks a word of ``window[name_start:]`` as a proper noun or a person."""
    cursor = 0
    for word, pos, *rest in tagged:
        position = window.find(word, cursor)
        if position < 0:
            continue
        cursor = position + len(word)
        if cursor > name_start and (pos == "Np" or (rest and rest[-1].endswith("-PER"))):
            return True
    return False


def _pos_confirms(window: str, name_start: int) -> bool:
    from underthesea import pos_tag

    return _confirms_name(pos_tag(window), window, name_start)


def _ner_confirms(window: str, name_start: int) -> bool:
    from underthesea import ner

    return _confirms_name(ner(window), window, name_start)


#: How names outside the family-name list are found: by underthesea's POS tagger, its NER, or not.
NAME_TAGGERS: dict[str | None, Callable[[str, int], bool]] = {
    "pos": _pos_confirms,
    "ner": _ner_confirms,
    None: lambda window, name_start: False,
}
