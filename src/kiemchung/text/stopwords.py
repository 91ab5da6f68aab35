"""Vietnamese function words: what a text says nothing *about*.

Pulse leaves them out of topic labels, so a label reads as a subject; verification leaves them
out when it asks whether evidence shares any word with a claim, since "của" and "được" in both
say nothing about whether the two are on the same subject.
"""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """The function words of ``text/data/stopwords_vi.txt``, lower case (a segmented word's
    syllables joined by a space)."""
    text = (files("kiemchung.text") / "data" / "stopwords_vi.txt").read_text(encoding="utf-8")
    return frozenset(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


@lru_cache(maxsize=1)
def stop_syllables() -> frozenset[str]:
    """The one-syllable function words: the ones a text split on spaces can be checked against."""
    return frozenset(w for w in stopwords() if " " not in w)
