"""``kiemchung eval criticism``: sharp but civil criticism must come out CLEAN.

40 hand-written comments (``moderation/data/criticism_clean.jsonl``) criticise policies, officials
and companies without insult or identity attack. The metric is the share labelled CLEAN; the plain
TF-IDF baseline is scored in the same run beside it.
"""

from __future__ import annotations

import json
from importlib.resources import files

import numpy as np

from kiemchung.evaluation.registry import EvalResult, register_evaluator
from kiemchung.evaluation.toxicity_models import load_toxicity_model, predict_labels
from kiemchung.models.hate_speech_baseline import fit_vihsd_baseline


def load_criticism_set() -> list[str]:
    path = files("kiemchung.moderation") / "data" / "criticism_clean.jsonl"
    return [
        json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line
    ]


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
