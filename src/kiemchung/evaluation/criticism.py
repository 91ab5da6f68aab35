"""``kiemchung eval criticism``: sharp but civil criticism must come out CLEAN.

40 hand-written comments (``moderation/data/criticism_clean.jsonl``) criticise policies, officials
and companies without insult or identity attack. The metric is the share labelled CLEAN; the plain
TF-IDF baseline is scored in the same run beside it.
"""

from __future__ import annotations

import numpy as np

from kiemchung.evaluation.packaged import packaged_jsonl
from kiemchung.evaluation.registry import EvalResult, register_evaluator
from kiemchung.evaluation.toxicity_models import load_toxicity_model, predict_labels
from kiemchung.models.hate_speech_baseline import fit_vihsd_baseline


def load_criticism_set() -> list[str]:
    return [row["text"] for row in packaged_jsonl("kiemchung.moderation", "criticism_clean.jsonl")]


@register_evaluator(
    "criticism",
    "hand-written civil criticism of authorities: share labelled CLEAN",
    ("toxicity-fast", "toxicity-accurate"),
    ("test",),
)
def evaluate_criticism(model: str, split: str) -> EvalResult:
    texts = load_criticism_set()
    predicted = np.asarray(predict_labels(load_toxicity_model(model), texts)[0])
    baseline = fit_vihsd_baseline().predict(texts)
    metrics = {"clean_rate": round(float((predicted == 0).mean()), 4)}
    anchors = {"tfidf_svm_same_run": {"clean_rate": round(float((baseline == 0).mean()), 4)}}
    return EvalResult("criticism", model, split, len(texts), metrics, anchors)
