"""``kiemchung eval toxicity-challenge``: hand-written texts in the registers moderators meet.

The set (``lab/data/toxicity_challenge.jsonl``, documented in ``lab/data/SOURCE.md``) was written
for this purpose by helpers who saw neither the models nor their data, and is never used for
training or choosing a model. It holds threats and their look-alikes (a lawsuit, a vote, sports
talk), civil criticism of officials and policies that must stay CLEAN, insults and group attacks
typed with and without diacritics or in teencode, vulgar exclamations aimed at no one, and
ordinary chat.

Metrics: macro-F1 over CLEAN / OFFENSIVE / HATE; F1 of toxic-or-not (OFFENSIVE or HATE against
CLEAN); recall of the threats, counted as flagged when the THREAT rule's phrases
(:mod:`kiemchung.moderation.threats`) are found and the model flags the text; the share of civil
criticism kept CLEAN; accuracy per category. Anchor: the plain TF-IDF SVM fitted on ViHSD in the
same run.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.metrics import f1_score

from kiemchung.lab.evaluation.metrics import accuracy_by_category, classification_metrics
from kiemchung.lab.evaluation.registry import EvalResult, register_evaluator
from kiemchung.lab.evaluation.toxicity_models import load_toxicity_model, predict_labels
from kiemchung.moderation.threats import threat_cues
from kiemchung.resources import packaged_jsonl

LABELS = ("CLEAN", "OFFENSIVE", "HATE")
SET = "toxicity_challenge.jsonl"
CRITICISM = "civil_criticism"


def load_toxicity_challenge() -> list[dict[str, Any]]:
    return list(packaged_jsonl("kiemchung.lab", SET))


def challenge_figures(rows: list[dict[str, Any]], predicted: np.ndarray) -> dict[str, Any]:
    """The set's figures for predicted label indices (into :data:`LABELS`), one per row."""
    gold = np.array([LABELS.index(r["label"]) for r in rows])
    predicted = np.asarray(predicted)
    threats = np.array([bool(r.get("threat")) for r in rows])
    cued = np.array([bool(threat_cues(r["text"])) for r in rows])
    categories = [r["category"] for r in rows]
    criticism = np.array([c == CRITICISM for c in categories])
    return {
        "toxic_f1": round(float(f1_score(gold > 0, predicted > 0)), 4),
        "threat_recall": round(float((cued & (predicted > 0))[threats].mean()), 4),
        "criticism_clean_rate": round(float((predicted[criticism] == 0).mean()), 4),
        "accuracy_by_category": accuracy_by_category(categories, gold == predicted),
    }


@register_evaluator(
    "toxicity-challenge",
    "hand-written moderation challenge set (threats, civil criticism, insults typed without"
    " diacritics or in teencode, vulgarity, chat): macro-F1, toxic F1, threat recall",
    ("toxicity-fast", "toxicity-accurate"),
    ("test",),
)
def evaluate_toxicity_challenge(model: str, split: str) -> EvalResult:
    rows = load_toxicity_challenge()
    texts = [r["text"] for r in rows]
    gold = [LABELS.index(r["label"]) for r in rows]
    predicted = np.asarray(predict_labels(load_toxicity_model(model), texts)[0])
    metrics = classification_metrics(gold, predicted.tolist(), LABELS)
    metrics.update(challenge_figures(rows, predicted))
    baseline = np.asarray(load_toxicity_model("tfidf-svm").predict(texts))
    anchor = classification_metrics(gold, baseline.tolist(), LABELS)
    anchors = {"tfidf_svm_same_run": {"macro_f1": anchor["macro_f1"]}}
    anchors["tfidf_svm_same_run"].update(challenge_figures(rows, baseline))
    return EvalResult("toxicity-challenge", model, split, len(rows), metrics, anchors)
