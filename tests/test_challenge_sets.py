"""The hand-written toxicity and sentiment challenge sets, and their evaluators."""

from __future__ import annotations

from collections import Counter

import numpy as np

from kiemchung.lab.evaluation.sentiment_challenge import load_sentiment_challenge
from kiemchung.lab.evaluation.toxicity_challenge import (
    LABELS,
    challenge_figures,
    load_toxicity_challenge,
)
from kiemchung.text.diacritics import diacritic_ratio


def test_the_toxicity_set_holds_what_issue_29_asks_for() -> None:
    rows = load_toxicity_challenge()
    texts = [r["text"] for r in rows]
    assert len(rows) >= 200 and len(set(texts)) == len(texts)
    assert {r["label"] for r in rows} == set(LABELS)
    assert sum(bool(r["threat"]) for r in rows) >= 40
    assert all(r["label"] == "HATE" for r in rows if r["threat"])  # a threat targets someone
    criticism = [r for r in rows if r["category"] == "civil_criticism"]
    assert len(criticism) >= 40 and all(r["label"] == "CLEAN" for r in criticism)
    abusive_plain = [  # insults typed without diacritics or in teencode
        r for r in rows if r["label"] != "CLEAN" and (diacritic_ratio(r["text"]) or 0.0) < 0.2
    ]
    assert len(abusive_plain) >= 20


def test_the_sentiment_set_is_a_third_neutral() -> None:
    rows = load_sentiment_challenge()
    texts = [r["text"] for r in rows]
    assert len(rows) >= 150 and len(set(texts)) == len(texts)
    counts = Counter(r["label"] for r in rows)
    assert set(counts) == {"NEG", "NEU", "POS"} and counts["NEU"] * 3 >= len(rows) - 3


def test_challenge_figures_count_threats_criticism_and_toxicity() -> None:
    rows = [
        {"text": "tao biết nhà mày, liệu hồn", "label": "HATE", "threat": True, "category": "t"},
        {"text": "Mày coi chừng đấy", "label": "HATE", "threat": True, "category": "t"},
        {"text": "Bộ cần sửa luật này", "label": "CLEAN", "category": "civil_criticism"},
        {"text": "Phường làm việc quá chậm", "label": "CLEAN", "category": "civil_criticism"},
        {"text": "vcl tắc đường", "label": "OFFENSIVE", "category": "vulgar"},
    ]
    predicted = np.array([2, 2, 0, 2, 0])  # the second threat has no THREAT phrase
    figures = challenge_figures(rows, predicted)
    assert figures["threat_recall"] == 0.5  # flagged and with a threat phrase: the first only
    assert figures["criticism_clean_rate"] == 0.5
    assert figures["toxic_f1"] == round(2 * 2 / (2 * 2 + 1 + 1), 4)  # tp 2, fp 1, fn 1
    assert figures["accuracy_by_category"] == {"civil_criticism": 0.5, "t": 1.0, "vulgar": 0.0}


def test_the_toxicity_challenge_evaluates_the_fast_model_beside_tf_idf() -> None:
    from kiemchung.lab.evaluation.registry import run_evaluation

    result = run_evaluation("toxicity-challenge", "toxicity-fast", "test")
    assert result.n == len(load_toxicity_challenge())
    for metrics in (result.metrics, result.anchors["tfidf_svm_same_run"]):
        assert 0 <= metrics["macro_f1"] <= 1 and 0 <= metrics["threat_recall"] <= 1
