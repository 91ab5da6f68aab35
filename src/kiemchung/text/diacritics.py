"""Vietnamese diacritics: tone marks, accent folding, and detecting text typed without them.

Much Vietnamese social-media text is typed without diacritics ("khong biet" for "không biết").
Lexical search has to match both spellings, so indexes store an accent-folded copy; models and
language detection need to know when a text was typed that way.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

#: The five Vietnamese tone marks as combining characters: huyền, sắc, ngã, hỏi, nặng.
TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")

_WORD = re.compile(r"[^\W\d_]+")
_TOKEN = re.compile(r"\w+")
#: Letters that only occur in Vietnamese spelled with its diacritics.
_VI_MARKED = re.compile(
    "[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]",
    re.IGNORECASE,
)


def split_tone(char: str) -> tuple[str, str]:
    """Split one precomposed letter into (letter without tone, tone mark or "")."""
    decomposed = unicodedata.normalize("NFD", char)
    tone = "".join(c for c in decomposed if c in TONE_MARKS)
    rest = "".join(c for c in decomposed if c not in TONE_MARKS)
    return unicodedata.normalize("NFC", rest), tone


def add_tone(char: str, tone: str) -> str:
    """Put ``tone`` (a combining tone mark or "") on a letter that has none."""
    return unicodedata.normalize("NFC", char + tone)


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    if char in "đĐ":
        return "d" if char == "đ" else "D"
    base = "".join(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c))
    return base if len(base) == 1 else char


class _FoldTable(dict[int, str]):
    """A lazy ``str.translate`` table: each code point is folded once, then cached."""

    def __missing__(self, key: int) -> str:
        folded = _fold_char(chr(key))
        self[key] = folded
        return folded


_FOLD_TABLE = _FoldTable()


def fold_accents(text: str, lower: bool = True) -> str:
    """Remove diacritics (and map đ→d) without changing the length of an NFC text.

    Length is preserved character for character, so offsets found in the folded text are offsets
    in the input too. Used for the accent-insensitive column of lexical indexes.
    """
    folded = text.translate(_FOLD_TABLE)
    return folded.lower() if lower else folded


def composed(text: str) -> str:
    """``text`` in NFC: decomposed input ("a" + U+0302 + U+0301 for "ấ") folds and splits into
    words as its precomposed twin does (folded as is, "vắc" would split into "va" and "c")."""
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def folded(text: str) -> str:
    """A text as lexical search compares it: composed, lower-cased, without diacritics (đ → d) —
    the knowledge base's accent-folded index column, and what :func:`folded_words` splits."""
    return fold_accents(composed(text).lower())


def folded_words(text: str) -> list[str]:
    """The words (and numbers) of a text, lower-cased and without diacritics: what lexical search,
    evidence coverage and duplicate detection compare, so "Dân số" and "dan so" are the same."""
    return _TOKEN.findall(folded(text))


def diacritic_ratio(text: str) -> float | None:
    """Share of alphabetic words that carry a Vietnamese diacritic; None when there are no words."""
    words = _WORD.findall(text)
    if not words:
        return None
    marked = sum(1 for w in words if _VI_MARKED.search(w))
    return marked / len(words)


def lacks_diacritics(text: str, min_words: int = 3, max_ratio: float = 0.1) -> bool:
    """True when a text of at least ``min_words`` words has (almost) no Vietnamese diacritics.

    This says nothing about the language by itself; combine it with language identification
    (``langid.detect``) to tell "Vietnamese typed without diacritics" from English.
    """
    words = _WORD.findall(text)
    if len(words) < min_words:
        return False
    ratio = diacritic_ratio(text)
    return ratio is not None and ratio <= max_ratio
