"""Reading source files into documents: JSONL, CSV, plain text and HTML.

Each document has a text and, where the file gives them, a title, url, source and published date.
A malformed row is reported with its file and line; the caller decides whether to skip it or to
reject the whole batch (``on_error="skip"`` or ``"reject"``), so nothing half-read is stored.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kiemchung.errors import InputError, RowError
from kiemchung.text.csv_rows import CsvRows
from kiemchung.text.html import visible_text
from kiemchung.text.inputs import decode, json_value, visible

FIELDS = ("title", "url", "source", "published")
#: Other names people give the same fields in their exports.
ALIASES = {"date": "published", "published_at": "published", "link": "url", "content": "text"}


@dataclass(frozen=True)
class SourceDocument:
    text: str
    title: str = ""
    url: str = ""
    source: str = ""
    published: str = ""


@dataclass
class ReadResult:
    documents: list[SourceDocument] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def _document(record: dict, path: str, line: int) -> SourceDocument | RowError:
    if not isinstance(record, dict):
        return RowError(path, line, "expected an object with a 'text' field")
    record = {ALIASES.get(k, k): v for k, v in record.items()}
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        return RowError(path, line, "missing or empty 'text'")
    if not visible(text):
        return RowError(path, line, "the 'text' holds only invisible characters")
    extras = {k: str(record.get(k) or "").strip() for k in FIELDS}
    return SourceDocument(text=text.strip(), **extras)


def _jsonl(content: str, path: str) -> Iterator[SourceDocument | RowError]:
    for number, line in enumerate(content.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            yield _document(json_value(line), path, number)
        except json.JSONDecodeError as exc:
            yield RowError(path, number, f"not valid JSON ({exc.msg})")


def _csv(content: str, path: str) -> Iterator[SourceDocument | RowError]:
    rows = CsvRows(io.StringIO(content, newline=""))
    if not {"text", "content"} & set(rows.header):
        columns = ", ".join(rows.header[:12]) or "none"
        raise InputError(
            f"{path}: the header has no 'text' (or 'content') column for the documents' text;"
            f" its columns: {columns}"
        )
    for line, row in rows:
        yield RowError(path, line, row) if isinstance(row, str) else _document(row, path, line)


def _html(content: str, path: str) -> Iterator[SourceDocument | RowError]:
    text, title = visible_text(content)
    if not text:
        yield RowError(path, 1, "the page has no visible text")
        return
    yield SourceDocument(text=text, title=title or Path(path).stem)


def _plain(content: str, path: str) -> Iterator[SourceDocument | RowError]:
    if not content.strip():
        yield RowError(path, 1, "the file is empty")
        return
    if not visible(content):
        yield RowError(path, 1, "the file holds only invisible characters")
        return
    yield SourceDocument(text=content.strip(), title=Path(path).stem)


READERS = {".jsonl": _jsonl, ".csv": _csv, ".html": _html, ".htm": _html, ".txt": _plain}


def read_sources(paths: list[str | Path], on_error: str = "skip") -> ReadResult:
    """Documents from every file; malformed rows are listed, and with ``on_error="reject"`` any
    error stops the read with one message naming them (nothing is returned to store)."""
    if on_error not in ("skip", "reject"):
        raise InputError("on_error must be 'skip' or 'reject'")
    result = ReadResult()
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            raise InputError(f"{path} is a folder; give the files to add")
        if not path.is_file():
            raise InputError(f"no such file: {path}")
        reader = READERS.get(path.suffix.lower())
        if reader is None:
            raise InputError(
                f"{path}: unsupported file type {path.suffix or '(none)'}; "
                f"use one of {', '.join(sorted(READERS))}"
            )
        for item in reader(decode(path.read_bytes(), str(path)), str(path)):
            if isinstance(item, RowError):
                result.errors.append(item)
            else:
                result.documents.append(item)
    if result.errors and on_error == "reject":
        shown = "; ".join(str(e) for e in result.errors[:5])
        more = f" (and {len(result.errors) - 5} more)" if len(result.errors) > 5 else ""
        raise InputError(f"{len(result.errors)} malformed row(s), nothing added: {shown}{more}")
    return result
