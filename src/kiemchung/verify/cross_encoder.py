"""The verdict cross-encoder: e5-small fine-tuned to read a claim and its evidence together.

Word overlap cannot tell evidence that is silent on a claim from evidence that contradicts it:
both lack the claim's figure. The cross-encoder reads the claim and the evidence in one sequence
(:class:`kiemchung.e5.pairs.PairClassifier`) and was trained on the rule a verdict must follow —
REFUTED needs the evidence to state something incompatible with the claim; a figure or name the
evidence never mentions makes NOT_ENOUGH_INFO. Its probabilities are columns the verdict model
reads (:mod:`kiemchung.verify.verdict`). ``kiemchung train verdict-encoder`` builds it.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from kiemchung.errors import ModelError
from kiemchung.text.normalize import normalize

if TYPE_CHECKING:
    from kiemchung.e5.pairs import PairClassifier

#: The shipped cross-encoder (``verify/artifacts``).
ENCODER_ARTIFACT = "verdict-encoder"
#: The verdicts in the order of :data:`kiemchung.verify.verdict.VERDICTS`.
ORDER = ("SUPPORTED", "REFUTED", "NOT_ENOUGH_INFO")
#: The columns a verdict model reads from it: the log-probability of each verdict.
ENCODER_COLUMNS = tuple(f"encoder_{label.lower()}" for label in ORDER)


def artifact_path(name: str = ENCODER_ARTIFACT) -> Path:
    """A bundled verification artifact's folder (``kiemchung/verify/artifacts/<name>``)."""
    return Path(str(files("kiemchung.verify") / "artifacts")) / name


@lru_cache(maxsize=2)
def shipped_cross_encoder(name: str = ENCODER_ARTIFACT) -> PairClassifier:
    """One loaded cross-encoder per process (its session is safe to share between threads)."""
    path = artifact_path(name)
    if not path.is_dir():
        raise ModelError(f"no cross-encoder {name!r} in kiemchung/verify/artifacts")
    from kiemchung.e5.pairs import PairClassifier  # needs the [e5] extra's ONNX Runtime

    return PairClassifier(path)


def encoder_probabilities(
    claims: Sequence[str], evidences: Sequence[str], name: str = ENCODER_ARTIFACT
) -> np.ndarray:
    """``[pairs, 3]``: the cross-encoder's probabilities in :data:`ORDER`."""
    model = shipped_cross_encoder(name)
    order = [model.labels.index(label) for label in ORDER]
    # read as the comparison reads them: NFC, one tone-mark convention, no invisibles (a claim
    # typed in decomposed Unicode would otherwise tokenize into other pieces)
    pairs = [(normalize(c).text, normalize(e).text) for c, e in zip(claims, evidences, strict=True)]
    return model.predict_proba(pairs)[:, order]


def encoder_columns(probs: np.ndarray) -> np.ndarray:
    """What a verdict model reads of the cross-encoder: its log-probabilities (floored)."""
    return np.log(np.clip(probs, 1e-6, 1.0))
