"""Reading posts for Pulse: JSON Lines, CSV or Parquet, through a column mapping, streamed.

Exports from different platforms name their columns differently, so a :class:`ColumnMapping`
says which column holds the text, the time, the id, the author, the platform, the url and the
engagement counts. Files are read a row (or a Parquet batch) at a time, never whole, so a 1 GB
export costs the memory of one batch. Each row either becomes a :class:`Post` or a
:class:`~kiemchung.errors.RowError` naming its line: a missing text, a missing or unreadable time,
a bad count, or bytes that are not UTF-8 (exports that mix encodings) — the good rows go on.

The author id is replaced by its pseudonym inside the function that parses the row (see
:mod:`kiemchung.pulse.authors`); no :class:`Post` and no error message ever carries it.
"""

from __future__ import annotations

import datetime as _dt
import io
import json
import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kiemchung.errors import InputError, RowError
from kiemchung.pulse.authors import AuthorPseudonymizer
from kiemchung.text.csv_rows import CsvRows
from kiemchung.text.inputs import json_value, visible

FORMATS = ("jsonl", "csv", "parquet")
_DAY_FIRST = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")


@dataclass(frozen=True)
class ColumnMapping:
    """Which input column holds each field (``None``: the input has no such column)."""

    text: str = "text"
    created_at: str = "created_at"
    id: str | None = "id"
    author: str | None = "author"
    platform: str | None = "platform"
    url: str | None = "url"
    engagement: tuple[str, ...] = ("likes", "shares", "comments")

    @classmethod
    def from_pairs(cls, pairs: Mapping[str, str]) -> ColumnMapping:
        """A mapping from ``{"text": "message", "engagement": "likes,shares"}``-style pairs."""
        known = set(cls.__dataclass_fields__)
        unknown = set(pairs) - known
        if unknown:
            names, choices = ", ".join(sorted(unknown)), ", ".join(sorted(known))
            raise InputError(f"unknown field(s) {names}; map one of {choices}")
        values: dict[str, Any] = dict(pairs)
        if "engagement" in values:
            values["engagement"] = tuple(c.strip() for c in values["engagement"].split(",") if c)
        return cls(**values)

    @classmethod
    def from_assignments(cls, assignments: list[str]) -> ColumnMapping:
        """A mapping from ``["text=message", "author=user_id"]`` (the CLI's ``--map`` values and
        the API's ``map`` field, split on commas there)."""
        fields = {}
        for assignment in assignments:
            name, sep, column = assignment.partition("=")
            if not sep or not name.strip() or not column.strip():
                raise InputError(
                    f"a column mapping is FIELD=COLUMN (e.g. text=message), not {assignment!r}"
                )
            fields[name.strip()] = column.strip()
        return cls.from_pairs(fields)


@dataclass(frozen=True)
class Post:
    """One post as Pulse keeps it: the author only as a pseudonym."""

    post_id: str
    text: str
    created_at: _dt.datetime
    author: str | None = None
    platform: str = ""
    url: str = ""
    engagement: dict[str, int] = field(default_factory=dict)


def parse_time(value: object) -> _dt.datetime:
    """A timezone-aware UTC time from ISO 8601, ``dd/mm/yyyy [hh:mm[:ss]]`` (the Vietnamese
    order), or Unix seconds / milliseconds; times without a zone are taken as UTC."""
    if isinstance(value, _dt.datetime):
        moment = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        seconds = value / 1000 if value > 1e11 else value
        moment = _dt.datetime.fromtimestamp(seconds, _dt.UTC)
    else:
        text = str(value).strip()
        day_first = _DAY_FIRST.match(text)
        if text.isdigit():
            return parse_time(int(text))
        if day_first:
            d, m, y, hh, mm, ss = (int(g) if g else 0 for g in day_first.groups())
            moment = _dt.datetime(y, m, d, hh, mm, ss)
        else:
            moment = _dt.datetime.fromisoformat(text)
    return moment.replace(tzinfo=_dt.UTC) if moment.tzinfo is None else moment.astimezone(_dt.UTC)


#: The largest engagement count taken as one: past it a value is a typo or an overflow (and an
#: integer past 2**63 would not fit the store).
MAX_COUNT = 10**15
#: Posts are dated between these (UTC); a time outside them is a bad value, not a post: a report
#: would otherwise bucket, chart and step past the calendar's ends.
EARLIEST = _dt.datetime(1970, 1, 1, tzinfo=_dt.UTC)
LATEST = _dt.datetime(2100, 1, 1, tzinfo=_dt.UTC)


def _count(value: object) -> int:
    """A non-negative whole count; ``ValueError`` for anything else (``inf``, ``NaN``, ``-1``,
    ``2.5``, ``1e400``, a count past :data:`MAX_COUNT`)."""
    if value is None or value == "":
        return 0
    number = float(value)  # type: ignore[arg-type]
    if not math.isfinite(number) or number < 0 or number > MAX_COUNT or number != int(number):
        raise ValueError(value)
    return int(number)


def parse_post(
    row: Mapping[str, Any], mapping: ColumnMapping, authors: AuthorPseudonymizer, line: int
) -> Post:
    """A :class:`Post` from one row; ``ValueError`` says what is wrong (never naming the author)."""
    text = row.get(mapping.text)
    if not isinstance(text, str) or not text.strip():
        raise ValueError(f"missing or empty text (column {mapping.text!r})")
    if not visible(text):
        raise ValueError(f"the text holds only invisible characters (column {mapping.text!r})")
    raw_time = row.get(mapping.created_at)
    if raw_time is None or str(raw_time).strip() == "":
        raise ValueError(f"missing time (column {mapping.created_at!r})")
    try:
        created_at = parse_time(raw_time)
    except (ValueError, OverflowError, OSError):
        raise ValueError(f"unreadable time {str(raw_time)[:40]!r}") from None
    if not EARLIEST <= created_at < LATEST:
        raise ValueError(f"time out of range (1970–2099): {str(raw_time)[:40]!r}")
    engagement = {}
    for column in mapping.engagement:
        try:
            engagement[column] = _count(row.get(column))
        except (TypeError, ValueError):
            raise ValueError(f"{column!r} is not a count: {str(row.get(column))[:20]!r}") from None
    given_id = row.get(mapping.id) if mapping.id else None
    return Post(
        post_id=str(given_id).strip() if given_id not in (None, "") else f"line-{line}",
        text=text,
        created_at=created_at,
        author=authors.pseudonym(row.get(mapping.author)) if mapping.author else None,
        platform=str(row.get(mapping.platform) or "") if mapping.platform else "",
        url=str(row.get(mapping.url) or "") if mapping.url else "",
        engagement=engagement,
    )


def _jsonl_rows(path: Path) -> Iterator[tuple[int, dict | str]]:
    with path.open("rb") as stream:
        for line, raw in enumerate(stream, 1):
            if not raw.strip():
                continue
            try:
                record = json_value(raw.decode("utf-8-sig" if line == 1 else "utf-8"))
            except UnicodeDecodeError:
                yield line, "not valid UTF-8 (the export mixes encodings)"
                continue
            except json.JSONDecodeError as exc:
                yield line, f"invalid JSON: {exc.msg}"
                continue
            yield line, record if isinstance(record, dict) else "expected a JSON object"


def _csv_rows(path: Path) -> Iterator[tuple[int, dict | str]]:
    with path.open("rb") as binary:
        stream = io.TextIOWrapper(binary, "utf-8-sig", errors="surrogateescape", newline="")
        for line, record in CsvRows(stream):
            if isinstance(record, dict) and any(
                isinstance(v, str) and re.search("[\udc80-\udcff]", v) for v in record.values()
            ):
                yield line, "not valid UTF-8 (the export mixes encodings)"
            else:
                yield line, record


def _parquet_rows(path: Path) -> Iterator[tuple[int, dict | str]]:
    from kiemchung.extras import require

    pq = require("pyarrow.parquet", "pulse", "reading Parquet")

    try:
        table = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises its own types for a damaged file
        raise InputError(f"{path} is not a readable Parquet file ({exc})") from None
    row = 0
    for batch in table.iter_batches(batch_size=10_000):
        for record in batch.to_pylist():
            row += 1
            yield row, record


_READERS = {"jsonl": _jsonl_rows, "csv": _csv_rows, "parquet": _parquet_rows}


def file_format(path: Path) -> str:
    suffix = path.suffix.lower().lstrip(".")
    name = {"json": "jsonl", "ndjson": "jsonl", "pq": "parquet"}.get(suffix, suffix)
    if name not in FORMATS:
        raise InputError(f"{path}: cannot tell the format; use .jsonl, .csv or .parquet")
    return name


def _check_columns(source: Path, record: Mapping[str, Any], mapping: ColumnMapping) -> None:
    """A CSV or Parquet file without the mapped text or time column is refused at once, naming its
    columns, rather than reported as every row missing its text."""
    missing = [c for c in (mapping.text, mapping.created_at) if c not in record]
    if missing:
        names = ", ".join(str(k) for k in record)
        raise InputError(
            f"{source.name} has no column {', '.join(repr(c) for c in missing)} (its columns:"
            f" {names}); say which column holds each field: --map text=COLUMN on the command line,"
            " columns=text=COLUMN in the API"
        )


def read_posts(
    path: str | Path, mapping: ColumnMapping, authors: AuthorPseudonymizer
) -> Iterator[Post | RowError]:
    """Every row of ``path`` as a :class:`Post` or a :class:`RowError`, streamed in order.

    Lines are 1-based file lines for JSONL and CSV (a quoted field may span several: the line is
    where the row ends) and row numbers for Parquet.
    """
    source = Path(path)
    if not source.is_file():
        raise InputError(f"no such file: {source}")
    kind = file_format(source)
    checked = kind == "jsonl"  # JSON Lines has no header: each row answers for itself
    for line, record in _READERS[kind](source):
        if isinstance(record, str):
            yield RowError(str(source), line, record)
            continue
        if not checked:
            _check_columns(source, record, mapping)
            checked = True
        try:
            yield parse_post(record, mapping, authors, line)
        except ValueError as exc:
            yield RowError(str(source), line, str(exc))
