"""Duplicates in a stream of posts: exact copies and near copies, counted rather than dropped.

Campaigns and reposts make the same text appear thousands of times; embedding and clustering each
copy wastes the slowest stage and lets one voice look like many. Exact copies are found by a hash
of the accent-folded, lower-cased, whitespace-collapsed text; near copies (a word changed, a
hashtag added) by MinHash over word 3-shingles with locality-sensitive hashing (datasketch), at a
Jaccard similarity of about ``threshold``. Every post is assigned to the first post of its group;
the group keeps how many posts and how many distinct authors it holds, so aggregates still count
every post.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from kiemchung.text.diacritics import folded_words


def canonical(text: str) -> str:
    """What two exact copies share: folded, lower-cased words joined by single spaces."""
    return " ".join(folded_words(text))


@dataclass
class DuplicateGroup:
    """Posts judged the same text as the group's first post."""

    representative: str
    posts: int = 0
    authors: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Assignment:
    representative: str
    kind: str  # "new", "exact" or "near"


class Deduplicator:
    """Assigns each post to a duplicate group; configuration in the constructor."""

    def __init__(self, threshold: float = 0.8, num_perm: int = 64, shingle: int = 3) -> None:
        from kiemchung.extras import require

        MinHashLSH = require("datasketch", "pulse", "grouping near-duplicates").MinHashLSH

        self.threshold = threshold
        self.num_perm = num_perm
        self.shingle = shingle
        self._lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        self._exact: dict[str, str] = {}  # canonical-text hash -> representative post id
        self._representatives: list[str] = []  # LSH keys are positions in this list
        self.groups: dict[str, DuplicateGroup] = {}

    def _minhash(self, words: list[str]):
        from datasketch import MinHash

        signature = MinHash(num_perm=self.num_perm, seed=1)
        n = self.shingle if len(words) >= self.shingle else 1
        for i in range(max(1, len(words) - n + 1)):
            signature.update(" ".join(words[i : i + n]).encode("utf-8"))
        return signature

    def add(self, post_id: str, text: str, author: str | None = None) -> Assignment:
        """The group ``post_id`` joins: its own ("new"), an exact copy's, or a near copy's."""
        key = canonical(text)
        digest = hashlib.sha1(key.encode("utf-8", "surrogatepass")).hexdigest()
        if digest in self._exact:
            kind, representative = "exact", self._exact[digest]
        else:
            signature = self._minhash(key.split())
            near = sorted(int(k) for k in self._lsh.query(signature)) if key else []
            if near:  # the earliest group it resembles
                kind, representative = "near", self._representatives[near[0]]
            else:
                kind, representative = "new", post_id
                self._lsh.insert(str(len(self._representatives)), signature)
                self._representatives.append(post_id)
            self._exact[digest] = representative
        group = self.groups.setdefault(representative, DuplicateGroup(representative))
        group.posts += 1
        if author:
            group.authors.add(author)
        return Assignment(representative, kind)
