"""The guard engine: runs the recognizers over normalized text and reports spans of the original.

Presidio's ``AnalyzerEngine`` works with these recognizers too (see
:func:`presidio_analyzer_engine`), but it spends most of its time on per-call bookkeeping that
pattern recognizers do not need — NLP artifacts, a context enhancer that needs tokens, logging —
so the default engine calls the same recognizers directly and resolves overlaps itself. A test
checks both engines find the same entities.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence

from presidio_analyzer import AnalyzerEngine, RecognizerRegistry, RecognizerResult
from presidio_analyzer.nlp_engine import NoOpNlpEngine

from kiemchung.core import Finding
from kiemchung.guard.recognizers import RECOGNIZERS, cues
from kiemchung.guard.recognizers.base import THRESHOLD
from kiemchung.guard.recognizers.person import VnPersonRecognizer
from kiemchung.text.normalize import NormalizedText, normalize

ANALYZER_NAME = "guard"


def build_recognizers(
    entities: Iterable[str] | None = None,
    public_figures: Iterable[str] = (),
    name_tagger: str | None = "pos",
) -> list:
    """One recognizer per requested entity type (all registered types by default)."""
    names = list(entities) if entities is not None else RECOGNIZERS.names()
    recognizers = []
    for name in names:
        factory = RECOGNIZERS.get(name)
        if factory is VnPersonRecognizer:
            recognizers.append(
                VnPersonRecognizer(public_figures=public_figures, name_tagger=name_tagger)
            )
        else:
            recognizers.append(factory())
    return recognizers


def _inside_any(result: RecognizerResult, starts: list[int], spans: list[tuple[int, int]]) -> bool:
    """Whether ``result`` lies within one of the sorted, non-nested ``spans``."""
    i = bisect.bisect_right(starts, result.start) - 1
    return i >= 0 and spans[i][0] <= result.start and result.end <= spans[i][1]


def resolve_overlaps(results: list[RecognizerResult]) -> list[RecognizerResult]:
    """Keep the best of overlapping hits: higher score first, then the longer span.

    A name inside an address is the street's or ward's name ("đường Lê Lợi"), so a PERSON hit
    within an ADDRESS hit goes first, whatever its score. Both steps bisect sorted spans, so a
    megabyte with thousands of hits stays fast.
    """
    addresses = sorted((r.start, r.end) for r in results if r.entity_type == "ADDRESS")
    address_starts = [a[0] for a in addresses]
    results = [
        r
        for r in results
        if r.entity_type != "PERSON" or not _inside_any(r, address_starts, addresses)
    ]
    ranked = sorted(results, key=lambda r: (-r.score, -(r.end - r.start), r.start))
    starts: list[int] = []
    kept: list[RecognizerResult] = []  # sorted by start, never overlapping
    for result in ranked:
        i = bisect.bisect_left(starts, result.start)
        if i > 0 and kept[i - 1].end > result.start:
            continue
        if i < len(kept) and kept[i].start < result.end:
            continue
        starts.insert(i, result.start)
        kept.insert(i, result)
    return kept


class GuardEngine:
    """Finds personal data, confidential markings and credentials; scikit-learn-style config.

    ``entities`` limits the types looked for, ``public_figures`` adds names never to flag,
    ``threshold`` is the score a hit needs, ``name_tagger`` picks how names outside the
    family-name list are found after a cue word: underthesea's ``"pos"`` tagger (default), its
    ``"ner"``, or ``None`` (name rules only).
    """

    def __init__(
        self,
        entities: Sequence[str] | None = None,
        public_figures: Iterable[str] = (),
        threshold: float = THRESHOLD,
        name_tagger: str | None = "pos",
    ) -> None:
        self.entities = entities
        self.public_figures = tuple(public_figures)
        self.threshold = threshold
        self.name_tagger = name_tagger
        self.recognizers = build_recognizers(entities, self.public_figures, name_tagger)
        self._by_entity = {r.supported_entities[0]: r for r in self.recognizers}

    def results(self, text: str) -> list[RecognizerResult]:
        """Presidio results on ``text`` as given (offsets index ``text``), overlaps resolved."""
        try:
            hits = [
                hit
                for recognizer in self.recognizers
                for hit in recognizer.analyze(text, None)
                if hit.score >= self.threshold
            ]
        finally:
            cues.forget(text)
        return resolve_overlaps(hits)

    def analyze_normalized(self, normalized: NormalizedText) -> list[Finding]:
        """Findings for an already-normalized text, spans on its original."""
        findings = []
        for hit in self.results(normalized.text):
            recognizer = self._by_entity[hit.entity_type]
            explanation = hit.analysis_explanation
            findings.append(
                Finding(
                    analyzer=ANALYZER_NAME,
                    label=hit.entity_type,
                    score=round(float(hit.score), 4),
                    span=normalized.to_original(hit.start, hit.end),
                    explanation=explanation.textual_explanation if explanation else "",
                    explanation_vi=hit.recognition_metadata.get(
                        "explanation_vi", getattr(recognizer, "EXPLANATION_VI", "")
                    ),
                    data={
                        "recognizer": recognizer.name,
                        "pattern": explanation.pattern_name if explanation else None,
                        "context": hit.recognition_metadata.get("context", ""),
                    },
                )
            )
        return findings

    def analyze(self, text: str) -> list[Finding]:
        """Findings on ``text``; every span indexes ``text`` itself, whatever its normal form."""
        return self.analyze_normalized(normalize(text))


def presidio_analyzer_engine(
    entities: Iterable[str] | None = None, public_figures: Iterable[str] = ()
) -> AnalyzerEngine:
    """A stock Presidio ``AnalyzerEngine`` (no NLP model) carrying the Vietnamese recognizers."""
    registry = RecognizerRegistry(supported_languages=["vi"])
    for recognizer in build_recognizers(entities, public_figures):
        registry.add_recognizer(recognizer)
    nlp = NoOpNlpEngine(models=[{"lang_code": "vi", "model_name": "none"}])
    return AnalyzerEngine(registry=registry, nlp_engine=nlp, supported_languages=["vi"])
