"""``kiemchung eval claim-matching``: is a claim recognised as one a fact-checker already reviewed?

The hand-written set (``lab/data/claim_matching.jsonl``, see its SOURCE.md) holds 24 reviewed
claims and, for each, a paraphrase (must match that review) and an altered version — another
number, date, negation, place or substance — that must match nothing; plus 12 unrelated claims.
The first 8 reviews' queries and 4 unrelated ones are ``dev`` (where the threshold was chosen),
the rest ``test``. Models: ``lexical`` (word overlap) and ``hybrid`` (word overlap or the e5
cosine, whichever is higher; e5 as a new knowledge base runs it, int8 in ONNX Runtime). The
anchor, in the same run: word overlap alone without the detail check, which is what a plain
near-duplicate search does.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kiemchung.errors import InputError
from kiemchung.lab.evaluation.registry import EvalResult, register_evaluator
from kiemchung.resources import packaged_jsonl
from kiemchung.verify.claimreview import ClaimReview
from kiemchung.verify.kb import KnowledgeBase
from kiemchung.verify.kb.reviews import add_reviews
from kiemchung.verify.matching import MATCH_THRESHOLD, find_reviewed, word_overlap

KINDS = ("paraphrase", "altered", "unrelated")


def load_matching_set(split: str) -> tuple[list[str], list[dict]]:
    """The reviewed claims (all splits share them) and the split's queries."""
    rows = packaged_jsonl("kiemchung.lab", "claim_matching.jsonl")
    reviews = [
        r["claim"] for r in sorted(rows, key=lambda r: r.get("id", 0)) if r["type"] == "review"
    ]
    queries = [r for r in rows if r["type"] == "query" and r["split"] == split]
    return reviews, queries


def _scores(queries: list[dict], matched: list[int | None]) -> dict[str, Any]:
    """Recall on paraphrases, false matches on the rest, and precision of all matches made."""
    right = sum(
        1
        for q, m in zip(queries, matched, strict=True)
        if q["kind"] == "paraphrase" and m == q["match"]
    )
    made = sum(m is not None for m in matched)
    figures: dict[str, Any] = {
        "paraphrase_recall": round(
            right / max(1, sum(q["kind"] == "paraphrase" for q in queries)), 4
        ),
        "precision": round(right / made, 4) if made else None,
    }
    for kind in KINDS[1:]:
        picked = [m for q, m in zip(queries, matched, strict=True) if q["kind"] == kind]
        figures[f"{kind}_false_match_rate"] = round(
            sum(m is not None for m in picked) / max(1, len(picked)), 4
        )
    return figures


def _overlap_only(reviews: list[str]) -> Callable[[str], int | None]:
    def best(query: str) -> int | None:
        value, index = max((word_overlap(query, r), i) for i, r in enumerate(reviews))
        return index if value >= MATCH_THRESHOLD else None

    return best


@register_evaluator(
    "claim-matching",
    "already-reviewed claims: paraphrases must match, altered claims must not",
    ("hybrid", "lexical"),
)
def evaluate_claim_matching(model: str, split: str) -> EvalResult:
    if model not in ("hybrid", "lexical"):
        raise InputError(f"unknown model {model!r} for claim-matching; use hybrid or lexical")
    reviews, queries = load_matching_set(split)
    embedder = None
    if model == "hybrid":
        from kiemchung.embed import OnnxE5Embedder, cache_dir_from_env

        embedder = OnnxE5Embedder(cache_dir=cache_dir_from_env())
    with (
        tempfile.TemporaryDirectory() as folder,
        KnowledgeBase.create(Path(folder) / "reviews.kb", embedder) as kb,
    ):
        add_reviews(
            kb,
            [ClaimReview(c, "reviewed", f"urn:claim-matching:{i}") for i, c in enumerate(reviews)],
        )
        matched = []
        for q in queries:
            found = find_reviewed(kb, q["text"])
            matched.append(None if found is None else int(found.stored.review.url.split(":")[-1]))
    anchor = _overlap_only(reviews)
    metrics = _scores(queries, matched)
    metrics["threshold"] = MATCH_THRESHOLD
    anchors = {"word_overlap_only_same_run": _scores(queries, [anchor(q["text"]) for q in queries])}
    return EvalResult("claim-matching", model, split, len(queries), metrics, anchors)
