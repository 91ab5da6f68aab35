"""Classification metrics under scikit-learn's names, in one JSON-ready dictionary.

Every evaluator reports through :func:`classification_metrics` so figures are comparable across
tasks and with published results: ``macro_f1``, ``accuracy``, per-class ``precision``/``recall``/
``f1``/``support``, and ``roc_auc`` (macro one-vs-rest) when scores are given.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.metrics import accuracy_score, f1_score, precision_recall_fscore_support, roc_auc_score

from kiemchung.lab.datasets import dataset_path


def classification_metrics(
    y_true: Sequence[int],
    y_pred: Sequence[int],
    label_names: Sequence[str],
    scores: np.ndarray | None = None,
) -> dict[str, Any]:
    """Metrics for labels ``0..len(label_names)-1``; ``scores`` is [n, n_classes] if given."""
    labels = list(range(len(label_names)))
    true, pred = np.asarray(y_true), np.asarray(y_pred)
    precision, recall, f1, support = precision_recall_fscore_support(
        true, pred, labels=labels, zero_division=0
    )
    metrics: dict[str, Any] = {
        "macro_f1": round(float(f1_score(true, pred, labels=labels, average="macro")), 4),
        "accuracy": round(float(accuracy_score(true, pred)), 4),
        "per_class": {
            name: {
                "precision": round(float(precision[i]), 4),
                "recall": round(float(recall[i]), 4),
                "f1": round(float(f1[i]), 4),
                "support": int(support[i]),
            }
            for i, name in enumerate(label_names)
        },
    }
    if scores is not None and len(set(true.tolist())) > 1:
        aucs = [
            roc_auc_score(true == c, scores[:, c])
            for c in labels
            if 0 < (true == c).sum() < len(true)
        ]
        metrics["roc_auc"] = round(float(np.mean(aucs)), 4)
    return metrics


def trained_on(model: object, dataset: str, split: str) -> bool:
    """Whether a model loaded from an artifact was fitted on this split (its manifest lists the
    file), so that figures on it are in-sample — e.g. dev, once a shipped model is refitted on
    train + dev."""
    path = dataset_path(dataset, split)
    return f"{path.parent.name}/{path.name}" in getattr(model, "training_files_", ())


def accuracy_by_category(categories: Sequence[str], right: Sequence[bool]) -> dict[str, float]:
    """The share of right answers within each category of a hand-written set, by name."""
    hits: dict[str, list[bool]] = {}
    for category, hit in zip(categories, right, strict=True):
        hits.setdefault(category, []).append(bool(hit))
    return {name: round(float(np.mean(h)), 4) for name, h in sorted(hits.items())}
