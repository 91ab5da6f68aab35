"""Rows of a CSV file with a header, each one a record or the reason it is malformed.

Python's lenient CSV reading hides the worst export fault there is: one stray quote opens a field
that only the end of the file closes, so every row after it becomes part of a single text, read
without a word of warning. Here the reader is strict: such a field is reported with the line it
opened on, a row whose quotes are broken is reported with its line, and reading goes on with the
next line, so one bad row never costs the good ones around it. The separator is read from the
header, so a spreadsheet's ";" export works as a "," one does.
"""

from __future__ import annotations

import csv
import itertools
from collections.abc import Iterable, Iterator

#: (line, record) for a good row, (line, reason) for a malformed one.
CsvRow = tuple[int, dict[str, str | None] | str]


class CsvRows:
    """The header of a CSV file, then (by iterating) each row after it as a dict (missing cells
    ``None``) or the reason it is malformed. Lines are 1-based file lines; a quoted field may span
    several, and a good row's line is the one it ends on."""

    def __init__(self, lines: Iterable[str]) -> None:
        lines = iter(lines)
        first = next(lines, "")
        self.delimiter = header_delimiter(first)
        self._reader = csv.reader(
            itertools.chain([first], lines), delimiter=self.delimiter, strict=True
        )
        #: The header's cells: empty when the file is empty or its first row is broken.
        self.header: list[str] = []
        for _line, cells in self._rows():
            self.header = cells if isinstance(cells, list) else []
            break

    def __iter__(self) -> Iterator[CsvRow]:
        width = len(self.header)
        for line, cells in self._rows():
            if isinstance(cells, str):
                yield line, cells
            elif len(cells) > width:
                yield line, f"{len(cells)} cells but the header names {width}"
            else:
                record: dict[str, str | None] = dict.fromkeys(self.header)
                record.update(zip(self.header, cells, strict=False))
                yield line, record

    def _rows(self) -> Iterator[tuple[int, list[str] | str]]:
        reader = self._reader
        while True:
            start = reader.line_num + 1
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield start, _broken(start, reader.line_num, str(exc))
                continue
            if cells:  # blank lines are not rows
                yield reader.line_num, cells


#: Cell separators exports use: spreadsheets set to a comma-decimal locale, as Vietnamese ones
#: often are, write ";"; some tools write tabs or "|".
DELIMITERS = (",", ";", "\t", "|")


def header_delimiter(header: str) -> str:
    """The separator the header line uses most (outside quotes); "," when it uses none."""
    unquoted = header.split('"')[::2]
    counts = {d: sum(part.count(d) for part in unquoted) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _broken(start: int, end: int, reason: str) -> str:
    if "field limit" in reason:
        return f"a cell is over the CSV reader's limit of {csv.field_size_limit():,} characters"
    if "end of data" in reason:
        return (
            f"a quoted field opened here is never closed: lines {start}–{end}, to the end of the"
            " file, would be one text; close the quote"
        )
    lines = f"lines {start}–{end}" if end > start else f"line {start}"
    return f"broken quoting on {lines}, skipped as one row ({reason})"
