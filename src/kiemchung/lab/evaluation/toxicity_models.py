"""Loading and running the toxicity models the evaluators compare, by name or artifact folder."""

from __future__ import annotations

from pathlib import Path

from kiemchung.embed import cache_dir_from_env
from kiemchung.errors import InputError
from kiemchung.lab.training.hate_speech_baseline import fit_vihsd_baseline
from kiemchung.models.artifact import Artifact
from kiemchung.models.calibrated_text import CalibratedTextClassifier
from kiemchung.models.tfidf_linear import TfidfLinearClassifier
from kiemchung.moderation.models import CALIBRATED_KINDS, load_calibrated, shipped_toxicity_model
from kiemchung.moderation.toxicity import stacked_probabilities, toxicity_embedder


def predict_labels(
    model: TfidfLinearClassifier | CalibratedTextClassifier, texts: list[str]
) -> tuple:
    if isinstance(model, CalibratedTextClassifier):
        stacked = model.embed_C is not None
        embedder = toxicity_embedder(cache_dir_from_env()) if stacked else None
        probs = stacked_probabilities(model, texts, embedder)
        return model.predict_from_proba(probs), probs
    scores = model.decision_function(texts)
    return scores.argmax(axis=1), scores


def load_toxicity_model(model: str) -> TfidfLinearClassifier | CalibratedTextClassifier:
    if model == "tfidf-svm":
        return fit_vihsd_baseline()
    if model in ("toxicity-fast", "toxicity-accurate"):
        return shipped_toxicity_model(model.removeprefix("toxicity-"))
    if Path(model).is_dir():
        artifact = Artifact.load(model)
        if artifact.params.get("model") in CALIBRATED_KINDS:
            return load_calibrated(artifact)
        return TfidfLinearClassifier.from_artifact(artifact)
    raise InputError(
        f"unknown model {model!r} for vihsd; use toxicity-fast, tfidf-svm or an artifact folder"
    )
