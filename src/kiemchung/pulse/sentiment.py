"""The ``sentiment`` analyzer: NEG, NEU or POS for a whole text, with its calibrated probability.

One calibrated TF-IDF model (``kiemchung train sentiment``) learned from student feedback
(UIT-VSFC) and product and phone reviews (AIVIVN 2019, UIT-ViSFD), so it reads both complaints and
praise in the registers Pulse meets. It is the tone of the text — never a score of its author.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from kiemchung.core import Document, Finding, named_probabilities
from kiemchung.models.calibrated_text import CalibratedTextClassifier
from kiemchung.pipeline import BatchAnalyzer
from kiemchung.pulse.sentiment_data import LABELS

ARTIFACT_NAME = "sentiment-fast"
_REASONS = {
    "NEG": ("The text reads as negative", "Văn bản mang sắc thái tiêu cực"),
    "NEU": ("The text reads as neutral", "Văn bản mang sắc thái trung tính"),
    "POS": ("The text reads as positive", "Văn bản mang sắc thái tích cực"),
}


@lru_cache(maxsize=1)
def shipped_sentiment_model() -> CalibratedTextClassifier:
    return CalibratedTextClassifier.from_artifact(
        Path(str(files("kiemchung.pulse") / "artifacts")) / ARTIFACT_NAME
    )


class SentimentAnalyzer(BatchAnalyzer):
    """Whole-text sentiment from the shipped model (thousands of texts a second)."""

    name = "sentiment"

    def __init__(self) -> None:
        self.model = shipped_sentiment_model()
        self.version = self.model.artifact_version_

    def analyze_many(self, docs: Sequence[Document]) -> list[list[Finding]]:
        probs = self.model.predict_proba([d.norm for d in docs])
        labels = self.model.predict_from_proba(probs)
        findings = []
        for p, k in zip(probs, labels, strict=True):
            label = LABELS[int(k)]
            english, vietnamese = _REASONS[label]
            findings.append(
                [
                    Finding(
                        self.name,
                        label,
                        round(float(p[k]), 4),
                        explanation=f"{english} ({p[k]:.0%}).",
                        explanation_vi=f"{vietnamese} ({p[k]:.0%}).",
                        data={"probabilities": named_probabilities(LABELS, p)},
                    )
                ]
            )
        return findings
