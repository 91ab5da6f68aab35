"""Rows of a CSV file with a header, each one a record or the reason it is malformed.

Python's lenient CSV reading hides the worst export fault there is: one stray quote opens a field
that only the end of the file closes, so every row after it becomes part of a single text, read
without a word of warning. Here the reader is strict: such a field is reported with the line it
opened on, a row whose quotes are broken is reported with its line, and reading goes on with the
line after the one the broken row began on, so one bad row never costs the good ones after it.
The separator is read from the header, so a spreadsheet's ";" export works as a "," one does.
"""

from __future__ import annotations

import csv
import itertools
from collections import deque
from collections.abc import Iterable, Iterator

#: (line, record) for a good row, (line, reason) for a malformed one.
CsvRow = tuple[int, dict[str, str | None] | str]


class _Lines:
    """The file's lines for the CSV reader, with a way to hand back the lines a broken row took
    so that they are read again, and the number of the last line handed out."""

    def __init__(self, lines: Iterable[str]) -> None:
        self._source = iter(lines)
        self._again: deque[str] = deque()
        self.taken: list[str] = []  # the lines of the row being read
        self.line = 0

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        line = self._again.popleft() if self._again else next(self._source)
        self.line += 1
        self.taken.append(line)
        return line

    def read_again(self, lines: list[str]) -> None:
        self._again.extendleft(reversed(lines))
        self.line -= len(lines)


class CsvRows:
    """The header of a CSV file, then (by iterating) each row after it as a dict (missing cells
    ``None``) or the reason it is malformed. Lines are 1-based file lines; a quoted field may span
    several, and a good row's line is the one it ends on."""

    def __init__(self, lines: Iterable[str]) -> None:
        lines = iter(lines)
        first = next(lines, "")
        self.delimiter = header_delimiter(first)
        self._lines = _Lines(itertools.chain([first], lines))
        self._reader = csv.reader(self._lines, delimiter=self.delimiter, strict=True)
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
        """Each row; a broken one is reported on the line it began on, and the lines after that
        one are read again as rows of their own."""
        lines = self._lines
        while True:
            start = lines.line + 1
            lines.taken = []
            try:
                cells = next(self._reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield start, _broken(start, lines.line, str(exc))
                lines.read_again(lines.taken[1:])
                continue
            if cells:  # blank lines are not rows
                yield lines.line, cells


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
            f"a quoted field opened on line {start} is never closed; the line is skipped and"
            " the lines after it are read on their own (close the quote)"
        )
    return f"broken quoting on line {start}, skipped ({reason})"
