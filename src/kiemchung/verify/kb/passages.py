"""Splitting a document into passages: windows of whole sentences that overlap by one sentence.

Evidence is quoted at passage level, so a passage must read on its own (whole sentences) and a
claim whose support straddles two sentences must still find both in one passage (the overlap).
Offsets index the document's text, so a citation can point at the exact characters.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiemchung.text.sentences import split_sentences


@dataclass(frozen=True)
class PassageSpan:
    start: int
    end: int


def split_passages(
    text: str, sentences_per_passage: int = 3, overlap: int = 1, max_chars: int = 1200
) -> list[PassageSpan]:
    """Sentence windows over ``text``; a window stops early rather than pass ``max_chars``."""
    if overlap >= sentences_per_passage:
        raise ValueError("overlap must be smaller than sentences_per_passage")
    sentences = [s for s in split_sentences(text) if text[s[0] : s[1]].strip()]
    spans: list[PassageSpan] = []
    i = 0
    while i < len(sentences):
        start, end = sentences[i]
        j = i + 1
        while j < len(sentences) and j - i < sentences_per_passage:
            if sentences[j][1] - start > max_chars:
                break
            end = sentences[j][1]
            j += 1
        spans.append(PassageSpan(start, min(end, start + max_chars) if j == i + 1 else end))
        if j >= len(sentences):
            break
        i = max(i + 1, j - overlap)
    return spans
