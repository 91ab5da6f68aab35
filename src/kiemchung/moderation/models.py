"""Loading the moderation models shipped inside the package (once per process)."""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from kiemchung.models.calibrated_text import CalibratedTextClassifier
from kiemchung.moderation.span_view import load_toxicity_artifact
from kiemchung.moderation.spans import SpanTagger

ARTIFACTS = Path(str(files("kiemchung.moderation") / "artifacts"))


@lru_cache(maxsize=1)
def shipped_span_tagger() -> SpanTagger:
    """The ViHOS span tagger built by ``kiemchung train spans``."""
    return SpanTagger.from_artifact(ARTIFACTS / "vihos-span-lr")


@lru_cache(maxsize=2)
def shipped_toxicity_model(mode: str = "fast") -> CalibratedTextClassifier:
    """The CLEAN / OFFENSIVE / HATE model: ``kiemchung train toxicity`` (fast) or
    ``kiemchung train toxicity-accurate`` (accurate)."""
    return load_toxicity_artifact(ARTIFACTS / f"vihsd-toxicity-{mode}")


@lru_cache(maxsize=2)
def shipped_spam_model(mode: str = "fast") -> CalibratedTextClassifier:
    """The review-spam model: ``kiemchung train spam`` (fast) or ``train spam-accurate``."""
    return CalibratedTextClassifier.from_artifact(ARTIFACTS / f"vispam-{mode}")
