"""The frozen bottom layers' output for every training example, computed once and kept on disk.

Training the top ``k`` layers never changes what the layers below them output, so each example's
states after layer ``first`` are computed once by the int8 ONNX engine and stored as float16,
all examples' tokens end to end in one file with an offset table. Building is resumable: states
are appended in chunks and the count written after each, so a hard stop loses one chunk at most.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from kiemchung.e5.engine import cpu_session
from kiemchung.e5.graph import encoder_model
from kiemchung.e5.weights import EncoderWeights

#: Examples embedded between two writes of the progress record.
CHUNK = 64


class StateCache:
    """States after layer ``first`` of each example, read back as float32 ``[tokens, hidden]``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        meta = json.loads((folder / "meta.json").read_text())
        self.hidden: int = meta["hidden"]
        self.first: int = meta["first"]
        self.lengths = np.asarray(meta["lengths"], np.int64)
        self.offsets = np.concatenate([[0], np.cumsum(self.lengths)])
        self.data = np.memmap(folder / "states.f16", dtype=np.float16, mode="r").reshape(
            -1, self.hidden
        )

    def __len__(self) -> int:
        return len(self.lengths)

    def __getitem__(self, index: int) -> np.ndarray:
        start, end = self.offsets[index], self.offsets[index + 1]
        return np.asarray(self.data[start:end], np.float32)


def build_cache(
    folder: Path,
    weights: EncoderWeights,
    first: int,
    inputs: Sequence[Callable[[], np.ndarray]],
    progress: Callable[[int, int], None] | None = None,
) -> StateCache:
    """Run layers ``0 … first - 1`` over each input (a function giving the embedding layer's
    output ``[1, tokens, hidden]``) and store the states; resumes a cache left half-built."""
    folder.mkdir(parents=True, exist_ok=True)
    done_path, data_path = folder / "progress.json", folder / "states.f16"
    lengths: list[int] = json.loads(done_path.read_text())["lengths"] if done_path.exists() else []
    expected_bytes = sum(lengths) * weights.hidden * 2
    with open(data_path, "ab") as handle:
        handle.truncate(expected_bytes)  # drop a chunk written after the last record
    session = cpu_session(encoder_model(weights, layers=range(0, first)))
    with open(data_path, "ab") as handle:
        for index in range(len(lengths), len(inputs)):
            x = inputs[index]()
            (states,) = session.run(["states"], {"x": x}) if first else (x,)
            handle.write(np.ascontiguousarray(states[0], np.float16).tobytes())
            lengths.append(int(states.shape[1]))
            if len(lengths) % CHUNK == 0 or len(lengths) == len(inputs):
                handle.flush()
                done_path.write_text(json.dumps({"lengths": lengths}))
                if progress:
                    progress(len(lengths), len(inputs))
    meta = {"hidden": weights.hidden, "first": first, "lengths": lengths}
    (folder / "meta.json").write_text(json.dumps(meta))
    return StateCache(folder)
