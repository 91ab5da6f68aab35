"""Which cue word names which value, when several items share a line.

People write a label and then its value: "CCCD 001203004567, SĐT 0912345678, STK 1903…". A
label therefore belongs to the nearest value after it. Reading a line that way needs to know
every recognizer's labels at once — "SĐT" between "STK" and a number means the number is a phone,
whichever recognizer is asking — so each recognizer class adds its label words here when it is
defined (:meth:`~kiemchung.guard.recognizers.base.VietnameseRecognizer.__init_subclass__`), and
words that name a number as *not* personal data (prices, hotlines, order numbers) are listed
below.

All matching runs on accent-folded, lower-cased text, so "so dien thoai" reads like "số điện
thoại".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache

from kiemchung.text.diacritics import fold_accents

#: Words that name a number as an order, an invoice, a serial: never an identity document.
NOT_AN_ID = (
    "mã đơn",
    "mã đơn hàng",
    "đơn hàng",
    "mã vận đơn",
    "vận đơn",
    "mã giao dịch",
    "hóa đơn",
    "số hóa đơn",
    "mã hóa đơn",
    "mã sản phẩm",
    "mã tra cứu",
    "order",
    "tracking",
    "serial",
    "số seri",
    "s/n",
)
#: Words that say the number after them is not personal data; they stop any other label too.
NOT_PERSONAL = (
    *NOT_AN_ID,
    "số tiền",
    "tổng tiền",
    "thành tiền",
    "hotline",
    "tổng đài",
    "số lượng",
)

_LABELS: set[str] = set()
_WRITTEN: set[str] = set()  # the same labels lower-cased with their diacritics
_WRITTEN_RE: re.Pattern[str] | None = None  # any of them after a space, built when first asked

#: A value that a label before it would have named: four or more digits (spaces, dots, dashes
#: or slashes between them), or an e-mail address's domain (from its "@": enough to cut at).
VALUE = re.compile(r"\d(?:[ .\-/]?\d){3,}|@[a-z0-9\-]+(?:\.[a-z0-9\-]+)*\.[a-z]{2,24}(?![a-z0-9])")
#: What may stand between a label and its value: "MST: 03…", "CCCD số 0012…", "SĐT là 09…".
JOINER = re.compile(r"(?:[\s:.#=\-–]|so(?!\w)|la(?!\w))*")
#: A unit right after a number makes it an amount ("350.000 đồng", "2 triệu", "15 %"), never an
#: ID. Not "k", "tr" or "ty": in chat they are "không", "trước" and "tý" as often as units.
AMOUNT_UNIT = re.compile(r"\s*(?:d|dong|vnd|trieu|nghin|ngan|usd|\$|%)(?!\w)")


def alternation(words: Iterable[str]) -> str:
    """``words`` as one regex alternation (ungrouped), the longest first so it wins."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def fold(text: str) -> str:
    """Accent-folded and lower-cased, offsets kept (one character in, one out)."""
    return fold_accents(text.lower())


#: The folded and lower-cased copies of the text the recognizers are reading, made once for
#: all of them. Each is one tuple, swapped whole, so a thread never reads another text's copy;
#: ``forget`` drops them once the text has been read.
_FOLDED: tuple[str, str] = ("", "")
_LOWERED: tuple[str, str] = ("", "")


def _same_length(text: str, converted: str, convert: Callable[[str], str]) -> str:
    """``converted`` if it kept ``text``'s offsets, else the conversion letter by letter.

    In the rare text where a letter's lower case is two characters (``"İ".lower()``) that
    letter is kept as it is, so offsets into the result are offsets into ``text``.
    """
    if len(converted) == len(text):
        return converted
    return "".join(c if len(c.lower()) != 1 else convert(c) for c in text)


def folded(text: str) -> str:
    """:func:`fold` of the text being read now, computed once: every recognizer reads it."""
    global _FOLDED
    cached_text, cached = _FOLDED
    if cached_text is not text:
        cached = _same_length(text, fold(text), fold)
        _FOLDED = (text, cached)
    return cached


def lowered(text: str) -> str:
    """``text.lower()``, offsets kept, computed once for the text being read now."""
    global _LOWERED
    cached_text, cached = _LOWERED
    if cached_text is not text:
        cached = _same_length(text, text.lower(), str.lower)
        _LOWERED = (text, cached)
    return cached


def nearest_label(text: str, scanner: re.Pattern[str], low: int, start: int) -> tuple[str, str]:
    """The last label in ``text[low:start]`` after its last value, and what follows it (folded)."""
    text_folded = folded(text)
    nearest = None
    for found in scanner.finditer(text_folded, low, start):  # a short window: a few at most
        nearest = found if found.lastgroup == "label" else None
    if nearest is None:
        return "", ""
    return nearest.group(0), text_folded[nearest.end() : start]


def forget(text: str) -> None:
    """Drop what is remembered about ``text`` (a huge text would otherwise stay in memory)."""
    global _FOLDED, _LOWERED
    if _FOLDED[0] is text:
        _FOLDED = ("", "")
    if _LOWERED[0] is text:
        _LOWERED = ("", "")


def register_labels(words: Iterable[str]) -> None:
    """Add label words (as written; folded here) that every recognizer will read."""
    global _WRITTEN_RE
    words = [w.lower() for w in words]
    _LABELS.update(fold(w) for w in words)
    _WRITTEN.update(words)
    _WRITTEN_RE = None


def all_labels() -> frozenset[str]:
    """Every label word registered so far, folded."""
    return frozenset(_LABELS)


def end_before_label(text: str, start: int, end: int) -> int:
    """Where a run of capitalised words ends when a label follows it on the line.

    "Nguyễn Gia Nga Hộ chiếu số …" is a name and a label; "quận Cầu Giấy CMND …" a district
    and a label. Diacritics count here: a name's "Thế" must not read as "thẻ" (card).
    """
    global _WRITTEN_RE
    if _WRITTEN_RE is None:
        _WRITTEN_RE = re.compile(rf" (?:{alternation(_WRITTEN)})(?!\w)")
    label = _WRITTEN_RE.search(lowered(text), start, end + 40)
    return label.start() if label is not None and label.start() < end else end


@lru_cache(maxsize=64)
def phrase_pattern(folded_words: frozenset[str]) -> re.Pattern[str] | None:
    """Any of ``folded_words`` as a whole word, or None when there are none."""
    if not folded_words:
        return None
    return re.compile(rf"(?<!\w)(?:{alternation(folded_words)})(?!\w)")


@lru_cache(maxsize=64)
def scanner(folded_words: frozenset[str]) -> re.Pattern[str]:
    """One regex finding, left to right, each value and each of ``folded_words`` (whole words,
    the longest first): group ``value`` or group ``label``."""
    words = alternation(folded_words) or "(?!)"
    return re.compile(rf"(?P<value>{VALUE.pattern})|(?<!\w)(?P<label>{words})(?!\w)")


register_labels(NOT_PERSONAL)
