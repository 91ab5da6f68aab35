"""The ViHSD TF-IDF + linear SVM baseline: trained, saved, and measured the same way everywhere.

It is the anchor later moderation models must beat, so ``kiemchung eval`` refits it in the same
run rather than quoting a stored number. Hyper-parameters (C, class weights) were chosen on ViHSD
dev; test is only reported.
"""

from __future__ import annotations

from pathlib import Path

from kiemchung.lab import datasets
from kiemchung.lab.evaluation.metrics import classification_metrics
from kiemchung.lab.training.registry import register_trainer
from kiemchung.models.artifact import describe_data_file
from kiemchung.models.tfidf_linear import TfidfLinearClassifier

VIHSD_LABELS = ("CLEAN", "OFFENSIVE", "HATE")
NAME = "vihsd-tfidf-svm"
VERSION = "1"


def fit_vihsd_baseline(train: list[datasets.LabeledText] | None = None) -> TfidfLinearClassifier:
    """Fit the baseline on the official ViHSD train split (deterministic)."""
    train = train if train is not None else datasets.load("vihsd", "train")
    return TfidfLinearClassifier().fit([r.text for r in train], [r.label for r in train])


@register_trainer("vihsd-baseline", "word+char TF-IDF linear SVM on ViHSD train (the anchor)")
def train_vihsd_baseline(out_dir: Path) -> Path:
    train = datasets.load("vihsd", "train")
    model = fit_vihsd_baseline(train)
    dev = datasets.load("vihsd", "dev")
    scores = model.decision_function([r.text for r in dev])
    metrics = classification_metrics(
        [r.label for r in dev], scores.argmax(axis=1).tolist(), VIHSD_LABELS, scores
    )
    train_path = datasets.dataset_path("vihsd", "train")
    artifact = model.to_artifact(
        NAME,
        VERSION,
        metrics={"dev": metrics},
        training_data=[describe_data_file(train_path, len(train))],
    )
    target = out_dir / NAME
    artifact.save(target)
    return target
