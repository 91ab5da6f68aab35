"""Offending-span tagger: which words of a comment make it hateful or offensive (trained on ViHOS).

A linear token tagger: each token (a syllable, or one punctuation mark or emoji) is described by
its own form, its accent-folded form, its teencode expansion, its shape and its neighbours; a
logistic regression scores it, and adjacent flagged tokens merge into one span. Features are
hashed (scikit-learn's FeatureHasher, a fixed MurmurHash3), so the saved model is just a weight
vector in an npz — no vocabulary, no pickle — and loads in milliseconds.

Scored with ViHOS's span F1: per comment, the F1 between predicted and gold character offsets
(1 when both are empty, 0 when exactly one is), averaged over comments.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from sklearn.feature_extraction import FeatureHasher
from sklearn.linear_model import LogisticRegression

from kiemchung.errors import ModelError
from kiemchung.models.artifact import Artifact
from kiemchung.models.params import Configurable
from kiemchung.text.diacritics import fold_accents
from kiemchung.text.sentences import cut_long
from kiemchung.text.teencode import TEENCODE

Span = tuple[int, int]


@dataclass(frozen=True)
class ToxicSpans:
    """A comment and the character spans of its hateful or offensive words (ViHOS's records)."""

    id: int
    text: str
    spans: tuple[Span, ...]
    char_indices: tuple[int, ...]


_TOKEN = re.compile(r"\w+|[^\w\s]")
MODEL_KIND = "hashed-token-logreg"


def tokenize(text: str) -> list[Span]:
    """Token spans: runs of word characters, or single other non-space characters."""
    return [m.span() for m in _TOKEN.finditer(text)]


def _shape(word: str) -> str:
    if word.isupper():
        return "U"
    return "T" if word[:1].isupper() else "l"


@lru_cache(maxsize=20_000)
def _word_features(word: str) -> tuple[str, dict[str, float]]:
    """A word's accent-folded form and the features that depend on it alone. Words recur
    (comments share most of their vocabulary), so these are built once per distinct word."""
    lower, folded = word.lower(), fold_accents(word)
    own = {
        "w=" + lower: 1.0,
        "f=" + folded: 1.0,
        "exp=" + TEENCODE.get(lower, "_"): 1.0,
        "shape=" + _shape(word): 1.0,
        f"len={min(len(word), 6)}": 1.0,
    }
    for p in (1, 2, 3):
        own[f"suf{p}={folded[-p:]}"] = 1.0
        own[f"pre{p}={folded[:p]}"] = 1.0
    return folded, own


def token_features(text: str, spans: Sequence[Span]) -> list[dict[str, float]]:
    """One feature dict per token: the token, its folded/teencode forms, shape and context."""
    own = [_word_features(text[a:b]) for a, b in spans]
    folded = ["<s>", "<s>", *(f for f, _ in own), "</s>", "</s>"]  # folded[i + 2] is token i

    rows = []
    for i, (word, features) in enumerate(own):
        row = {
            "bias": 1.0,
            **features,
            f"first={i == 0}": 1.0,
            f"bi-1={folded[i + 1]}_{word}": 1.0,
            f"bi+1={word}_{folded[i + 3]}": 1.0,
            f"f-2={folded[i]}": 1.0,
            f"f-1={folded[i + 1]}": 1.0,
            f"f1={folded[i + 3]}": 1.0,
            f"f2={folded[i + 4]}": 1.0,
        }
        rows.append(row)
    return rows


#: No offending word is longer (an elongated "nguuuuu" is a dozen letters); a longer "word" is a
#: run of junk or a URL, never a span of its own, whatever its neighbours.
MAX_WORD_CHARS = 40
#: Characters tagged at a time (about 1,000 words): bounds the feature matrix of a long text.
BLOCK_CHARS = 5000
CONTEXT_CHARS = 200
#: Tokens hashed and scored at once by :meth:`SpanTagger.scored_tokens` (bounds its memory).
BATCH_TOKENS = 50_000


def merge_spans(text: str, spans: Sequence[Span], max_gap: int = 2) -> list[Span]:
    """Join flagged tokens separated only by a little whitespace ("địt mẹ" is one span)."""
    merged: list[Span] = []
    for start, end in spans:
        if merged and start - merged[-1][1] <= max_gap and not text[merged[-1][1] : start].strip():
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def span_f1(predicted: set[int], gold: set[int]) -> float:
    """ViHOS / SemEval-2021 toxic-spans F1 of one comment over character offsets."""
    if not gold:
        return 1.0 if not predicted else 0.0
    if not predicted:
        return 0.0
    return 2 * len(predicted & gold) / (len(predicted) + len(gold))


def chars(spans: Iterable[Span]) -> set[int]:
    return {i for a, b in spans for i in range(a, b)}


class SpanTagger(Configurable):
    """Logistic regression over hashed token features; ``threshold`` decides a flagged token."""

    def __init__(
        self, C: float = 0.3, threshold: float = 0.5, n_features: int = 2**20, max_iter: int = 2000
    ) -> None:
        self.C = C
        self.threshold = threshold
        self.n_features = n_features
        self.max_iter = max_iter

    def _hasher(self) -> FeatureHasher:
        return FeatureHasher(self.n_features, input_type="dict", alternate_sign=False)

    def fit(self, texts: Sequence[str], offsets: Sequence[Iterable[int]]) -> SpanTagger:
        """``offsets[i]``: the character offsets of ``texts[i]`` inside gold spans."""
        rows: list[dict[str, float]] = []
        labels: list[int] = []
        for text, gold in zip(texts, offsets, strict=True):
            gold_set = set(gold)
            spans = tokenize(text)
            rows.extend(token_features(text, spans))
            labels.extend(int(any(c in gold_set for c in range(a, b))) for a, b in spans)
        model = LogisticRegression(C=self.C, max_iter=self.max_iter)
        model.fit(self._hasher().transform(rows), np.asarray(labels))
        self.coef_ = model.coef_[0].astype(np.float32)
        self.intercept_ = float(model.intercept_[0])
        return self

    def _probabilities(self, rows: list[dict[str, float]]) -> np.ndarray:
        logits = self._hasher().transform(rows) @ self.coef_ + self.intercept_
        return (1.0 / (1.0 + np.exp(-logits))).astype(np.float32)

    def scored_tokens(self, texts: Sequence[str]) -> list[tuple[list[Span], np.ndarray]]:
        """Per text, its token spans and the probability that each is offensive.

        Many texts are scored in one batch (hashing a comment at a time costs more than scoring
        it). A long text is read in blocks of ``BLOCK_CHARS`` cut between words, so memory stays
        bounded; each block is read with ``CONTEXT_CHARS`` of its neighbours on either side, so a
        word at a cut keeps the neighbours its features look at (tagged without them, "con" alone
        scores as offensive)."""
        token_spans: list[list[Span]] = [[] for _ in texts]
        scores: list[list[np.ndarray]] = [[] for _ in texts]
        pending: list[int] = []  # the text of each block still waiting in ``rows``, in order
        rows: list[dict[str, float]] = []
        counts: list[int] = []

        def flush() -> None:
            if not pending:
                return
            probs = self._probabilities(rows) if rows else np.zeros(0, np.float32)
            for index, piece in zip(pending, np.split(probs, np.cumsum(counts)[:-1]), strict=True):
                scores[index].append(piece)
            pending.clear()
            rows.clear()
            counts.clear()

        for index, text in enumerate(texts):
            for start, end in cut_long(text, [(0, len(text))], BLOCK_CHARS):
                low, high = max(0, start - CONTEXT_CHARS), min(len(text), end + CONTEXT_CHARS)
                piece = text[low:high]
                spans = tokenize(piece)
                features = token_features(piece, spans)
                keep = [i for i, (a, _) in enumerate(spans) if start <= a + low < end]
                token_spans[index].extend((spans[i][0] + low, spans[i][1] + low) for i in keep)
                rows.extend(features[i] for i in keep)
                pending.append(index)
                counts.append(len(keep))
                if len(rows) >= BATCH_TOKENS:
                    flush()
        flush()
        empty = np.zeros(0, np.float32)
        return [
            (spans, np.concatenate(parts) if parts else empty)
            for spans, parts in zip(token_spans, scores, strict=True)
        ]

    def predict_spans(self, text: str) -> list[tuple[int, int, float]]:
        """Offending spans ``(start, end, score)`` of one text (see :meth:`scored_tokens`):
        tokens at or over the threshold, merged when adjacent; score = the highest token
        probability in the span."""
        spans, probs = self.scored_tokens([text])[0]
        flagged = [
            (span, float(p))
            for span, p in zip(spans, probs, strict=True)
            if p >= self.threshold and span[1] - span[0] <= MAX_WORD_CHARS
        ]
        merged = merge_spans(text, [s for s, _ in flagged])
        best, i = [], 0
        for a, b in merged:  # in text order, each flagged token inside exactly one merged span
            score = 0.0
            while i < len(flagged) and flagged[i][0][0] < b:
                score = max(score, flagged[i][1])
                i += 1
            best.append((a, b, score))
        return best

    def to_artifact(self, name: str, version: str, **manifest: Any) -> Artifact:
        return Artifact(
            name=name,
            version=version,
            arrays={"coef": self.coef_, "intercept": np.asarray([self.intercept_], np.float64)},
            params={"model": MODEL_KIND, **self.get_params()},
            **manifest,
        )

    @classmethod
    def from_artifact(cls, source: Artifact | str) -> SpanTagger:
        artifact = source if isinstance(source, Artifact) else Artifact.load(source)
        if artifact.params.get("model") != MODEL_KIND:
            raise ModelError(f"{artifact.name} is not a span-tagger artifact")
        params = {k: v for k, v in artifact.params.items() if k != "model"}
        tagger = cls(**params)
        tagger.coef_ = artifact.arrays["coef"]
        tagger.intercept_ = float(artifact.arrays["intercept"][0])
        tagger.artifact_version_ = f"{artifact.name}@{artifact.version}"
        if tagger.coef_.shape != (tagger.n_features,):
            raise ModelError(f"{artifact.name}: weights do not match n_features")
        return tagger
