"""Loading the moderation models shipped inside the package (once per process)."""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from kiemchung.models.artifact import Artifact
from kiemchung.models.calibrated_text import CalibratedTextClassifier
from kiemchung.moderation.spam_views import NeighbourStackedClassifier
from kiemchung.moderation.span_view import SpanStackedClassifier
from kiemchung.moderation.spans import SpanTagger

ARTIFACTS = Path(str(files("kiemchung.moderation") / "artifacts"))
#: Every kind of calibrated model the moderation artifacts hold, by their ``params["model"]``.
CALIBRATED_KINDS: dict[str, type[CalibratedTextClassifier]] = {
    kind.model_kind: kind
    for kind in (CalibratedTextClassifier, SpanStackedClassifier, NeighbourStackedClassifier)
}


def load_calibrated(source: Artifact | str | Path) -> CalibratedTextClassifier:
    """A calibrated toxicity or spam model from its artifact, whichever views it stacks (models
    from before the views are plain calibrated ones)."""
    artifact = source if isinstance(source, Artifact) else Artifact.load(source)
    kind = CALIBRATED_KINDS.get(artifact.params.get("model"), CalibratedTextClassifier)
    return kind.from_artifact(artifact)


@lru_cache(maxsize=1)
def shipped_span_tagger() -> SpanTagger:
    """The ViHOS span tagger built by ``kiemchung train spans``."""
    return SpanTagger.from_artifact(ARTIFACTS / "vihos-span-lr")


@lru_cache(maxsize=2)
def shipped_toxicity_model(mode: str = "fast") -> CalibratedTextClassifier:
    """The CLEAN / OFFENSIVE / HATE model: ``kiemchung train toxicity`` (fast) or
    ``kiemchung train toxicity-accurate`` (accurate)."""
    return load_calibrated(ARTIFACTS / f"vihsd-toxicity-{mode}")


@lru_cache(maxsize=2)
def shipped_spam_model(mode: str = "fast") -> CalibratedTextClassifier:
    """The review-spam model: ``kiemchung train spam`` (fast) or ``train spam-accurate``."""
    return load_calibrated(ARTIFACTS / f"vispam-{mode}")
