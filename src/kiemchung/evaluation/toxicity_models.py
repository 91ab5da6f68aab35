"""Loading and running the toxicity models the evaluators compare, by name or artifact folder."""

from __future__ import annotations

import os
from pathlib import Path

from kiemchung.errors import InputError
from kiemchung.models.artifact import Artifact
from kiemchung.models.calibrated_text import MODEL_KIND, CalibratedTextClassifier
from kiemchung.models.hate_speech_baseline import fit_vihsd_baseline
from kiemchung.models.tfidf_linear import TfidfLinearClassifier
from kiemchung.moderation.models import shipped_toxicity_model
from kiemchung.moderation.toxicity import embedding_features, toxicity_embedder


def predict_labels(
    model: TfidfLinearClassifier | CalibratedTextClassifier, texts: list[str]
) -> tuple:
    if isinstance(model, CalibratedTextClassifier):
        embeddings = None
        if model.embed_C is not None:
            embedder = toxicity_embedder(os.environ.get("KIEMCHUNG_CACHE_DIR"))
            embeddings = embedding_features(texts, embedder)
        probs = model.predict_proba(texts, embeddings)
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
        if artifact.params.get("model") == MODEL_KIND:
            return CalibratedTextClassifier.from_artifact(artifact)
        return TfidfLinearClassifier.from_artifact(artifact)
    raise InputError(
        f"unknown model {model!r} for vihsd; use toxicity-fast, tfidf-svm or an artifact folder"
    )
