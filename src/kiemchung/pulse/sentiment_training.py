"""``kiemchung train sentiment``: the NEG / NEU / POS model on three Vietnamese sets together.

Trained on UIT-VSFC, UIT-ViSFD and AIVIVN 2019 train (see :mod:`~kiemchung.pulse.sentiment_data`).
Chosen on dev: one model over the three sets scores UIT-VSFC dev macro-F1 0.775 (0.778 trained on
UIT-VSFC alone, which reads phone reviews at 0.21 and AIVIVN reviews at 0.70), UIT-ViSFD dev 0.653
and held-out AIVIVN train reviews 0.909 binary. Calibration and decision offsets come from
out-of-fold scores; the manifest records the data hashes and the dev figures.
"""

from __future__ import annotations

from pathlib import Path

from kiemchung.evaluation.metrics import classification_metrics
from kiemchung.models.calibrated_text import CalibratedTextClassifier
from kiemchung.models.training import register_trainer
from kiemchung.pulse.sentiment import ARTIFACT_NAME
from kiemchung.pulse.sentiment_data import EVALUATION_SPLITS, LABELS, examples, training_examples

VERSION = "2"


@register_trainer(
    "sentiment", "NEG/NEU/POS: calibrated TF-IDF SVM on UIT-VSFC + UIT-ViSFD + AIVIVN 2019"
)
def train_sentiment(out_dir: Path) -> Path:
    chosen, files = training_examples()
    model = CalibratedTextClassifier(C=0.1).fit([e.text for e in chosen], [e.label for e in chosen])
    metrics: dict = {"oof_macro_f1": round(model.oof_macro_f1_, 4)}
    for name, splits in EVALUATION_SPLITS.items():
        if "dev" in splits:
            dev = examples(name, splits["dev"])
            predicted = model.predict([e.text for e in dev]).tolist()
            metrics[f"{name}_dev"] = classification_metrics(
                [e.label for e in dev], predicted, LABELS
            )
    artifact = model.to_artifact(ARTIFACT_NAME, VERSION, metrics=metrics, training_data=files)
    target = out_dir / ARTIFACT_NAME
    artifact.save(target)
    return target
