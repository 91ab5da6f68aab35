"""``kiemchung eval sentiment-challenge``: hand-written social-media and news-comment texts.

The set (``lab/data/sentiment_challenge.jsonl``, documented in ``lab/data/SOURCE.md``) was written
for this purpose by helpers who saw neither the models nor their data, and is never used for
training or choosing a model. A third of it is neutral — questions, announcements, bad news
stated as fact — and it holds sarcasm, mixed texts and texts typed without diacritics or in
teencode. Sentiment is the tone of a text, never a score of its author.

Metrics: macro-F1 over NEG / NEU / POS and accuracy per category. Anchor: the plain word +
character TF-IDF SVM on the sentiment models' training data, fitted in the same run.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from kiemchung.lab.evaluation.metrics import accuracy_by_category, classification_metrics
from kiemchung.lab.evaluation.registry import EvalResult, register_evaluator
from kiemchung.lab.evaluation.sentiment import sentiment_model
from kiemchung.lab.sentiment_data import dev_without_test, labelled, training_examples
from kiemchung.lab.training.refit import same_run_anchors
from kiemchung.pulse.sentiment import LABELS, sentiment_vectors
from kiemchung.resources import packaged_jsonl

SET = "sentiment_challenge.jsonl"


def load_sentiment_challenge() -> list[dict[str, Any]]:
    return list(packaged_jsonl("kiemchung.lab", SET))


def _by_category(rows: list[dict[str, Any]], predicted: np.ndarray) -> dict[str, float]:
    right = [LABELS[int(label)] == row["label"] for row, label in zip(rows, predicted, strict=True)]
    return accuracy_by_category([r["category"] for r in rows], right)


@register_evaluator(
    "sentiment-challenge",
    "hand-written social-media and news-comment texts, a third neutral: NEG/NEU/POS macro-F1",
    ("sentiment-fast", "sentiment-accurate"),
    ("test",),
)
def evaluate_sentiment_challenge(model: str, split: str) -> EvalResult:
    classifier, embedder = sentiment_model("sentiment-challenge", model)
    rows = load_sentiment_challenge()
    texts, gold = [r["text"] for r in rows], [LABELS.index(r["label"]) for r in rows]
    vectors = sentiment_vectors(texts, embedder) if embedder is not None else None
    probs = classifier.predict_proba(texts, vectors)
    predicted = classifier.predict_from_proba(probs)
    metrics = classification_metrics(gold, predicted.tolist(), LABELS, probs)
    metrics["accuracy_by_category"] = _by_category(rows, predicted)
    train = labelled(training_examples()[0])
    plains = same_run_anchors("tfidf_svm", train, lambda: train + dev_without_test(), split)
    anchors: dict[str, Any] = {}
    for key, plain in plains.items():
        plain_predicted = np.asarray(plain.predict(texts))
        anchors[key] = {
            "macro_f1": classification_metrics(gold, plain_predicted.tolist(), LABELS)["macro_f1"],
            "accuracy_by_category": _by_category(rows, plain_predicted),
        }
    return EvalResult("sentiment-challenge", model, split, len(rows), metrics, anchors)
