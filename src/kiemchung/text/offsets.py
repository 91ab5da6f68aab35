"""Offset maps: take a span of a derived text back to the exact characters of the text it came from.

Every user-visible span must index the *original* text (docs/design.md), while models read a
normalized copy. A rewrite step records, for each character of its output, the source span it
came from:

* a *copied* character came from exactly one source character;
* a character of a *replacement* (NFC composition, a moved tone mark, a teencode expansion) maps to
  the whole source run it replaced, so any part of a replacement maps back to all of it;
* deleted source characters (zero-width marks, collapsed whitespace) map from nothing.

The map is two integer arrays (source start and end per output character), so mapping a span is
two lookups and composing two maps is two array gathers — fast enough for multi-megabyte texts.
A span predicted on teencode-expanded model input maps to the normalized text and from there to
the original through one composed map.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, eq=False)
class OffsetMap:
    """Maps spans of a derived text (length ``out_len``) to spans of its source (``src_len``).

    ``starts[i]``/``ends[i]`` give the source span of derived character ``i``; both are ``None``
    for the identity map, which costs no memory.
    """

    out_len: int
    src_len: int
    starts: np.ndarray | None = None
    ends: np.ndarray | None = None

    @classmethod
    def identity(cls, length: int) -> OffsetMap:
        """The map of a text that was not changed at all."""
        return cls(length, length)

    @property
    def is_identity(self) -> bool:
        return self.starts is None

    def char_source(self, index: int) -> tuple[int, int]:
        """Source span of derived character ``index``."""
        if self.starts is None or self.ends is None:
            return index, index + 1
        return int(self.starts[index]), int(self.ends[index])

    def to_source(self, start: int, end: int) -> tuple[int, int]:
        """Map the derived span ``[start, end)`` to the smallest source span that produced it.

        Out-of-range bounds are clamped; an empty span maps to an empty span at the matching
        source position.
        """
        start = min(max(start, 0), self.out_len)
        end = min(max(end, start), self.out_len)
        if start == end:
            pos = self.char_source(start)[0] if start < self.out_len else self.src_len
            return pos, pos
        return self.char_source(start)[0], self.char_source(end - 1)[1]

    def then(self, outer: OffsetMap) -> OffsetMap:
        """Compose: ``outer`` maps a text derived from *this map's output* back to it.

        The result maps ``outer``'s output straight back to this map's source.
        """
        if outer.is_identity:
            return OffsetMap(outer.out_len, self.src_len, self.starts, self.ends)
        if self.is_identity:
            return OffsetMap(outer.out_len, self.src_len, outer.starts, outer.ends)
        assert self.starts is not None and self.ends is not None
        assert outer.starts is not None and outer.ends is not None
        starts = self.starts[outer.starts]
        ends = self.ends[outer.ends - 1]
        return OffsetMap(outer.out_len, self.src_len, starts, ends)


class _Builder:
    """Accumulates output text and segment records while a rewrite walks its source."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.parts: list[str] = []
        # Parallel segment records: output length, source start, source end, exact copy?
        self.lengths: list[int] = []
        self.src_starts: list[int] = []
        self.src_ends: list[int] = []
        self.exact: list[bool] = []

    def _segment(self, text: str, src_start: int, src_end: int, exact: bool) -> None:
        self.parts.append(text)
        self.lengths.append(len(text))
        self.src_starts.append(src_start)
        self.src_ends.append(src_end)
        self.exact.append(exact)

    def copy(self, start: int, end: int) -> None:
        if start < end:
            self._segment(self.source[start:end], start, end, True)

    def replace(self, start: int, end: int, new: str) -> None:
        if new:
            self._segment(new, start, end, False)

    def build(self) -> tuple[str, OffsetMap]:
        lengths = np.asarray(self.lengths, dtype=np.int64)
        out_len = int(lengths.sum())
        seg_of_char = np.repeat(np.arange(len(lengths)), lengths)
        seg_out_start = np.cumsum(lengths) - lengths
        within = np.arange(out_len, dtype=np.int64) - seg_out_start[seg_of_char]
        src_starts = np.asarray(self.src_starts, dtype=np.int64)[seg_of_char]
        src_ends = np.asarray(self.src_ends, dtype=np.int64)[seg_of_char]
        exact = np.asarray(self.exact, dtype=bool)[seg_of_char]
        starts = np.where(exact, src_starts + within, src_starts)
        ends = np.where(exact, starts + 1, src_ends)
        return "".join(self.parts), OffsetMap(out_len, len(self.source), starts, ends)


Replacer = Callable[[re.Match[str]], str | None]


def rewrite(text: str, pattern: re.Pattern[str], replace: Replacer) -> tuple[str, OffsetMap]:
    """Rewrite every match of ``pattern`` with ``replace(match)`` and record the offset map.

    ``replace`` returns the new text for the match, ``""`` to delete it, or ``None`` to keep it
    unchanged (kept matches stay exact copies, so spans inside them stay precise).
    """
    chunks = []
    for match in pattern.finditer(text):
        new = replace(match)
        if new is not None and new != match.group(0):
            chunks.append((match.start(), match.end(), new))
    return rewrite_chunks(text, chunks)


def rewrite_chunks(text: str, chunks: list[tuple[int, int, str]]) -> tuple[str, OffsetMap]:
    """Rewrite explicit ``(start, end, new)`` chunks, given in order and not overlapping."""
    if not chunks:
        return text, OffsetMap.identity(len(text))
    builder = _Builder(text)
    pos = 0
    for start, end, new in chunks:
        builder.copy(pos, start)
        builder.replace(start, end, new)
        pos = end
    builder.copy(pos, len(text))
    return builder.build()
