"""Sentence splitting that survives Vietnamese abbreviations, dotted numbers, dates and URLs.

A general splitter breaks "TP. HCM", "PGS. TS. Nguyễn Văn A", "ngày 26.3" or "1.250.000 đồng" and
cuts URLs at their dots (underthesea's ``sent_tokenize`` does the last). Here a boundary needs
terminal punctuation *followed by whitespace* (so dots inside numbers, dates and URLs never
qualify), and a period after a known abbreviation or a single capital initial is not a boundary.
Line breaks always end a sentence: posts use them as paragraph breaks.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

#: Abbreviations written with a trailing period in Vietnamese news and administrative text.
ABBREVIATIONS = frozenset(
    """
    TP Tp tp Q q P p H X TT TX Th ThS Ths TS Ts PGS GS BS Bs KS CN NXB ĐH GĐ PGĐ TGĐ UBND
    HĐND Mr Mrs Ms Dr St Jr Sr No Co Inc Ltd Corp vs tr Tr St. v.v VD Vd vd Sđd Tel tel ĐT
    Đ/c đ/c TS.BS ThS.BS BSCKII BSCKI Lt Col Gen Capt Prof
    """.split()
)

_CLOSERS = "\"'”’»)]"
_TERMINATOR = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s)")
_LAST_WORD = re.compile(r"(\S+)$")
_NEXT_LETTER = re.compile(r"\s*[\"'“‘«(\[]*([^\W\d_])")


def _is_protected(text: str, term_start: int, punct: str) -> bool:
    """A period that belongs to an abbreviation or an initial, not to the sentence."""
    if punct != ".":
        return False
    match = _LAST_WORD.search(text, max(0, term_start - 40), term_start)
    if not match:
        return False
    word = match.group(1).lstrip("(\"'“‘«[")
    if word in ABBREVIATIONS:
        return True
    return len(word) == 1 and word.isupper()


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)`` over ``text``, trimmed of surrounding whitespace."""
    spans: list[tuple[int, int]] = []
    start = 0
    for line in re.finditer(r"[^\n]+", text):
        start = line.start()
        for term in _TERMINATOR.finditer(text, line.start(), line.end()):
            punct = term.group(0).rstrip(_CLOSERS)
            if _is_protected(text, term.start(), punct):
                continue
            if "…" in punct or punct.count(".") > 1:
                # An ellipsis only ends a sentence when a capitalised word follows.
                following = _NEXT_LETTER.match(text, term.end())
                if not (following and following.group(1).isupper()):
                    continue
            _append(spans, text, start, term.end())
            start = term.end()
        _append(spans, text, start, line.end())
    return spans


def _append(spans: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        spans.append((start, end))


def cut_long(text: str, spans: Sequence[tuple[int, int]], limit: int) -> Iterator[tuple[int, int]]:
    """``spans`` with any span longer than ``limit`` cut at the last space before it (or at the
    limit itself, inside a word that long)."""
    for start, end in spans:
        while end - start > limit:
            cut = text.rfind(" ", start + 1, start + limit)
            cut = cut if cut > start else start + limit
            yield start, cut
            start = cut
        yield start, end
