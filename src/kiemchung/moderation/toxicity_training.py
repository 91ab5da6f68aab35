"""``kiemchung train toxicity``: the fast CLEAN / OFFENSIVE / HATE model on ViHSD train.

Hyper-parameters (C, folded-text augmentation) were chosen on ViHSD dev against the plain TF-IDF
baseline; calibration and decision offsets come from out-of-fold scores on train. The manifest
records the data hashes, the out-of-fold and dev figures.
"""

from __future__ import annotations

from pathlib import Path

from kiemchung import datasets
from kiemchung.evaluation.metrics import classification_metrics
from kiemchung.models.artifact import describe_data_file
from kiemchung.models.training import register_trainer
from kiemchung.moderation.toxicity import LABELS, ToxicityClassifier

NAME = "vihsd-toxicity-fast"
VERSION = "1"


@register_trainer("toxicity", "fast CLEAN/OFFENSIVE/HATE model: calibrated TF-IDF SVM on ViHSD")
def train_toxicity(out_dir: Path) -> Path:
    train, dev = datasets.load("vihsd", "train"), datasets.load("vihsd", "dev")
    model = ToxicityClassifier().fit([r.text for r in train], [r.label for r in train])
    probs = model.predict_proba([r.text for r in dev])
    dev_metrics = classification_metrics(
        [r.label for r in dev], model.predict_from_proba(probs).tolist(), LABELS, probs
    )
    artifact = model.to_artifact(
        NAME,
        VERSION,
        metrics={"oof_macro_f1": round(model.oof_macro_f1_, 4), "dev": dev_metrics},
        training_data=[describe_data_file(datasets.dataset_path("vihsd", "train"), len(train))],
    )
    target = out_dir / NAME
    artifact.save(target)
    return target
