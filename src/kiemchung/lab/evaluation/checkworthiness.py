"""``kiemchung eval checkworthiness``: ``kiemchung.claims`` on the hand-labelled sentence set.

The set (``lab/data/checkworthiness.jsonl``, documented in ``lab/data/SOURCE.md``) holds
news sentences and social-media posts labelled CHECKWORTHY or NOT_CHECKWORTHY. Its ``dev`` third
may be used to set the scorer's threshold; ``test`` is only reported. Two anchors run on the same
sentences: "any sentence with a digit is check-worthy" (the cheapest signal) and "every sentence is
check-worthy" (what a tool without this step does).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import numpy as np

from kiemchung.errors import InputError
from kiemchung.lab.evaluation.metrics import classification_metrics
from kiemchung.lab.evaluation.registry import EvalResult, register_evaluator
from kiemchung.resources import packaged_jsonl
from kiemchung.text.diacritics import fold_accents
from kiemchung.verify.claims import THRESHOLD, score_sentence

LABELS = ("NOT_CHECKWORTHY", "CHECKWORTHY")
_DIGIT = re.compile(r"\d")


def load_checkworthiness_set(split: str) -> list[dict]:
    rows = packaged_jsonl("kiemchung.lab", "checkworthiness.jsonl")
    return [r for r in rows if r["split"] == split]


def _summary(gold: Sequence[int], predicted: Sequence[int], scores: np.ndarray | None = None):
    metrics = classification_metrics(gold, predicted, LABELS, scores)
    worthy = metrics["per_class"]["CHECKWORTHY"]
    return metrics, {
        "macro_f1": metrics["macro_f1"],
        "CHECKWORTHY_precision": worthy["precision"],
        "CHECKWORTHY_recall": worthy["recall"],
        "CHECKWORTHY_f1": worthy["f1"],
    }


@register_evaluator(
    "checkworthiness",
    "check-worthy sentences: 309 hand-labelled news sentences and posts",
    ("rules",),
)
def evaluate_checkworthiness(model: str, split: str) -> EvalResult:
    if model != "rules":
        raise InputError(f"unknown model {model!r} for checkworthiness; use rules")
    rows = load_checkworthiness_set(split)
    gold = [int(r["label"] == "CHECKWORTHY") for r in rows]
    worthiness = np.array([score_sentence(r["text"])[0] for r in rows])
    predicted = (worthiness >= THRESHOLD).astype(int).tolist()
    metrics, _ = _summary(gold, predicted, np.column_stack([1 - worthiness, worthiness]))
    metrics["threshold"] = THRESHOLD
    by_source: dict[str, Any] = {}
    for source in sorted({r["source"] for r in rows}):
        idx = [i for i, r in enumerate(rows) if r["source"] == source]
        _, by_source[source] = _summary([gold[i] for i in idx], [predicted[i] for i in idx])
    metrics["by_source"] = by_source
    # Robustness: the same sentences typed without diacritics, as many posts are.
    folded = np.array([score_sentence(fold_accents(r["text"], lower=False))[0] for r in rows])
    metrics["no_diacritics"] = _summary(gold, (folded >= THRESHOLD).astype(int).tolist())[1]
    anchors = {
        "any_digit_same_run": _summary(gold, [int(bool(_DIGIT.search(r["text"]))) for r in rows])[
            1
        ],
        "every_sentence_same_run": _summary(gold, [1] * len(rows))[1],
    }
    return EvalResult("checkworthiness", model, split, len(rows), metrics, anchors)
