"""The verdict challenge set and its metrics."""

from __future__ import annotations

from collections import Counter

import numpy as np

from kiemchung.lab.evaluation.verdict_challenge import SILENT, challenge_metrics, load_challenge
from kiemchung.verify.verdict import VERDICTS


def test_the_set_is_balanced_and_holds_every_required_category() -> None:
    rows = load_challenge()
    assert len(rows) >= 240
    labels = Counter(r["label"] for r in rows)
    assert set(labels) == set(VERDICTS) and min(labels.values()) >= 80
    categories = Counter(r["category"] for r in rows)
    for needed in (SILENT, "added_figure", "different_figure", "opposite_direction"):
        assert categories[needed] >= 20, needed
    for needed in ("paraphrase_numbers", "negation", "dates", "who_said"):
        assert categories[needed] >= 12, needed
    assert all(r["label"] == "NOT_ENOUGH_INFO" for r in rows if r["category"] == SILENT)
    assert len({r["id"] for r in rows}) == len(rows)


def test_the_metrics_count_silent_evidence_and_refuted_precision() -> None:
    rows = [
        {"label": "NOT_ENOUGH_INFO", "category": SILENT},
        {"label": "NOT_ENOUGH_INFO", "category": SILENT},
        {"label": "REFUTED", "category": "different_figure"},
        {"label": "SUPPORTED", "category": "paraphrase"},
    ]
    # predicts NEI, REFUTED (wrong), REFUTED, SUPPORTED
    probs = np.eye(3)[[2, 1, 1, 0]]
    metrics = challenge_metrics(rows, probs, probs.argmax(axis=1))
    assert metrics["silent_evidence_nei_recall"] == 0.5
    assert metrics["refuted_precision"] == 0.5
    assert metrics["accuracy_by_category"] == {
        "different_figure": 1.0,
        "paraphrase": 1.0,
        SILENT: 0.5,
    }
