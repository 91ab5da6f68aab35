"""Pulse's two SQLite files: the project's score cache and a run's spool.

``ScoreStore`` (``<project>/scores.sqlite``) keeps the content scores and vector of every distinct
text a project has scored, keyed by a hash of the text. It is why a run that was interrupted
resumes where it stopped (each batch commits as it finishes) and why a re-run with 10 % new
posts costs about 10 % of the first. It holds texts' scores only: no author, no post id.

``RunSpool`` (``<out>/.spool.sqlite``, removed when the run finishes) holds one run's posts between
reading and aggregating — so that a 1 GB export is never held in memory — with each post's
author pseudonym, which never leaves the aggregator that counts it.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import numpy as np


def text_key(text: str) -> str:
    """The cache key of a text: sha256 of its exact characters."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


class ScoreStore:
    """Content scores and vectors per distinct text, committed batch by batch.

    ``version`` (:func:`~kiemchung.pulse.scoring.scores_version`) names what the scores were made
    with; scores stored under another version count as missing, and are replaced when re-scored.
    """

    def __init__(self, path: str | Path, version: str) -> None:
        self.path = Path(path)
        self.version = version
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS scores (key TEXT PRIMARY KEY, version TEXT NOT NULL,"
            " scores TEXT NOT NULL, vector BLOB NOT NULL)"
        )

    def missing(self, keys: Sequence[str]) -> set[str]:
        """Which of ``keys`` have no scores of this version yet."""
        found: set[str] = set()
        for i in range(0, len(keys), 500):
            chunk = list(keys[i : i + 500])
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(
                f"SELECT key FROM scores WHERE version = ? AND key IN ({marks})",
                [self.version, *chunk],
            )
            found.update(key for (key,) in rows)
        return set(keys) - found

    def put(self, keys: Sequence[str], scores: Sequence[dict], vectors: np.ndarray) -> None:
        with self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO scores VALUES (?, ?, ?, ?)",
                [
                    (k, self.version, json.dumps(s), np.asarray(v, np.float32).tobytes())
                    for k, s, v in zip(keys, scores, vectors, strict=True)
                ],
            )

    def get(self, keys: Sequence[str]) -> tuple[list[dict], np.ndarray]:
        """Scores and vectors for ``keys``, in their order (every key must be stored)."""
        rows: dict[str, tuple[str, bytes]] = {}
        for i in range(0, len(keys), 500):
            chunk = list(keys[i : i + 500])
            marks = ",".join("?" * len(chunk))
            for key, scores, vector in self._db.execute(
                f"SELECT key, scores, vector FROM scores WHERE key IN ({marks})", chunk
            ):
                rows[key] = (scores, vector)
        scores = [json.loads(rows[k][0]) for k in keys]
        vectors = np.vstack([np.frombuffer(rows[k][1], np.float32) for k in keys]) if keys else None
        return scores, vectors if vectors is not None else np.zeros((0, 384), np.float32)

    def close(self) -> None:
        self._db.close()


class RunSpool:
    """One run's posts (time, author pseudonym, which distinct text) and its distinct texts."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.unlink(missing_ok=True)
        self._db = sqlite3.connect(self.path)
        self._db.executescript(
            """
            PRAGMA journal_mode=OFF;
            PRAGMA synchronous=OFF;
            CREATE TABLE texts (seq INTEGER PRIMARY KEY, key TEXT NOT NULL, text TEXT NOT NULL,
                                topic INTEGER, scores TEXT);
            CREATE TABLE posts (seq INTEGER PRIMARY KEY, text_seq INTEGER NOT NULL,
                                created_at TEXT NOT NULL, author TEXT, kind TEXT NOT NULL);
            """
        )
        self.texts = 0
        self.posts = 0

    def add_text(self, text: str) -> int:
        self._db.execute(
            "INSERT INTO texts VALUES (?, ?, ?, NULL, NULL)", (self.texts, text_key(text), text)
        )
        self.texts += 1
        return self.texts - 1

    def add_post(
        self, text_seq: int, created_at: _dt.datetime, author: str | None, kind: str
    ) -> None:
        self._db.execute(
            "INSERT INTO posts VALUES (?, ?, ?, ?, ?)",
            (self.posts, text_seq, created_at.isoformat(), author, kind),
        )
        self.posts += 1

    def commit(self) -> None:
        self._db.commit()

    def text_batches(self, size: int) -> Iterator[list[tuple[int, str, str]]]:
        """``(seq, key, text)`` of every distinct text, ``size`` at a time, in order."""
        for start in range(0, self.texts, size):
            yield list(
                self._db.execute(
                    "SELECT seq, key, text FROM texts WHERE seq >= ? AND seq < ? ORDER BY seq",
                    (start, start + size),
                )
            )

    def _column_at(self, column: str, seqs: Iterable[int]) -> dict[int, str]:
        wanted = list(seqs)
        out: dict[int, str] = {}
        for i in range(0, len(wanted), 500):
            chunk = wanted[i : i + 500]
            marks = ",".join("?" * len(chunk))
            query = f"SELECT seq, {column} FROM texts WHERE seq IN ({marks})"
            out.update(self._db.execute(query, chunk))
        return out

    def texts_at(self, seqs: Iterable[int]) -> dict[int, str]:
        """The distinct texts numbered ``seqs``."""
        return self._column_at("text", seqs)

    def keys_at(self, seqs: Iterable[int]) -> dict[int, str]:
        """The score-store keys of the distinct texts numbered ``seqs`` (without reading texts)."""
        return self._column_at("key", seqs)

    def text_seq_of_post(self, post_seq: int) -> int:
        row = self._db.execute("SELECT text_seq FROM posts WHERE seq = ?", (post_seq,)).fetchone()
        return int(row[0])

    def set_results(self, rows: Iterable[tuple[int, int, dict]]) -> None:
        """Record ``(text seq, topic, scores)`` for distinct texts."""
        self._db.executemany(
            "UPDATE texts SET topic = ?, scores = ? WHERE seq = ?",
            ((topic, json.dumps(scores), seq) for seq, topic, scores in rows),
        )
        self._db.commit()

    def posts_with_results(self) -> Iterator[tuple[str, str | None, str, int, dict]]:
        """``(created_at, author, kind, topic, scores)`` of every post, in order."""
        for created_at, author, kind, topic, scores in self._db.execute(
            "SELECT p.created_at, p.author, p.kind, t.topic, t.scores FROM posts p"
            " JOIN texts t ON t.seq = p.text_seq ORDER BY p.seq"
        ):
            yield created_at, author, kind, topic, json.loads(scores)

    def close(self, remove: bool = True) -> None:
        self._db.close()
        if remove:
            self.path.unlink(missing_ok=True)
