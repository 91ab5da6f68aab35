"""Aggregates that cannot point at a person: every cell counts distinct authors, and a cell
covering fewer than ``k`` of them never leaves the aggregator.

Suppression happens here, where the counts are made — not in a renderer that might forget it —
and what leaves is only the cell's key, its counts and its sums: never an author pseudonym.
Posts without an author id count as posts but not as authors, so they cannot lift a cell over
``k`` on their own.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from kiemchung.errors import InputError

DEFAULT_K = 10


@dataclass
class _Cell:
    posts: int = 0
    authors: set[str] = field(default_factory=set)
    sums: dict[str, float] = field(default_factory=dict)


class KAnonymousAggregator:
    """Counts posts and distinct authors per cell key, plus named sums (e.g. sentiment counts)."""

    def __init__(self, k: int = DEFAULT_K) -> None:
        if k < 2:
            raise InputError("k must be at least 2: a cell of one author describes that author")
        self.k = k
        self._cells: dict[Hashable, _Cell] = {}

    def add(
        self, key: Hashable, author: str | None, values: Mapping[str, float] | None = None
    ) -> None:
        cell = self._cells.setdefault(key, _Cell())
        cell.posts += 1
        if author:
            cell.authors.add(author)
        for name, value in (values or {}).items():
            cell.sums[name] = cell.sums.get(name, 0.0) + value

    def cells(self) -> Iterator[dict[str, Any]]:
        """The cells with at least ``k`` distinct authors: key, posts, authors (a count), sums."""
        for key, cell in self._cells.items():
            if len(cell.authors) >= self.k:
                yield {"key": key, "posts": cell.posts, "authors": len(cell.authors), **cell.sums}

    def released(self, key: Hashable) -> bool:
        """Whether the cell ``key`` leaves the aggregator (it covers at least ``k`` authors)."""
        cell = self._cells.get(key)
        return cell is not None and len(cell.authors) >= self.k

    def internal_counts(self) -> dict[Hashable, int]:
        """Every cell's post count, withheld cells included.

        Only for computations whose *results* are released at released cells alone — the
        baseline of burst detection, where treating a withheld cell as 0 would make every
        released cell of a sparse topic look like a burst. Never written out.
        """
        return {key: cell.posts for key, cell in self._cells.items()}

    @property
    def suppressed(self) -> int:
        """How many cells were withheld for covering fewer than ``k`` authors."""
        return sum(len(cell.authors) < self.k for cell in self._cells.values())
