"""``kiemchung eval vihsd``: hate/offensive speech classification on ViHSD (CLEAN/OFFENSIVE/HATE).

Models: ``tfidf-svm`` (refit here from ViHSD train, the anchor), or the path of a saved
TF-IDF artifact folder (``kiemchung train vihsd-baseline``). Published figures ride along as
anchors so the table shows where a model stands.
"""

from __future__ import annotations

from pathlib import Path

from kiemchung import datasets
from kiemchung.errors import InputError
from kiemchung.evaluation.metrics import classification_metrics
from kiemchung.evaluation.registry import EvalResult, register_evaluator
from kiemchung.models.hate_speech_baseline import VIHSD_LABELS, fit_vihsd_baseline
from kiemchung.models.tfidf_linear import TfidfLinearClassifier

#: Published ViHSD test macro-F1 (see ../shared/data/vihsd/SOURCE.md and the moderation issue).
PUBLISHED = {"PhoBERT-large": 0.6514, "ViSoBERT": 0.6877, "visobert-14gb": 0.6957}


def _load_model(model: str) -> TfidfLinearClassifier:
    if model == "tfidf-svm":
        return fit_vihsd_baseline()
    if Path(model).is_dir():
        return TfidfLinearClassifier.from_artifact(model)
    raise InputError(f"unknown model {model!r} for vihsd; use tfidf-svm or an artifact folder")


@register_evaluator("vihsd", "ViHSD hate/offensive speech, macro-F1 over 3 classes", ("tfidf-svm",))
def evaluate_vihsd(model: str, split: str) -> EvalResult:
    classifier = _load_model(model)
    records = datasets.load("vihsd", split)
    scores = classifier.decision_function([r.text for r in records])
    metrics = classification_metrics(
        [r.label for r in records], scores.argmax(axis=1).tolist(), VIHSD_LABELS, scores
    )
    anchors = {"published_macro_f1_test": PUBLISHED}
    return EvalResult("vihsd", model, split, len(records), metrics, anchors)
