"""``kiemchung eval sentiment``: NEG / NEU / POS on UIT-VSFC, UIT-ViSFD and AIVIVN 2019.

Each set is reported on its own (they are different registers): UIT-VSFC with its three labels
(the headline figure: macro-F1, and the weighted F1 most papers report), UIT-ViSFD with the
overall polarity of its aspect annotations (``sentiment_data.overall_polarity``), and AIVIVN
2019 — positive or negative only, third-party test labels, no dev split — by whether the model
finds the text more positive than negative. The anchor, fitted in the same run on the same
training data: a plain word + character TF-IDF linear SVM.
"""

from __future__ import annotations

import numpy as np
from sklearn.metrics import f1_score

from kiemchung.evaluation.metrics import classification_metrics
from kiemchung.evaluation.registry import EvalResult, register_evaluator, shipped_or_artifact
from kiemchung.models.calibrated_text import CalibratedTextClassifier
from kiemchung.models.tfidf_linear import TfidfLinearClassifier
from kiemchung.pulse.sentiment import shipped_sentiment_model
from kiemchung.pulse.sentiment_data import EVALUATION_SPLITS, LABELS, examples, training_examples

PUBLISHED = {
    "UIT-VSFC MaxEnt (paper) sentiment F1": 0.88,
    "UIT-VSFC PhoBERT-family weighted F1": 0.93,
}
NEG, POS = LABELS.index("NEG"), LABELS.index("POS")


def _figures(gold: list[int], predicted: np.ndarray, scores: np.ndarray | None = None):
    """Macro and weighted F1; with ``scores`` (per label) the binary AIVIVN reading: positive or
    negative, whichever the model scores higher."""
    labels = list(range(len(LABELS)))
    if scores is not None:
        predicted, labels = np.where(scores[:, POS] >= scores[:, NEG], POS, NEG), [NEG, POS]
    return {
        "macro_f1": round(float(f1_score(gold, predicted, labels=labels, average="macro")), 4),
        "weighted_f1": round(
            float(f1_score(gold, predicted, labels=labels, average="weighted")), 4
        ),
        "n": len(gold),
    }


@register_evaluator(
    "sentiment",
    "NEG/NEU/POS: UIT-VSFC (headline), UIT-ViSFD (annotated), AIVIVN 2019 (binary, test)",
    ("sentiment-fast",),
)
def evaluate_sentiment(model: str, split: str) -> EvalResult:
    classifier = shipped_or_artifact(
        "sentiment",
        model,
        {"sentiment-fast": shipped_sentiment_model},
        CalibratedTextClassifier.from_artifact,
    )
    chosen, _ = training_examples()
    plain = TfidfLinearClassifier().fit([e.text for e in chosen], [e.label for e in chosen])
    metrics: dict = {}
    anchors: dict = {"tfidf_svm_same_run": {}, "published_test": PUBLISHED}
    total = 0
    for name, splits in EVALUATION_SPLITS.items():
        if split not in splits:
            continue
        rows = examples(name, splits[split])
        texts, gold = [e.text for e in rows], [e.label for e in rows]
        probs = classifier.predict_proba(texts)
        predicted = classifier.predict_from_proba(probs)
        binary = name == "aivivn2019_sa"  # positive / negative only
        if name == "uit_vsfc":
            metrics.update(classification_metrics(gold, predicted.tolist(), LABELS, probs))
            metrics["weighted_f1"] = _figures(gold, predicted)["weighted_f1"]
        metrics[name] = _figures(gold, predicted, probs if binary else None)
        scores = plain.decision_function(texts) if binary else None
        anchor = _figures(gold, plain.predict(texts), scores)
        anchors["tfidf_svm_same_run"][f"{name}_macro_f1"] = anchor["macro_f1"]
        total += len(rows)
    return EvalResult("sentiment", model, split, total, metrics, anchors)
