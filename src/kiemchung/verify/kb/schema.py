"""The knowledge base's SQLite schema, its version, and the checks made when a file is opened.

SQLite is the single source of truth — documents, passages, the accent-folded FTS5 index and the
passage embeddings (float32 blobs) all live in one file, so one transaction covers a whole
document and a crash can never leave half of one behind. A file written by a newer schema is
refused rather than misread.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kiemchung.errors import StoreError

#: 1: documents and passages. 2: adds the fact-checkers' claim reviews (opening a version-1 file
#: upgrades it in place, in one transaction).
SCHEMA_VERSION = 2

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    id INTEGER PRIMARY KEY,
    content_hash TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT '',
    published TEXT NOT NULL DEFAULT '',
    text TEXT NOT NULL,
    added_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS passages (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    text TEXT NOT NULL,
    embedding BLOB
);
CREATE INDEX IF NOT EXISTS passages_by_document ON passages(document_id);
CREATE VIRTUAL TABLE IF NOT EXISTS passages_fts USING fts5(folded, tokenize = 'unicode61');
CREATE TABLE IF NOT EXISTS claim_reviews (
    id INTEGER PRIMARY KEY,
    review_hash TEXT NOT NULL UNIQUE,
    claim TEXT NOT NULL,
    rating TEXT NOT NULL,
    verdict TEXT NOT NULL,
    rating_value REAL,
    best_rating REAL,
    worst_rating REAL,
    url TEXT NOT NULL,
    publisher TEXT NOT NULL DEFAULT '',
    published TEXT NOT NULL DEFAULT '',
    language TEXT NOT NULL DEFAULT '',
    embedding BLOB,
    added_at TEXT NOT NULL
);
CREATE VIRTUAL TABLE IF NOT EXISTS claim_reviews_fts USING fts5(folded, tokenize = 'unicode61');
"""


def _refuse_if_not_a_base(path: str, create: bool) -> None:
    """Look at an existing file read-only before anything writes to it: a file that is not a
    knowledge base (another SQLite database, an empty file, anything else) is refused as it is —
    never switched to WAL or given a schema. A missing or empty file may be created."""
    file = Path(path)
    if create and (not file.exists() or (file.is_file() and file.stat().st_size == 0)):
        return
    if not file.exists():
        raise StoreError(f"no knowledge base at {path}; create one with `kb create`")
    try:
        probe = sqlite3.connect(f"{file.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
    except sqlite3.Error as exc:  # a folder, an unreadable path …
        raise StoreError(f"cannot open knowledge base {path}: {exc}") from exc
    try:
        tables = {r[0] for r in probe.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path} is not a kiemchung knowledge base ({exc})") from exc
    finally:
        probe.close()
    if "meta" not in tables:
        raise StoreError(f"{path} is not a kiemchung knowledge base; create one with `kb create`")


def connect(path: str, create: bool) -> sqlite3.Connection:
    """Open (or create) a knowledge-base file with WAL journaling and foreign keys on."""
    _refuse_if_not_a_base(path, create)
    try:
        connection = sqlite3.connect(path, isolation_level=None, timeout=30)
    except sqlite3.Error as exc:  # a folder, an unreadable path …
        raise StoreError(f"cannot open knowledge base {path}: {exc}") from exc
    connection.execute("PRAGMA foreign_keys = ON")
    try:
        connection.execute("PRAGMA journal_mode = WAL")
        tables = {
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
    except sqlite3.DatabaseError as exc:
        connection.close()
        raise StoreError(f"{path} is not a kiemchung knowledge base ({exc})") from exc
    if "meta" not in tables:  # a new base: _refuse_if_not_a_base let only that through
        connection.executescript(SCHEMA)
        connection.execute(
            "INSERT INTO meta(key, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),)
        )
        return connection
    row = connection.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    version = int(row[0]) if row else 0
    if version > SCHEMA_VERSION:
        connection.close()
        raise StoreError(
            f"{path} was written by a newer kiemchung (knowledge-base schema {version}; this "
            f"version reads up to {SCHEMA_VERSION}); upgrade kiemchung to open it"
        )
    if version < SCHEMA_VERSION:  # every change so far only adds tables
        connection.executescript(
            f"BEGIN IMMEDIATE; {SCHEMA} UPDATE meta SET value = '{SCHEMA_VERSION}'"
            " WHERE key = 'schema_version'; COMMIT;"
        )
    return connection


@contextmanager
def transaction(db: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction: committed whole, or rolled back whole on any error or interrupt."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
