"""Readable topic labels: class-based TF-IDF over segmented Vietnamese words.

A topic is described by the words that are frequent in its posts and rare in the others — TF-IDF
with each topic's posts taken together as one document (c-TF-IDF, as BERTopic popularised it).
Splitting on spaces would describe Vietnamese topics by syllables ("học", "sinh"); underthesea's
word segmentation gives words and set phrases ("học sinh", "giá xăng"), and adjacent word pairs
add short phrases. Function words and numbers are left out, so labels read as subjects.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Hashable, Sequence
from itertools import pairwise

import numpy as np

from kiemchung.text.normalize import normalize
from kiemchung.text.segment import segment_many
from kiemchung.text.stopwords import stopwords

#: A word of two or more letters (no numbers, no single letters such as "b" or "k").
_WORDLIKE = re.compile(r"^[^\W\d_](?:[^\W_]|[ '-])+$")


def content_terms(texts: Sequence[str]) -> list[list[str]]:
    """Each text's terms: its content words, lower-cased and segmented ("giá_xăng": syllables
    joined by ``_``), and the pairs of content words that stand next to each other (short
    phrases, joined by a space); stop words dropped. :func:`readable` turns a term into text."""
    stop = {w.replace(" ", "_") for w in stopwords()} | stopwords()
    normalized = [normalize(t).text.lower() for t in texts]
    out = []
    for tokens in segment_many(normalized):
        words = [
            t.text.replace(" ", "_") if _WORDLIKE.match(t.text) and t.text not in stop else None
            for t in tokens
        ]
        pairs = [f"{a} {b}" for a, b in pairwise(words) if a and b]
        out.append([w for w in words if w] + pairs)
    return out


def class_tfidf_keywords(
    groups: dict[Hashable, list[list[str]]], top: int = 10, min_count: int = 2
) -> dict[Hashable, list[tuple[str, float]]]:
    """The ``top`` terms of each group of texts (given as :func:`content_terms` lists), best
    first; a word is not listed again after a phrase holding it.

    Weight of term t in group c: ``tf(t, c) / |c| × log(1 + A / f(t))`` where ``|c|`` is the
    group's term count, ``f(t)`` the term's count over all groups and ``A`` the mean group size.
    Terms seen fewer than ``min_count`` times in a group are not candidates for it.
    """
    counts = {key: Counter(t for terms in texts for t in terms) for key, texts in groups.items()}
    totals: Counter[str] = Counter()
    for counter in counts.values():
        totals.update(counter)
    sizes = {key: sum(counter.values()) for key, counter in counts.items()}
    mean_size = float(np.mean([s for s in sizes.values() if s])) if any(sizes.values()) else 1.0
    keywords: dict[Hashable, list[tuple[str, float]]] = {}
    for key, counter in counts.items():
        scored = [
            (term, n / sizes[key] * float(np.log1p(mean_size / totals[term])))
            for term, n in counter.items()
            if n >= min_count
        ]
        scored.sort(key=lambda item: (-item[1], -item[0].count(" "), item[0]))
        keywords[key] = [(term, round(weight, 6)) for term, weight in _without_parts(scored)[:top]]
    return keywords


def _without_parts(scored: list[tuple[str, float]]) -> list[tuple[str, float]]:
    """Drop a word already shown in a higher-ranked phrase, and a phrase whose words are all
    shown already ("đội_tuyển việt_nam" after "việt_nam" and "đội_tuyển")."""
    kept: list[tuple[str, float]] = []
    shown: set[str] = set()
    for term, weight in scored:
        parts = set(term.split(" "))
        if parts <= shown:
            continue
        kept.append((readable(term), weight))
        shown |= parts
    return kept


def readable(term: str) -> str:
    """A term as people write it: "giá_xăng tăng" -> "giá xăng tăng"."""
    return term.replace("_", " ")
