"""Offset-preserving normalization: the one place where text is cleaned before analysis.

Steps, each recorded in an :class:`~kiemchung.text.offsets.OffsetMap` so spans go back to the
original characters:

1. NFC composition (decomposed input from macOS and some keyboards becomes precomposed);
2. zero-width, bidi and control characters removed; whitespace runs collapsed to one space, or one
   newline where the run held a line break (sentence splitting uses paragraph breaks);
3. one tone-mark placement convention for the open syllables oa, oe, uy — the mark sits on the
   first vowel (hòa, khỏe, thủy) as underthesea's segmenter was trained; with a final consonant or
   glide it sits on the second (hoàn, ngoài, huỳnh), and after "qu" on the y (quý).

Teencode and abbreviation expansion (:func:`for_model`) is a separate step applied to model input
only: users see their own words, models see "không" where the user typed "ko".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from kiemchung.text.diacritics import add_tone, split_tone
from kiemchung.text.offsets import OffsetMap, rewrite, rewrite_chunks
from kiemchung.text.teencode import TEENCODE

#: Characters that are never visible content: C0/C1 controls (except whitespace), format
#: characters (zero-width space/joiners, bidi controls, BOM, soft hyphen, tags) and lone surrogates.
INVISIBLE_CLASS = (
    r"\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f\xad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891"
    r"\u08e2\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ud800-\udfff\ufeff"
    r"\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    r"\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f"
)
#: Runs that need rewriting: two or more blanks, any blank other than a plain space, or a plain
#: space at either end. A lone space between words — most matches by far — is not visited.
_SPACE_OR_INVISIBLE = re.compile(rf"[\s{INVISIBLE_CLASS}]{{2,}}|[^\S ]|[{INVISIBLE_CLASS}]|\A | \Z")
_LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")

#: A vowel pair oa / oe / uy with a tone mark on either vowel (any case).
_TONE_PAIR = re.compile(
    "(?:[òóỏõọ][ae]|o[àáảãạèéẻẽẹ]|[ùúủũụ]y|u[ỳýỷỹỵ])",
    re.IGNORECASE,
)
_TEENCODE_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class NormalizedText:
    """A derived text plus the map from its spans back to the original."""

    original: str
    text: str
    offsets: OffsetMap

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original text that produced ``text[start:end]``."""
        return self.offsets.to_source(start, end)


def _compose_nfc(text: str) -> tuple[str, OffsetMap]:
    """NFC, recorded per cluster: a starter plus whatever composes or combines with it."""
    if unicodedata.is_normalized("NFC", text):
        return text, OffsetMap.identity(len(text))
    chunks: list[tuple[int, int, str]] = []
    start = 0
    for pos in range(1, len(text) + 1):
        if pos < len(text):
            char = text[pos]
            if char >= "\u0300" and (
                unicodedata.combining(char)
                or unicodedata.normalize("NFC", text[start : pos + 1])
                != unicodedata.normalize("NFC", text[start:pos]) + char
            ):
                continue
        cluster = text[start:pos]
        if len(cluster) > 1 or cluster >= "\u0300":
            composed = unicodedata.normalize("NFC", cluster)
            if composed != cluster:
                chunks.append((start, pos, composed))
        start = pos
    return rewrite_chunks(text, chunks)


def _clean_space(match: re.Match[str]) -> str:
    run = match.group(0)
    at_edge = match.start() == 0 or match.end() == len(match.string)
    if at_edge:
        return ""
    if any(c in _LINE_BREAKS for c in run):
        return "\n"
    if any(c.isspace() for c in run):
        return " "
    return ""


def _place_tone(match: re.Match[str]) -> str | None:
    first, second = match.group(0)
    base1, tone1 = split_tone(first)
    base2, tone2 = split_tone(second)
    text, end = match.string, match.end()
    if (tone1 and tone2) or (end < len(text) and unicodedata.combining(text[end])):
        return None  # not a well-formed syllable: leave it as typed
    tone = tone1 or tone2
    followed = end < len(text) and text[end].isalpha()
    after_q = base1 in "uU" and match.start() > 0 and text[match.start() - 1] in "qQ"
    if followed or after_q:
        return base1 + add_tone(base2, tone)
    return add_tone(base1, tone) + base2


def normalize(text: str) -> NormalizedText:
    """Normalize ``text`` for analysis; see the module docstring for the steps."""
    composed, nfc_map = _compose_nfc(text)
    cleaned, space_map = rewrite(composed, _SPACE_OR_INVISIBLE, _clean_space)
    offsets = nfc_map.then(space_map)
    # Removing an invisible between a letter and its combining mark can make them composable.
    cleaned, recompose_map = _compose_nfc(cleaned)
    offsets = offsets.then(recompose_map)
    if _TONE_PAIR.search(cleaned):
        retoned, tone_map = rewrite(cleaned, _TONE_PAIR, _place_tone)
        offsets = offsets.then(tone_map)
        cleaned = retoned
    return NormalizedText(text, cleaned, offsets)


def _expand(match: re.Match[str]) -> str | None:
    word = match.group(0)
    expansion = TEENCODE.get(word.lower())
    if expansion is None:
        return None
    if word[0].isupper() and not any(c.isupper() for c in expansion):
        return expansion[0].upper() + expansion[1:]
    return expansion


def for_model(normalized: NormalizedText) -> NormalizedText:
    """Expand teencode and abbreviations ("ko" → "không") for model input, keeping the offset map.

    The result's map goes straight back to the original text, so a span a model finds in the
    expanded text still lands on the characters the user typed.
    """
    expanded, expand_map = rewrite(normalized.text, _TEENCODE_WORD, _expand)
    return NormalizedText(normalized.original, expanded, normalized.offsets.then(expand_map))
