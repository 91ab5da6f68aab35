"""``kiemchung eval verdict-challenge``: hand-written claim–evidence pairs outside ViFactCheck.

The set (``lab/data/verdict_challenge.jsonl``, documented in ``lab/data/SOURCE.md``) was written
for this purpose, none of it taken from a dataset, and is never used for training or choosing a
model. Its ``dev`` split is a second set written apart from it by other hands, on which models are
chosen. Its categories test the rule a verdict must follow — REFUTED needs the evidence to state
something incompatible; evidence that is silent on the claim, or a figure it never mentions, is
NOT_ENOUGH_INFO — and the traps of news text: opposite directions, figures written another way,
negations, dates, who said what.

Metrics: macro-F1 over the three verdicts, NOT_ENOUGH_INFO recall on the silent-evidence pairs,
REFUTED precision (a false REFUTED is the worst error the tool can make), and accuracy per
category. Anchor: the fast logistic model (``fast``) in the same run, when another model is under
test.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from kiemchung.errors import InputError
from kiemchung.lab.evaluation.metrics import accuracy_by_category, classification_metrics
from kiemchung.lab.evaluation.registry import EvalResult, register_evaluator
from kiemchung.lab.evaluation.vifactcheck import verdict_probabilities
from kiemchung.resources import packaged_jsonl
from kiemchung.verify.verdict import (
    ARTIFACT_NAME,
    FAST_ARTIFACT_NAME,
    VERDICTS,
    VerdictClassifier,
    shipped_verdict_model,
)

#: ``test``: the challenge set; ``dev``: pairs written apart from it, by other hands, for
#: choosing models (``kiemchung train verdict`` checks its choice there).
SETS = {"test": "verdict_challenge.jsonl", "dev": "verdict_challenge_dev.jsonl"}
SILENT = "silent_evidence"


def load_challenge(split: str = "test") -> list[dict[str, Any]]:
    return list(packaged_jsonl("kiemchung.lab", SETS[split]))


MODELS = {"verdict": ARTIFACT_NAME, "fast": FAST_ARTIFACT_NAME}


def verdicts(model: str, claims: list[str], evidences: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """``model`` — ``verdict``, ``fast``, or an artifact folder (a verdict model, or a bare
    cross-encoder) — on the pairs: class probabilities, and the verdicts the model gives (a
    verdict model's :meth:`~VerdictClassifier.decide`, a bare encoder's likeliest class)."""
    folder = Path(model)
    if model not in MODELS and (folder / "config.json").is_file():
        from kiemchung.e5.pairs import PairClassifier

        encoder = PairClassifier(folder)
        order = [encoder.labels.index(v) for v in VERDICTS]
        probs = encoder.predict_proba(list(zip(claims, evidences, strict=True)))[:, order]
        return probs, probs.argmax(axis=1)
    if model in MODELS:
        classifier = shipped_verdict_model(MODELS[model])
    elif folder.is_dir():
        classifier = VerdictClassifier.from_artifact(model)
    else:
        names = ", ".join(MODELS)
        raise InputError(f"unknown model {model!r} for verdict-challenge; use {names} or a folder")
    probs = verdict_probabilities(classifier, claims, evidences)
    return probs, classifier.decide_pairs(probs, claims, evidences)


def challenge_metrics(
    rows: list[dict[str, Any]], probs: np.ndarray, predicted: np.ndarray
) -> dict[str, Any]:
    gold = [VERDICTS.index(r["label"]) for r in rows]
    metrics = classification_metrics(gold, predicted.tolist(), VERDICTS, probs)
    silent = [i for i, r in enumerate(rows) if r["category"] == SILENT]
    nei = VERDICTS.index("NOT_ENOUGH_INFO")
    metrics["silent_evidence_nei_recall"] = round(
        float(np.mean([predicted[i] == nei for i in silent])) if silent else 0.0, 4
    )
    metrics["refuted_precision"] = metrics["per_class"]["REFUTED"]["precision"]
    metrics["accuracy_by_category"] = accuracy_by_category(
        [r["category"] for r in rows], np.asarray(predicted) == np.asarray(gold)
    )
    return metrics


@register_evaluator(
    "verdict-challenge",
    "hand-written claim/evidence pairs outside ViFactCheck: silent evidence, added figures, "
    "opposite directions, negations, dates, who said what",
    tuple(MODELS),
    splits=("test", "dev"),
)
def evaluate_verdict_challenge(model: str, split: str) -> EvalResult:
    rows = load_challenge(split)
    claims, evidences = [r["claim"] for r in rows], [r["evidence"] for r in rows]
    metrics = challenge_metrics(rows, *verdicts(model, claims, evidences))
    anchors: dict[str, Any] = {}
    if model != "fast":
        anchor = challenge_metrics(rows, *verdicts("fast", claims, evidences))
        anchors["fast_same_run"] = {
            key: anchor[key]
            for key in ("macro_f1", "silent_evidence_nei_recall", "refuted_precision")
        }
    return EvalResult("verdict-challenge", model, split, len(rows), metrics, anchors)
