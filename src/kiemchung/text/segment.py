"""Word segmentation with character offsets, on underthesea's bundled CRF model.

Vietnamese writes syllables, not words, between spaces ("khởi nghiệp" is one word). underthesea's
``word_tokenize`` finds the words but returns strings only, after rewriting some of them. We run
its syllable tokenizer and its CRF directly so that every word keeps its ``(start, end)`` span in
the text we were given — the offsets the rest of the system needs. Only the bundled CRF model is
used; nothing is downloaded.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from typing import Any


@dataclass(frozen=True, slots=True)
class Token:
    """A word (one or more syllables) and its span in the segmented text."""

    text: str
    start: int
    end: int


@lru_cache(maxsize=1)
def _crf() -> tuple[Any, Any]:
    """Load underthesea's word-segmentation CRF once per process (featurizer, tagger)."""
    from underthesea.pipeline import word_tokenize as wt_module

    wt_module.word_tokenize("khởi động")  # makes underthesea load its bundled model
    model = wt_module.word_tokenize_model
    return model.featurizer, model.estimator


def _syllables(text: str) -> list[tuple[int, int]]:
    from underthesea.pipeline.word_tokenize import regex_tokenize

    return [m.span() for m in regex_tokenize.patterns.finditer(text)]


def _tokens_from_tags(text: str, spans: list[tuple[int, int]], tags: Sequence[str]) -> list[Token]:
    words: list[tuple[int, int]] = []
    for (start, end), tag in zip(spans, tags, strict=True):
        if tag == "I-W" and words:
            words[-1] = (words[-1][0], end)
        else:
            words.append((start, end))
    return [Token(text[s:e], s, e) for s, e in words]


def segment(text: str) -> list[Token]:
    """Words of ``text`` with their spans (``text[t.start:t.end]`` may contain inner spaces)."""
    return segment_many([text])[0]


#: Syllables per CRF call. The featurizer slows down more than linearly on long inputs, and a
#: word never spans a sentence, so long texts are tagged in windows of this many syllables.
WINDOW = 400


def _windows(spans: list[tuple[int, int]], text: str) -> list[list[tuple[int, int]]]:
    """Cut a long syllable list into windows, preferring cuts after sentence punctuation."""
    windows, start = [], 0
    while len(spans) - start > WINDOW:
        cut = start + WINDOW
        for i in range(cut - 1, start + WINDOW // 2, -1):
            if text[spans[i][0] : spans[i][1]] in (".", "!", "?", "\n", ";"):
                cut = i + 1
                break
        windows.append(spans[start:cut])
        start = cut
    windows.append(spans[start:])
    return windows


def _segment_batch(texts: Sequence[str]) -> list[list[Token]]:
    featurizer, tagger = _crf()
    results = []
    for text in texts:
        windows = _windows(_syllables(text), text)
        features = featurizer.process([[[text[s:e]] for s, e in w] for w in windows])
        tags = [tag for w, f in zip(windows, features, strict=True) if w for tag in tagger.tag(f)]
        results.append(_tokens_from_tags(text, [s for w in windows for s in w], tags))
    return results


def segment_many(texts: Iterable[str], n_jobs: int = 1, batch_size: int = 64) -> list[list[Token]]:
    """Segment many texts; ``n_jobs > 1`` spreads batches over that many processes.

    ``n_jobs=-1`` uses every core. Results keep the input order.
    """
    items = list(texts)
    batches = [items[i : i + batch_size] for i in range(0, len(items), batch_size)]
    if n_jobs == -1:
        n_jobs = os.cpu_count() or 1
    if n_jobs <= 1 or len(batches) <= 1:
        results = [_segment_batch(b) for b in batches]
    else:
        with ProcessPoolExecutor(max_workers=n_jobs) as pool:
            results = list(pool.map(_segment_batch, batches))
    return [tokens for batch in results for tokens in batch]
