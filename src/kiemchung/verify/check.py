"""``kiemchung.check(text, kb=None)``: each check-worthy claim, its evidence and a verdict.

For every CHECKWORTHY sentence: retrieve passages from the knowledge base (the bundled demo base
of 894 ViFactCheck news articles when none is given), pick the run of up to three consecutive
sentences that covers the claim's words best, rare words counting more (sentence-level
re-ranking: whole passages confuse the verdict model), and ask the verdict model, which also
reads the claim against the whole document the evidence came from (what it never says). The finding
carries the verdict, the evidence passage as a citation (source, title, url, date, and the
evidence's span inside the passage). With no passage found the verdict is NOT_ENOUGH_INFO — a
first-class answer, said plainly.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kiemchung.core import Citation, Document, Finding, Report
from kiemchung.embed import cache_dir_from_env
from kiemchung.resources import packaged_path
from kiemchung.text.diacritics import folded_words
from kiemchung.text.inputs import require_text
from kiemchung.verify.claims import claims
from kiemchung.verify.kb import KnowledgeBase
from kiemchung.verify.kb.ingest import SourceDocument, read_sources
from kiemchung.verify.kb.store import Passage
from kiemchung.verify.matching import ReviewMatch, find_reviewed
from kiemchung.verify.retrieve import best_window, search

#: Passages retrieved per claim, and the most consecutive sentences of one that make its
#: evidence. Chosen on ViFactCheck dev with the verdict model trained on retrieved evidence and
#: cross-fitted (5 folds): 3 passages / 2 sentences 0.557, 3 / 3 0.584, 5 / 2 0.587, 5 / 3 0.599
#: macro-F1 through the whole pipeline. (With the gold-trained model and a coverage floor, the
#: previous design, 0.555.) Since then the window's words are weighted by their IDF in the base
#: (with the context features, 10 CV shuffles: 0.6078 → 0.6182).
RETRIEVED_PASSAGES = 5
EVIDENCE_SENTENCES = 3
#: Windows the cross-encoder judges per claim: each costs one run of it.
JUDGED_WINDOWS = 3
#: The model ``check`` judges with by default: the logistic model trained on retrieved evidence
#: and the hand-written pairs (chosen by cross-fitting on ViFactCheck dev and on the hand-written
#: dev pairs, with its own REFUTED threshold). ``encoder=True`` judges with the verdict model
#: that reads the cross-encoder (needs the [e5] extra); it was trained on gold evidence and has
#: not yet been chosen on dev for retrieved windows (docs/RESULTS.md has its test figure).
CHECK_MODEL = "vifactcheck-verdict-retrieved"
ENCODER_CHECK_MODEL = "vifactcheck-verdict"
#: Built by ``python -m kiemchung.lab.demo_reviews`` (the lab: it reads the staged data).
DEMO_REVIEWS_FILE = "vifactcheck_dev_reviews.jsonl"


def cache_dir() -> Path:
    """``$KIEMCHUNG_CACHE_DIR``, else ``~/.cache/kiemchung``: where the demo base is built."""
    return Path(cache_dir_from_env() or Path.home() / ".cache" / "kiemchung")


def demo_reviews_path() -> Path:
    """The bundled claim reviews of the demo base: ViFactCheck's dev claims (MIT)."""
    return packaged_path("kiemchung.verify", DEMO_REVIEWS_FILE)


def demo_corpus_documents() -> list[SourceDocument]:
    """The 894 bundled ViFactCheck articles (MIT) the demo base and the retrieval eval index."""
    return read_sources([packaged_path("kiemchung.verify", "vifactcheck_evidence.jsonl")]).documents


@lru_cache(maxsize=1)
def demo_knowledge_base() -> KnowledgeBase:
    """The bundled ViFactCheck articles and dev-claim reviews as a lexical knowledge base, built
    once (a few seconds)."""
    from kiemchung.verify.claimreview import read_claim_reviews
    from kiemchung.verify.kb.reviews import add_reviews

    target = cache_dir() / "vifactcheck-demo-v2.kb"
    if not target.is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(f".{os.getpid()}.partial")
        with KnowledgeBase.create(partial) as kb:
            kb.add(demo_corpus_documents(), batch_size=256)
            add_reviews(kb, read_claim_reviews([demo_reviews_path()], on_error="reject").reviews)
        partial.replace(target)  # atomic: a half-built base is never opened
    return KnowledgeBase(target)


@dataclass(frozen=True)
class FoundEvidence:
    """The evidence a claim is judged on: a span of one passage, and the whole text of the
    document that passage belongs to (the verdict model's context)."""

    passage: Passage
    start: int
    end: int
    context: str

    @property
    def text(self) -> str:
        return self.passage.text[self.start : self.end]


def review_finding(match: ReviewMatch, sentence: Finding) -> Finding:
    """The verdict a fact-checker already gave a claim, citing and linking the review."""
    review = match.stored.review
    publisher = review.publisher or "a fact-checker"
    return Finding(
        "verdict",
        review.verdict,
        match.similarity,
        span=sentence.span,
        explanation=f'Already reviewed by {publisher}: rated "{review.rating}".',
        explanation_vi=f'Đã được {publisher} kiểm chứng: đánh giá "{review.rating}".',
        evidence=(
            Citation(
                source=publisher,
                passage=review.claim,
                url=review.url,
                title=f"ClaimReview: {review.rating}",
                date=review.published or None,
            ),
        ),
        data={
            "claim_review": review.to_jsonld(),
            "similarity": match.similarity,
            "word_overlap": match.lexical,
            "checkworthiness": sentence.data["checkworthiness"],
        },
    )


def candidate_evidence(
    kb: KnowledgeBase, claim: str, k: int = RETRIEVED_PASSAGES
) -> list[FoundEvidence]:
    """The best sentence window of each of the top ``k`` passages, the windows that cover most
    of the claim's words first (each word counted by its IDF in the base)."""
    mode = "hybrid" if kb.embedder is not None else "lexical"
    words = set(folded_words(claim))
    scored = []
    for hit in search(kb, claim, k=k, mode=mode):
        value, start, end = best_window(words, hit.passage.text, EVIDENCE_SENTENCES, kb.idf)
        scored.append((value, hit.passage, start, end))
    scored.sort(key=lambda row: -row[0])  # stable: equal windows keep the search's order
    return [
        FoundEvidence(passage, start, end, kb.document_text(passage.document_id))
        for _, passage, start, end in scored
    ]


def find_evidence(
    kb: KnowledgeBase, claim: str, k: int = RETRIEVED_PASSAGES
) -> FoundEvidence | None:
    """The window that covers the claim best (what the fast model judges on), if any."""
    found = candidate_evidence(kb, claim, k)
    return found[0] if found else None


def judge(
    claim: str, candidates: list[FoundEvidence], model_name: str
) -> tuple[Finding, list[FoundEvidence]]:
    """The verdict on ``claim`` and the windows it rests on.

    The verdict model judges up to :data:`JUDGED_WINDOWS` windows. A window that SUPPORTS the
    claim wins; else one that REFUTES it; else the answer is NOT_ENOUGH_INFO, citing the window
    that covers the claim best. The verdict cites every window that agrees with it, surest
    first. Support comes first because a false REFUTED is the worst error the tool can make: a
    retrieved passage that shares the claim's words while being about another figure, place or
    year looks like a contradiction, and one that states the claim outweighs it. The default
    model judges the best-covering window only.
    """
    from kiemchung.verify.verdict import verify_pair

    shown = candidates[: JUDGED_WINDOWS if model_name == ENCODER_CHECK_MODEL else 1]
    judged = [(verify_pair(claim, c.text, None, model_name, c.context), c) for c in shown]
    for label in ("SUPPORTED", "REFUTED"):
        agreeing = sorted((p for p in judged if p[0].label == label), key=lambda p: -p[0].score)
        if agreeing:
            return agreeing[0][0], [c for _, c in agreeing]
    return judged[0][0], [judged[0][1]]


def citation(found: FoundEvidence) -> Citation:
    passage = found.passage
    return Citation(
        source=passage.source or "knowledge base",
        passage=passage.text,
        url=passage.url or None,
        title=passage.title or None,
        date=passage.published or None,
        passage_span=(found.start, found.end),
    )


def check(
    text: str,
    kb: KnowledgeBase | None = None,
    k: int = RETRIEVED_PASSAGES,
    use_reviews: bool = True,
    encoder: bool = False,
) -> Report:
    """A report with, per check-worthy sentence, a verdict finding that cites its evidence.

    A claim a fact-checker has already reviewed (a ClaimReview in the knowledge base, matched
    as the same claim in other words) is answered with that review's rating and link; the others
    are judged against retrieved passages (:func:`judge`). ``use_reviews=False`` skips the
    first step. ``encoder=True`` judges the best windows with the verdict model that reads the
    cross-encoder (:data:`ENCODER_CHECK_MODEL`, the ``[e5]`` extra).
    """
    started = time.perf_counter()
    text = require_text(text)  # None, bytes that are not text, blank or absurdly large: refused
    base = kb if kb is not None else demo_knowledge_base()
    model = ENCODER_CHECK_MODEL if encoder else CHECK_MODEL
    doc = Document(text)
    findings: list[Finding] = []
    for sentence in claims(text):
        if sentence.label != "CHECKWORTHY" or sentence.span is None:
            continue
        claim = text[sentence.span[0] : sentence.span[1]]
        match = find_reviewed(base, claim) if use_reviews else None
        if match is not None:
            findings.append(review_finding(match, sentence))
            continue
        candidates = candidate_evidence(base, claim, k)
        if not candidates:
            findings.append(
                Finding(
                    "verdict",
                    "NOT_ENOUGH_INFO",
                    1.0,
                    span=sentence.span,
                    explanation="No passage in the knowledge base addresses this claim.",
                    explanation_vi="Không có đoạn nào trong cơ sở tri thức nói về nhận định này.",
                )
            )
            continue
        verdict, rests_on = judge(claim, candidates, model)
        findings.append(
            Finding(
                "verdict",
                verdict.label,
                verdict.score,
                span=sentence.span,
                explanation=verdict.explanation,
                explanation_vi=verdict.explanation_vi,
                evidence=tuple(citation(found) for found in rests_on),
                data={**verdict.data, "checkworthiness": sentence.data["checkworthiness"]},
            )
        )
    return Report(
        doc_id=doc.id,
        findings=findings,
        text_length=len(text),
        lang=doc.lang,
        timings_ms={"check": round(1000 * (time.perf_counter() - started), 1)},
    )
