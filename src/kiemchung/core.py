"""The three types every part of kiemchung speaks: Document in, Findings out, Report on the wire.

Plain dataclasses, no framework (docs/design.md). Spans in a Finding always index the *original*
text the user submitted; the Document keeps the normalized copy and the map between the two.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from kiemchung.text.langid import LanguageGuess, detect
from kiemchung.text.normalize import NormalizedText, for_model, normalize
from kiemchung.text.segment import Token, segment
from kiemchung.text.sentences import split_sentences

if TYPE_CHECKING:
    import numpy as np

    from kiemchung.embed import Embedder, Kind

Span = tuple[int, int]

REPORT_FORMAT = "kiemchung.report/1"


def _span_or_none(value: Any) -> Span | None:
    return None if value is None else (int(value[0]), int(value[1]))


@dataclass(frozen=True)
class Citation:
    """Where a piece of evidence comes from, and the passage that carries it."""

    source: str
    passage: str
    url: str | None = None
    title: str | None = None
    date: str | None = None
    passage_span: Span | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "passage": self.passage,
            "url": self.url,
            "title": self.title,
            "date": self.date,
            "passage_span": list(self.passage_span) if self.passage_span else None,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Citation:
        return cls(
            source=data["source"],
            passage=data["passage"],
            url=data.get("url"),
            title=data.get("title"),
            date=data.get("date"),
            passage_span=_span_or_none(data.get("passage_span")),
        )


@dataclass(frozen=True)
class Finding:
    """One thing an analyzer found: a label with a score, where, why, and on what evidence.

    ``span`` is ``None`` for a whole-text finding. ``explanation`` is one English sentence a
    non-engineer understands, ``explanation_vi`` the same in Vietnamese. ``data`` carries small
    JSON-safe extras (a finer language code, per-class probabilities ...).
    """

    analyzer: str
    label: str
    score: float
    span: Span | None = None
    explanation: str = ""
    explanation_vi: str = ""
    evidence: tuple[Citation, ...] = ()
    data: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "analyzer": self.analyzer,
            "label": self.label,
            "score": self.score,
            "span": list(self.span) if self.span else None,
            "explanation": self.explanation,
            "explanation_vi": self.explanation_vi,
            "evidence": [c.to_dict() for c in self.evidence],
            "data": self.data,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Finding:
        return cls(
            analyzer=data["analyzer"],
            label=data["label"],
            score=float(data["score"]),
            span=_span_or_none(data.get("span")),
            explanation=data.get("explanation", ""),
            explanation_vi=data.get("explanation_vi", ""),
            evidence=tuple(Citation.from_dict(c) for c in data.get("evidence", [])),
            data=dict(data.get("data", {})),
        )


class Document:
    """A submitted text, its normalized form and everything derived from it, computed on demand.

    ``text`` is never modified. ``norm`` is what analyzers read; ``to_original`` maps a span of
    ``norm`` (or of ``model_input.text``) back to ``text``.
    """

    def __init__(self, text: str, doc_id: str | None = None) -> None:
        self.text = text
        self.id = doc_id or hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]
        self._normalized = normalize(text)
        self._embeddings: dict[tuple[str, str], np.ndarray] = {}

    @property
    def norm(self) -> str:
        return self._normalized.text

    @property
    def normalized(self) -> NormalizedText:
        return self._normalized

    def to_original(self, start: int, end: int) -> Span:
        """The span of ``text`` that produced ``norm[start:end]``."""
        return self._normalized.to_original(start, end)

    @cached_property
    def model_input(self) -> NormalizedText:
        """``norm`` with teencode expanded, for models; its map also leads back to ``text``."""
        return for_model(self._normalized)

    @cached_property
    def language(self) -> LanguageGuess:
        return detect(self.norm)

    @property
    def lang(self) -> str:
        return self.language.lang

    @cached_property
    def sentences(self) -> list[Span]:
        """Sentence spans over ``norm``."""
        return split_sentences(self.norm)

    @cached_property
    def tokens(self) -> list[Token]:
        """Words of ``norm`` with spans over ``norm``."""
        return segment(self.norm)

    def embedding(self, embedder: Embedder, kind: Kind = "passage") -> np.ndarray:
        """The embedding of the model input (teencode expanded), computed once per embedder."""
        key = (embedder.name, kind)
        if key not in self._embeddings:
            self._embeddings[key] = embedder.embed([self.model_input.text], kind=kind)[0]
        return self._embeddings[key]


@dataclass
class Report:
    """What a run of analyzers says about one Document: the wire format of CLI, API and web."""

    doc_id: str
    findings: list[Finding]
    text_length: int
    lang: str | None = None
    timings_ms: dict[str, float] = field(default_factory=dict)
    versions: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON wire format, documented in ``docs/report.schema.json``."""
        return {
            "format": REPORT_FORMAT,
            "doc_id": self.doc_id,
            "text_length": self.text_length,
            "lang": self.lang,
            "findings": [f.to_dict() for f in self.findings],
            "timings_ms": self.timings_ms,
            "versions": self.versions,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Report:
        if data.get("format", REPORT_FORMAT) != REPORT_FORMAT:
            from kiemchung.errors import InputError

            raise InputError(
                f"unsupported report format {data.get('format')!r}; expected {REPORT_FORMAT}"
            )
        return cls(
            doc_id=data["doc_id"],
            findings=[Finding.from_dict(f) for f in data["findings"]],
            text_length=int(data["text_length"]),
            lang=data.get("lang"),
            timings_ms={k: float(v) for k, v in data.get("timings_ms", {}).items()},
            versions=dict(data.get("versions", {})),
        )


def named_probabilities(labels: Sequence[str], probabilities: Iterable[float]) -> dict[str, float]:
    """``{label: probability}`` rounded to 4 places: how every whole-text finding reports its
    model's belief in each label (``Finding.data["probabilities"]``)."""
    return {label: round(float(p), 4) for label, p in zip(labels, probabilities, strict=True)}
