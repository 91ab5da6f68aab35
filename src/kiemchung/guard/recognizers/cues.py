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
from collections.abc import Iterable
from functools import lru_cache

from kiemchung.text.diacritics import fold_accents

#: Words that say the number after them is not personal data; they stop any other label too.
NOT_PERSONAL = (
    "số tiền",
    "tổng tiền",
    "thành tiền",
    "hotline",
    "tổng đài",
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
    "số lượng",
    "serial",
    "số seri",
    "s/n",
    "order",
    "tracking",
)

_LABELS: set[str] = set()
_WRITTEN: set[str] = set()  # the same labels lower-cased with their diacritics

#: A value that a label before it would have named: four or more digits (spaces, dots, dashes
#: or slashes between them), or an e-mail address.
VALUE = re.compile(r"\d(?:[ .\-/]?\d){3,}|[^\s@]+@(?:[a-z0-9\-]+\.)+[a-z]{2,24}")
#: What may stand between a label and its value: "MST: 03…", "CCCD số 0012…", "SĐT là 09…".
JOINER = re.compile(r"(?:[\s:.#=\-–]|so(?!\w)|la(?!\w))*")
#: A unit right after a number makes it an amount ("350.000 đồng", "2 tr", "15 %"), never an ID.
AMOUNT_UNIT = re.compile(r"\s*(?:d|dong|vnd|k|tr|trieu|nghin|ngan|ty|usd|\$|%)(?!\w)")


def fold(text: str) -> str:
    """Accent-folded and lower-cased, offsets kept (one character in, one out)."""
    return fold_accents(text.lower())


def register_labels(words: Iterable[str]) -> None:
    """Add label words (as written; folded here) that every recognizer will read."""
    words = [w.lower() for w in words]
    _LABELS.update(fold(w) for w in words)
    _WRITTEN.update(words)


def all_labels() -> frozenset[str]:
    """Every label word registered so far, folded."""
    return frozenset(_LABELS)


def label_starting(text: str, position: int) -> bool:
    """Whether a label, diacritics and all, starts at ``position`` ("Hộ chiếu", "Mã số thuế").

    Diacritics count here: a name syllable such as "Thế" must not read as "thẻ" (card).
    """
    pattern = phrase_pattern(frozenset(_WRITTEN))
    return pattern is not None and pattern.match(text[position : position + 40].lower()) is not None


def end_before_label(text: str, start: int, end: int) -> int:
    """Where a run of capitalised words ends when a label follows it on the line.

    "Nguyễn Gia Nga Hộ chiếu số …" is a name and a label; "quận Cầu Giấy CMND …" a district
    and a label.
    """
    position = text.find(" ", start, end)
    while position >= 0:
        if label_starting(text, position + 1):
            return position
        position = text.find(" ", position + 1, end)
    return end


@lru_cache(maxsize=64)
def phrase_pattern(folded_words: frozenset[str]) -> re.Pattern[str] | None:
    """One regex finding any of ``folded_words`` as whole words, the longest first."""
    if not folded_words:
        return None
    alternation = "|".join(re.escape(w) for w in sorted(folded_words, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternation})(?!\w)")


register_labels(NOT_PERSONAL)
